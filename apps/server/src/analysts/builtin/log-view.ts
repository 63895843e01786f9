import type { AnalysisInput } from "../../ports/analyst.js";
import { stripInjection } from "../../safety/strip-injection.js";
import { parseInstant, parseTimestamp, parseYearless } from "./timestamps.js";

export type Level = "error" | "warn" | "info" | "unknown";

export interface LogLine {
  /** Sanitised text (instruction-like text removed). */
  text: string;
  index: number;
  ts: number | null;
  level: Level;
}

/** Logs prepared once for every recogniser: sanitised lines, levels, timestamps and reference times. */
export interface LogView {
  lines: LogLine[];
  /** Sanitised logs joined with newlines, for multi-line patterns. */
  text: string;
  /** Sanitised alert type: monitoring metadata, also data. */
  alert: string;
  injectedLines: number;
  input: AnalysisInput;
  /** "Now": the alert timestamp, else the latest log timestamp. */
  nowMs: number | null;
  /** When symptoms began: the first warning/error line's timestamp, else the earliest timestamp. */
  onsetMs: number | null;
}

const FIELD_LEVEL = /"(?:level|lvl|severity|s)"\s*:\s*"?([A-Za-z]+|\d{2})"?|\blevel=([A-Za-z]+)/;
const LEADING = /^[\d\-T:.,Z+/ [\]]*\s*(error|err|fatal|crit(?:ical)?|warn(?:ing)?|info|debug)\b/i;

function named(level: string): Level | null {
  const l = level.toLowerCase();
  if (/^(?:error|err|fatal|crit|critical|panic|emerg|alert|e|f|50|60)$/.test(l)) return "error";
  if (/^(?:warn|warning|w|40)$/.test(l)) return "warn";
  if (/^(?:info|notice|debug|trace|i|d|30|20|10)$/.test(l)) return "info";
  return null;
}

