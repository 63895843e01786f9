import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/** A call to a datastore or dependency and how long it took ("Database call completed in 8.01 seconds"). */
const TIMED =
  /\b(database|db|sql|query|postgres\w*|mysql|redis|mongo\w*|cache|upstream|downstream|api call|http call|external call|dependency|backend|span)\b[^\n]{0,60}?\b(?:in|took|after|duration[=:]?|latency[=:]?|elapsed[=:]?)\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds|s|sec|secs|seconds)\b/i;
/** A trace span with its duration ({"name": "SELECT orders", "duration_ms": 4200}). */
const SPAN =
  /"(?:name|operation(?:Name)?|span)"\s*:\s*"([^"]*(?:SELECT|INSERT|UPDATE|query|db|sql|redis|GET|POST|call)[^"]*)"[^\n]{0,120}?"duration(?:_ms)?"\s*:\s*(\d+(?:\.\d+)?)/i;

/** Slow calls are repeated evidence, not one outlier: at least this many over one second. */
const MIN_SLOW = 3;

export function timingSignals(view: LogView): Signal[] {
  let slow = 0;
  let db = 0;
  let worst = 0;
  let example = "";
  for (const l of view.lines) {
    const t = TIMED.exec(l.text);
    const s = t ? null : SPAN.exec(l.text);
    if (!t && !s) continue;
    const secs = t ? Number(t[2]) / (/^m/i.test(t[3] ?? "") ? 1000 : 1) : Number(s?.[2]) / 1000;
    if (!(secs >= 1)) continue;
    // A condensed log collapses repeats into one line ending "[×N]".
    const times = Number(/\[×(\d+)\]\s*$/.exec(l.text)?.[1] ?? 1);
    slow += times;
    if (/database|db|sql|query|postgres|mysql|mongo|select|insert|update/i.test(t?.[1] ?? s?.[1] ?? "")) db += times;
    if (secs > worst) {
      worst = secs;
      example = l.text;
    }
  }
  if (slow < MIN_SLOW) return [];
  const kind = db * 2 >= slow ? "db_slow" : "upstream_slow";
  const what = kind === "db_slow" ? "slow database calls" : "slow dependency calls";
  return [
    signal(
      kind,
      0.85,
      `${what}: ${slow} calls took over 1 second (up to ${worst.toFixed(1)} seconds), which explains the latency: ${quote(example, 80)}`,
    ),
  ];
}
