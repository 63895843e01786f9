import { type LogView, quote } from "./log-view.js";
import { parseAge, parseInstant } from "./timestamps.js";

/** A rollout or config change, from the context block or recognised in the logs. */
export interface DeployEvent {
  at: number | null;
  version: string | null;
  previous: string | null;
  /** Whether the change touched configuration, secrets or environment rather than only code. */
  config: boolean;
  source: "context" | "logs";
  evidence: string;
}

const CONFIG_CHANGE =
  /config|configmap|secret|env\b|environment|variable|flag|setting|parameter|\.ya?ml|\.json|\.toml|\.ini|properties|values/i;
const VERSION = /\bv?\d+\.\d+(?:\.\d+)?(?:[-+.][\w.]+)?\b/;

function fromContext(view: LogView): DeployEvent[] {
  return (view.input.context?.recent_deploys ?? []).map((d) => ({
    at: parseInstant(d.at),
    version: d.version,
    previous: d.previous ?? null,
    config: CONFIG_CHANGE.test(d.change ?? ""),
    source: "context" as const,
    evidence: `deploy ${d.version}${d.previous ? ` (from ${d.previous})` : ""} at ${d.at}${d.change ? `: ${d.change}` : ""}`,
  }));
}

/** "15:20" on the day of a reference instant. */
function clockOnDay(clock: string, ref: number | null): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!m || ref === null) return null;
  const d = new Date(ref);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(m[1]), Number(m[2]));
}

function fromLogs(view: LogView): DeployEvent[] {
  const out: DeployEvent[] = [];
  for (const l of view.lines) {
    const t = l.text;
    // kubectl events: "12m  Normal  ScalingReplicaSet  deployment/x  Scaled up replica set x-abc to 4 (image repo/x:5.12.0)"
    const rs = /Scaled up replica set\s+\S+[^\n]*?(?:image\s+\S+?:([\w.-]+))?\)?\s*$/i.exec(t);
    if (rs && !/to 0\b/.test(t)) {
      const age = /^\s*(\d+[smhd](?:\d+[smhd])?)\s/.exec(t) ?? /\b(\d+[smhd])\s+deployment-controller/.exec(t);
      const ageMs = age ? parseAge(age[1] ?? "") : null;
      const at = l.ts ?? (ageMs !== null && view.nowMs !== null ? view.nowMs - ageMs : null);
      out.push({
        at,
        version: rs[1] ?? null,
        previous: null,
        config: false,
        source: "logs",
        evidence: `rollout in cluster events: ${quote(t, 100)}`,
      });
      continue;
    }
    // GitOps / Helm: Argo CD sync, Flux reconcile, helm upgrade.
    if (
      /argo\s?cd|argocd|flux|helm/i.test(t) &&
      /sync(?:ed)? succeeded|synced|configured|upgraded|reconcil\w+ (?:finished|succeeded)|revision/i.test(t)
    ) {
      const rev = /revision\s+([\w.-]+)(?:,\s*previous\s+([\w.-]+))?/i.exec(t);
      out.push({
        at: l.ts,
        version: rev?.[1] ?? null,
        previous: rev?.[2] ?? null,
        config: /configmap|secret|config|values/i.test(t),
        source: "logs",
        evidence: `change applied: ${quote(t, 110)}`,
      });
      continue;
    }
    if (/LAST DEPLOYED:|\bdeployed (?:at|on)\b/i.test(t) && l.ts !== null) {
      out.push({
        at: l.ts,
        version: /REVISION:\s*(\S+)/.exec(t)?.[1] ?? null,
        previous: null,
        config: false,
        source: "logs",
        evidence: `release deployed: ${quote(t, 100)}`,
      });
      continue;
    }
    // Feature flags are configuration changes that take effect without a rollout.
    if (
      /feature[ _-]?flag|\bflag\b[^\n]{0,40}\b(?:enabled|disabled|turned (?:on|off)|rolled out|flipped|set to)/i.test(
        t,
      ) &&
      /enabled|disabled|turned (?:on|off)|rolled out|flipped|set to|\d+%/i.test(t)
    ) {
      out.push({
        at: l.ts,
        version: null,
        previous: null,
        config: true,
        source: "logs",
        evidence: `feature flag change: ${quote(t, 100)}`,
      });
      continue;
    }
    // "thumbnailer v1.4.0 (libvips 8.14.5 -> 8.15.1) rolled out 15:20", "deployed v2 at 10:02".
    const rolled =
      /\b(?:rolled out|deployed|released|rollout (?:of|completed)|upgraded to)\b(?:\s+(?:at\s+)?(\d{1,2}:\d{2})\b)?/i.exec(
        t,
      );
    if (rolled && VERSION.test(t) && !/\b(?:will|scheduled|planned)\b/i.test(t)) {
      const at = (rolled[1] ? clockOnDay(rolled[1], l.ts ?? view.nowMs) : null) ?? l.ts;
      const arrow = /(v?\d+(?:\.\d+)+)\s*(?:->|→|=>)\s*(v?\d+(?:\.\d+)+)/.exec(t);
      out.push({
        at,
        version: VERSION.exec(t)?.[0] ?? null,
        previous: arrow?.[1] ?? null,
        config: false,
        source: "logs",
        evidence: `rollout: ${quote(t, 110)}`,
      });
    }
  }
  return out;
}

export function collectDeploys(view: LogView): DeployEvent[] {
  return [...fromContext(view), ...fromLogs(view)];
}

/** A process (re)start line that names its version: "app v2.3.5 started", "Starting X v4.3.0", "release 2026.03.25-1". */
export function versionStarts(view: LogView): Array<{ at: number | null; version: string; text: string }> {
  const out: Array<{ at: number | null; version: string; text: string }> = [];
  for (const l of view.lines) {
    if (!/\b(?:start(?:ing|ed)|listening|booting|boot(?:ed)?|ready|serving)\b/i.test(l.text)) continue;
    const v =
      /\b(?:release|version|v(?=\d))[=:\s]*([\w.-]*\d[\w.-]*)/i.exec(l.text) ??
      /[@ ](v?\d+\.\d+\.\d+[\w.-]*)/.exec(l.text);
    if (v) out.push({ at: l.ts, version: (v[1] ?? "").replace(/^v/i, "v"), text: l.text });
  }
  return out;
}