/** Severity from the line's own level marker, not from any word "error" in its message. */
function levelOf(line: string): Level {
  const field = FIELD_LEVEL.exec(line);
  const byField = field ? named(field[1] ?? field[2] ?? "") : null;
  if (byField) return byField;
  const lead = LEADING.exec(line);
  if (lead?.[1]) return named(lead[1].replace(/ing$/i, "")) ?? "unknown";
  if (
    /\b(?:ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|PANIC|EMERG)\b|\[(?:error|crit|alert|emerg)\]|^[EF]\d{4}\s|^[EF], \[/.test(
      line,
    )
  )
    return "error";
  if (/^\s*(?:Traceback|panic:|fatal error:|Exception in thread)|^\s*[\w.]*(?:Error|Exception)\b:/.test(line))
    return "error";
  if (/\b(?:WARN|WARNING)\b|\[warn\]|^W\d{4}\s|^W, \[|\bWarning\s{2,}/.test(line)) return "warn";
  if (/\bINFO\b|\[info\]|\bNormal\s{2,}|^I\d{4}\s|^I, \[/.test(line)) return "info";
  return "unknown";
}

/** Recognisers are regex-based: bounding line length and volume keeps adversarial logs from costing seconds. */
const MAX_LINE_CHARS = 1_000;
const HEAD_CHARS = 40_000;
const TAIL_CHARS = 60_000;

/** Lines to analyse: all of them when small, else the head (onset) and the tail (latest state). */
function boundedLines(logs: string): string[] {
  const all = logs.split(/\r?\n/).map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l));
  if (logs.length <= HEAD_CHARS + TAIL_CHARS) return all;
  const head: string[] = [];
  let used = 0;
  for (const l of all) {
    if (used + l.length > HEAD_CHARS) break;
    head.push(l);
    used += l.length + 1;
  }
  const tail: string[] = [];
  used = 0;
  for (let i = all.length - 1; i >= head.length; i--) {
    const l = all[i] ?? "";
    if (used + l.length > TAIL_CHARS) break;
    tail.unshift(l);
    used += l.length + 1;
  }
  return [...head, ...tail];
}

/**
 * Failures of the evidence-collection tools themselves (an investigator's kubectl refused by its API
 * server, a metrics query tool that cannot reach its backend): they say nothing about the incident, so
 * no recogniser may read them as a cause.
 */
const BACKENDS =
  "prometheus|thanos|grafana|loki|tempo|alertmanager|elasticsearch|opensearch|datadog|newrelic|victoriametrics";
const TOOL_NOISE = new RegExp(
  [
    String.raw`^\s*\[tool error\]`,
    String.raw`^\s*Command \x60[^\x60]+\x60 failed with return code \d+\s*$`,
    String.raw`The connection to the server \S+ was refused`,
    "Metrics API not available",
    "Unable to connect to the server",
    String.raw`previous terminated container "[^"]+" in pod "[^"]+" not found`,
    // A metrics/logs backend the investigation queried could not be reached (either word order).
    String.raw`\b(?:${BACKENDS})\b[^\n]{0,160}(?:could not resolve|name ?resolution|no such host|Name or service not known|connection refused|failed to (?:connect|query|resolve|fetch)|timed? ?out|unreachable|max retries exceeded)`,
    String.raw`(?:failed to (?:query|fetch|reach|connect to)|error (?:querying|fetching)|could not (?:query|reach))\s+(?:from\s+)?(?:${BACKENDS})\b`,
  ].join("|"),
  "i",
);

export function isToolNoise(line: string): boolean {
  return TOOL_NOISE.test(line);
}

/** A `kubectl get pods` row: [NAMESPACE] NAME READY STATUS RESTARTS … */
const POD_ROW = /^\s*(?:[\w.-]+\s+)?[\w.-]+\s+\d+\/\d+\s+[\w:]+\s+\d+/;
/** A listing longer than this is namespace- or cluster-wide, not the target and its few dependencies. */
const MAX_RELATED_ROWS = 6;

/**
 * A wide pod listing shows every broken pod in the namespace or cluster; the ones that are not the
 * target are unrelated to this incident, so no recogniser may take their status as a cause.
 */
function hideUnrelatedRows(lines: LogLine[], target: string | null): void {
  const rows = lines.filter((l) => POD_ROW.test(l.text));
  if (rows.length <= MAX_RELATED_ROWS) return;
  const own = (target ?? "").toLowerCase();
  for (const l of rows) if (own.length < 3 || !l.text.toLowerCase().includes(own)) l.text = "";
}

export function buildLogView(input: AnalysisInput): LogView {
  let injectedLines = 0;
  const alertMs = parseInstant(input.alertTimestamp ?? null);
  const lines: LogLine[] = boundedLines(input.logs).map((raw, index) => {
    const scan = stripInjection(isToolNoise(raw) ? "" : raw);
    if (scan.injected) injectedLines++;
    return { text: scan.clean, index, ts: parseTimestamp(scan.clean), level: levelOf(scan.clean) };
  });
  // Yearless syslog/klog lines borrow the year of the alert or of any dated line.
  const anchor =
    alertMs ?? lines.find((l) => l.ts !== null)?.ts ?? parseInstant(input.context?.recent_deploys?.[0]?.at);
  if (anchor != null) {
    const year = new Date(anchor).getUTCFullYear();
    for (const l of lines) if (l.ts === null) l.ts = parseYearless(l.text, year);
  }
  hideUnrelatedRows(lines, input.containerName);
  const alertScan = stripInjection(input.alertType);
  if (alertScan.injected) injectedLines++;

  const stamps = lines.map((l) => l.ts).filter((t): t is number => t !== null);
  const latest = stamps.length ? Math.max(...stamps) : null;
  const troubled = lines.filter((l) => l.ts !== null && (l.level === "error" || l.level === "warn"));
  const onsetMs = troubled.length
    ? Math.min(...troubled.map((l) => l.ts ?? Number.POSITIVE_INFINITY))
    : stamps.length
      ? Math.min(...stamps)
      : null;

  return {
    lines,
    text: lines.map((l) => l.text).join("\n"),
    alert: alertScan.clean,
    injectedLines,
    input,
    nowMs: alertMs ?? latest,
    onsetMs,
  };
}

/** A compact quote of a log line for evidence lists, centred on `focus` when it matches late in the line. */
export function quote(text: string, max = 110, focus?: RegExp): string {
  let t = text.trim().replace(/\s+/g, " ");
  const at = focus ? t.search(focus) : -1;
  if (at > max / 3) t = `…${t.slice(at - Math.floor(max / 4))}`;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
