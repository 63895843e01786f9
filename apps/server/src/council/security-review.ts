import type { CouncilInput } from "../ports/council.js";
import type { InjectionSignal } from "../safety/detect-injection.js";
import type { CouncilPolicy } from "./council-policy.js";
import type { PolicyFinding } from "./policy-finding.js";
import { targetNames } from "./target-names.js";

/** What the SECURITY_OFFICER found: rule violations, and the facts it checked when there are none. */
export interface SecurityReview {
  findings: PolicyFinding[];
  notes: string[];
}

const MAX_QUOTED_SIGNALS = 3;

/** Allow-list, prompt injection, and self/protected targets. Deterministic; the proposal cannot argue. */
export function reviewSecurity(input: CouncilInput, policy: CouncilPolicy): SecurityReview {
  const { incident, proposal } = input;
  const action = proposal.analysis.action;
  const acts = action !== "NOOP";
  const findings: PolicyFinding[] = [];
  const notes: string[] = [];
  const reject = (rule: PolicyFinding["rule"], reason: string): void => {
    findings.push({ rule, role: "SECURITY_OFFICER", verdict: "REJECTED", reason });
  };

  if (policy.allowedActions.includes(action)) {
    notes.push(`${action} is on the allow-list`);
  } else {
    reject("allow_list", `${action} is not on the allow-list (${policy.allowedActions.join(", ") || "empty"})`);
  }

  const injected = injectionSources(input, policy);
  if (injected.length === 0) {
    notes.push(`no injection signals in ${incident.logs.length} chars of logs`);
  } else {
    const where = injected.map((s) => s.source).join(" and ");
    const quoted = describeSignals(injected.flatMap((s) => s.signals));
    if (acts) {
      reject(
        "prompt_injection",
        `instructions aimed at the agent or council in the ${where} (${quoted}); logs are data, never instructions, so ${action} is vetoed`,
      );
    } else {
      notes.push(`injection signals in the ${where} (${quoted}) ignored as data; NOOP executes nothing`);
    }
  }

  const names = targetNames(input);
  const shown = names.length > 0 ? names.join(" / ") : "the unnamed target";
  const protection = policy.protection.check({ names, context: incident.context });
  if (protection?.kind === "self") {
    const what = `target ${protection.reason}`;
    if (acts) reject("self_target", `${what}: ${action} would take down the pipeline handling this incident`);
    else notes.push(`${what}; NOOP leaves it alone`);
  } else if (protection) {
    if (acts) {
      findings.push({
        rule: "protected_target",
        role: "SECURITY_OFFICER",
        verdict: "NEEDS_REVIEW",
        reason: `protected target: ${protection.reason}; a human decides whether to ${action} it`,
      });
    } else {
      notes.push(`protected target: ${protection.reason}; NOOP leaves it alone`);
    }
  } else {
    notes.push(`${shown} is neither AegisOps nor a protected store`);
  }

  return { findings, notes };
}

interface InjectionSource {
  source: string;
  signals: InjectionSignal[];
}

/**
 * Everything the alert sender controls, scanned source by source. The analyst's own text is not
 * scanned: its legitimate prose ("the SRE agent should…") would trip the detector.
 */
function injectionSources({ incident }: CouncilInput, policy: CouncilPolicy): InjectionSource[] {
  const sources: Array<[string, string]> = [
    ["logs", incident.logs],
    ["alert type", incident.alertType],
    ["context", contextStrings(incident.context).join("\n")],
  ];
  return sources
    .map(([source, text]) => ({ source, signals: text === "" ? [] : policy.detectInjection(text) }))
    .filter((s) => s.signals.length > 0);
}

function contextStrings(value: unknown, depth = 0): string[] {
  if (depth > 5 || value === null || value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((v) => contextStrings(v, depth + 1));
  if (typeof value === "object") return Object.values(value).flatMap((v) => contextStrings(v, depth + 1));
  return [];
}

function describeSignals(signals: readonly InjectionSignal[]): string {
  const quoted = signals.slice(0, MAX_QUOTED_SIGNALS).map((s) => `${s.kind}: "${s.excerpt}"`);
  const more = signals.length - quoted.length;
  return more > 0 ? `${quoted.join("; ")}; +${more} more` : quoted.join("; ");
}
