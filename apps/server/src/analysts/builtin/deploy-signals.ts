import { collectDeploys, type DeployEvent, versionStarts } from "./deploys.js";
import { type LogView, quote } from "./log-view.js";
import { pct, ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";
import { formatDuration } from "./timestamps.js";

const CODE_ERROR =
  /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|NullPointerException|NoSuchMethodError|NoSuchFieldError|ClassNotFoundException|NoClassDefFoundError|ClassCastException|AbstractMethodError|IllegalStateException|IllegalArgumentException|UnsupportedOperationException|NullReferenceException|InvalidCastException|MissingMethodException|AttributeError|NameError|ImportError|ModuleNotFoundError|UnboundLocalError|IndexError|KeyError|ValueError|ZeroDivisionError|RecursionError|JSONDecodeError|NoMethodError|ArgumentError|ArithmeticException|NumberFormatException|(?:ArrayIndex|StringIndex|Index)OutOfBoundsException|ConcurrentModificationException|StackOverflowError|DivideByZeroException|KeyNotFoundException|InvalidOperationException)\b|nil pointer dereference|invalid memory address|index out of range|\bpanic(?::|\()|http: panic serving|Unhandled(?:Promise)?\s?rejection|Cannot read propert(?:y|ies) of (?:undefined|null)|is not a function|undefined method|called `(?:Option|Result)::unwrap\(\)`|Fatal error: Uncaught|Cannot find module|cannot find symbol|undefined symbol|LinkageError|IncompatibleClassChangeError/;
const SCHEMA =
  /UndefinedColumn|UndefinedTable|column [\w."]+ does not exist|relation [\w."]+ does not exist|Unknown column|no such (?:column|table)|(?:Unapplied|pending|missing) migrations?|migration [\w.-]+ (?:not applied|missing)|ER_BAD_FIELD_ERROR|Table '[\w.]+' doesn't exist/i;
const ROLLOUT_WORDS =
  /before (?:the )?(?:rollout|deploy|release|upgrade)|after (?:the )?(?:rollout|deploy|release|upgrade)|since (?:the )?(?:rollout|deploy|release|upgrade)|previous (?:ReplicaSet|release|version)|new (?:release|version|image)|canary|rolled out|rollout/i;

export interface DeployTiming {
  deploy: DeployEvent;
  /** Symptom onset minus deploy time; null when either is unknown. */
  gapMs: number | null;
}

/** The latest deploy that could have caused the symptoms, with its distance to their onset. */
export function nearestDeploy(view: LogView, deploys: DeployEvent[]): DeployTiming | null {
  const ref = view.onsetMs ?? view.nowMs;
  const timed = deploys.flatMap((d) => (d.at !== null ? [{ deploy: d, at: d.at }] : [])).sort((a, b) => b.at - a.at);
  if (ref === null || timed.length === 0) return deploys[0] ? { deploy: deploys[0], gapMs: null } : null;
  // A deploy more than a few minutes after the symptoms began cannot have caused them.
  const chosen = timed.find((t) => t.at <= ref + 5 * 60_000) ?? timed[0];
  return chosen ? { deploy: chosen.deploy, gapMs: ref - chosen.at } : null;
}

function timingSignals(view: LogView, deploys: DeployEvent[]): Signal[] {
  const near = nearestDeploy(view, deploys);
  if (!near) return [];
  const { deploy, gapMs } = near;
  const src = deploy.source;
  const out: Signal[] = [];
  if (deploy.config) out.push(signal("config_change", 0.85, `configuration change: ${deploy.evidence}`, src));
  if (gapMs === null) {
    out.push(signal("recent_deploy", 0.4, `${deploy.evidence} (timing relative to symptoms unknown)`, src));
    return out;
  }
  const when = `${formatDuration(gapMs)} ${gapMs >= 0 ? "before" : "after"} symptoms began`;
  if (gapMs < -5 * 60_000)
    out.push(signal("stale_deploy", 0.7, `${deploy.evidence}, ${when}: it cannot be the cause`, src));
  else if (gapMs <= 6 * 3_600_000)
    out.push(
      signal(
        "recent_deploy",
        gapMs <= 30 * 60_000 ? 1 : gapMs <= 2 * 3_600_000 ? 0.85 : 0.5,
        `${deploy.evidence}, ${when}`,
        src,
      ),
    );
  else if (gapMs <= 24 * 3_600_000) out.push(signal("recent_deploy", 0.2, `${deploy.evidence}, ${when}`, src));
  else
    out.push(
      signal(
        "stale_deploy",
        ramp(gapMs, 24 * 3_600_000, 72 * 3_600_000) * 0.5 + 0.5,
        `${deploy.evidence}, ${when}: too long ago to explain a new failure`,
        src,
      ),
    );
  return out;
}

const RUNTIME_VERSION =
  /(?:node(?:\.js)?|java|jdk|python|go|ruby|php|openjdk|gunicorn|nginx|envoy|spring boot)[\s/@]*v?$/i;

/** Two different versions of the service named in the logs, or a versioned start shortly before the errors. */
function versionSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const versions = new Set<string>();
  // Three-part versions, not IPs or dates, not the runtime's own version ("node v20.11.1").
  for (const m of view.text.matchAll(/(?<![\w./-])v?(\d+\.\d+\.\d+)(?![\w.]*\d*\.\d)(?![\w-])/g)) {
    if (!RUNTIME_VERSION.test(view.text.slice(Math.max(0, m.index - 12), m.index))) versions.add(m[1] ?? "");
  }
  if (versions.size >= 2) out.push(signal("version_change", 0.6, `logs name versions ${[...versions].join(" and ")}`));
  const arrow = view.lines.find(
    (l) =>
      /(?<![\w.])(?:v?\d+(?:\.\d+)+)\s*(?:->|→|=>)\s*(?:v?\d+(?:\.\d+)+)/.test(l.text) ||
      /\bupgraded? (?:from|to)\b/i.test(l.text),
  );
  if (arrow) out.push(signal("version_change", 0.6, `version change: ${quote(arrow.text, 90)}`));
  const firstError = view.lines.find((l) => l.level === "error" && l.ts !== null);
  for (const s of versionStarts(view)) {
    if (s.at !== null && firstError?.ts != null && firstError.ts >= s.at && firstError.ts - s.at <= 15 * 60_000) {
      out.push(
        signal(
          "deploy_mentioned",
          0.45,
          `process started as ${s.version} ${formatDuration(firstError.ts - s.at)} before the first error`,
        ),
      );
      break;
    }
  }
  const words = view.lines.find((l) => ROLLOUT_WORDS.test(l.text));
  if (words) out.push(signal("deploy_mentioned", 0.6, `rollout referenced: ${quote(words.text, 90)}`));
  if (
    /\b(?:after|since) (?:the )?(?:release|deploy|rollout|upgrade)|\brelease\b|\bdeploy(?:ment)?\b|\brollout\b/i.test(
      view.alert,
    )
  ) {
    out.push(signal("deploy_mentioned", 0.6, `the alert itself names a release: "${view.alert}"`, "alert"));
  }
  return out;
}

function errorSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const code = view.lines.filter((l) => CODE_ERROR.test(l.text));
  const firstCode = code[0];
  if (firstCode)
    out.push(
      signal(
        "code_exception",
        code.length >= 2 ? 0.85 : 0.7,
        `application bug signature: ${quote(firstCode.text, 110, CODE_ERROR)}`,
      ),
    );
  const schema = view.lines.find((l) => SCHEMA.test(l.text));
  if (schema) out.push(signal("schema_mismatch", 0.85, `code and schema disagree: ${quote(schema.text, 110, SCHEMA)}`));
  // "5xx=23.7% over 5m (previous 24h: 0.1%)", "5xx ratio 31.4% (v2.3.4 pods before rollout: 0.08%)"
  for (const l of view.lines) {
    const m =
      /\b(?:5xx|5\d\d(?: responses| errors)?|errors?|error[ _](?:rate|ratio)|failures?|exceptions?)\b[^\n%]{0,25}?(\d+(?:\.\d+)?)\s*%[^\n(]{0,40}\(([^()]*?(?:previous|before|prior|baseline|last|yesterday|usual|normal|old)[^()]*?)(\d+(?:\.\d+)?)\s*%\s*\)/i.exec(
        l.text,
      );
    if (m && Number(m[3]) >= 0 && Number(m[1]) >= 1) {
      const ratio = Number(m[1]) / Math.max(Number(m[3]), 0.01);
      if (ratio >= 5)
        out.push(
          signal("error_increase", ramp(ratio, 5, 50), `errors ${m[1]}% now vs ${m[3]}% before: ${quote(l.text, 90)}`),
        );
    }
  }
  const ctx = view.input.context;
  const now = ctx?.metrics?.error_rate;
  const base = ctx?.baseline?.error_rate;
  if (typeof now === "number") {
    if (typeof base === "number" && now >= 0.01 && now / Math.max(base, 0.0005) >= 5) {
      out.push(signal("error_increase", 0.9, `error_rate ${pct(now * 100)} vs baseline ${pct(base * 100)}`, "context"));
    }
    if (now >= 0.05)
      out.push(signal("error_rate_high", ramp(now, 0.03, 0.3), `error_rate ${pct(now * 100)} (context)`, "context"));
  }
  return out;
}

export function deploySignals(view: LogView): { signals: Signal[]; deploys: DeployEvent[] } {
  const deploys = collectDeploys(view);
  return { signals: [...timingSignals(view, deploys), ...versionSignals(view), ...errorSignals(view)], deploys };
}
