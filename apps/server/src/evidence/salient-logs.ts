/**
 * Condenses logs to a character budget without cutting blindly: the head (what the incident is about),
 * the tail (the latest state) and, in between, the lines that carry a diagnosis (Kubernetes reasons,
 * exit codes, warning events, errors, stack-trace heads…), with repeated lines collapsed into one and
 * a count. A blind tail loses the `Reason: OOMKilled` of a `kubectl describe` that is followed by a long
 * log; this keeps it.
 */

/** Lines that name a cause or a state, strongest first: a line takes the weight of its first match. */
const SALIENT: Array<[RegExp, number]> = [
  [
    /\b(?:OOMKilled|CrashLoopBackOff|ErrImagePull|ImagePullBackOff|CreateContainer(?:Config)?Error|StartError|RunContainerError|Evicted|BackoffLimitExceeded|FailedScheduling|FailedMount|FailedAttachVolume|ProvisioningFailed|FailedCreate|DeadlineExceeded)\b/,
    10,
  ],
  [/^\s*(?:Reason|Message|Exit Code|Last State|State|Status|Phase|Health Status|Sync Status|Signal):/i, 8],
  [/^\s*Warning\s{1,}\S|\s(?:Warning)\s{2,}\w/, 8],
  [
    /not found|no such (?:file|host)|could not resolve|permission denied|executable file|command not found|unbound|insufficient|didn't match|untolerated taint|too many pods|expired|x509|certificate|throttl|probe failed|pressure\s+true/i,
    7,
  ],
  [
    /\b(?:FATAL|PANIC|CRITICAL|ERROR|ERR|SEVERE)\b|\blevel[=:]"?(?:error|fatal)|^\s*(?:Traceback|panic:|fatal error:|Exception in thread)|^\s*[\w.]*(?:Error|Exception)\b:/,
    6,
  ],
  [/\b(?:error|fail(?:ed|ure)?|refused|timed? ?out|unreachable|denied|killed|deny|exception)\b/i, 5],
  [
    /^\s*(?:Restart Count|Limits|Requests|Image|Command|Args|Node|Conditions|Capacity|Allocatable|Non-terminated Pods):|^\s*(?:cpu|memory|pods|ephemeral-storage):\s+\S/i,
    4,
  ],
  [/^#{2,}\s|\b(?:WARN(?:ING)?)\b|\b(?:completed|took|duration|latency|elapsed)\b[^\n]{0,30}\d/i, 3],
];

const HEAD_SHARE = 0.2;
const TAIL_SHARE = 0.3;
/** One line never takes more than this, so a single minified blob cannot eat the budget. */
const MAX_LINE = 400;
/** Room for one `[… N lines omitted …]` marker. */
const MARKER = 30;

function weight(line: string): number {
  for (const [re, w] of SALIENT) if (re.test(line)) return w;
  return 0;
}

/** Lines that differ only in numbers, ids and timestamps are the same message repeated. */
function shape(line: string): string {
  return line
    .replace(/[0-9a-f]{8,}/gi, "#")
    .replace(/\d+/g, "#")
    .replace(/\s+/g, " ")
    .trim();
}

interface Entry {
  text: string;
  index: number;
  repeats: number;
  weight: number;
}

/** Collapses repeats of the same message (kept at its first occurrence, with a count). */
function dedupe(lines: string[]): Entry[] {
  const byShape = new Map<string, Entry>();
  const out: Entry[] = [];
  lines.forEach((raw, index) => {
    const text = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE - 1)}…` : raw;
    const key = shape(text);
    const seen = key === "" ? undefined : byShape.get(key);
    if (seen) {
      seen.repeats++;
      return;
    }
    const e = { text, index, repeats: 1, weight: weight(text) };
    if (key !== "") byShape.set(key, e);
    out.push(e);
  });
  return out;
}

const render = (e: Entry) => (e.repeats > 1 ? `${e.text} [×${e.repeats}]` : e.text);

/**
 * `logs` within `budget` characters: unchanged when it fits, else head + salient lines + tail in their
 * original order, with `[… N lines omitted …]` where lines were dropped.
 */
export function salientLogs(logs: string, budget: number): string {
  if (logs.length <= budget) return logs;
  const entries = dedupe(logs.split(/\r?\n/));
  const keep = new Set<Entry>();
  let used = 0;
  // A kept line between dropped ones may need an omission marker: count one per line beyond the head.
  const take = (e: Entry, limit: number, marker = MARKER) => {
    const cost = render(e).length + 1 + marker;
    if (keep.has(e) || used + cost > limit) return false;
    keep.add(e);
    used += cost;
    return true;
  };
  const room = Math.max(0, budget - MARKER);
  for (const e of entries) if (!take(e, room * HEAD_SHARE, 0)) break;
  const headUsed = used;
  const tail: Entry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as Entry;
    if (keep.has(e) || used + render(e).length + 1 > headUsed + room * TAIL_SHARE) break;
    tail.push(e);
    used += render(e).length + 1;
  }
  used += MARKER;
  const ranked = entries
    .filter((e) => e.weight > 0 && !keep.has(e) && !tail.includes(e))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const e of ranked) take(e, room);
  for (const e of tail) keep.add(e);
  if (keep.size === entries.length) return entries.map(render).join("\n").slice(0, budget);
  const out: string[] = [];
  let dropped = 0;
  for (const e of entries) {
    if (!keep.has(e)) {
      dropped++;
      continue;
    }
    if (dropped > 0) out.push(`[… ${dropped} lines omitted …]`);
    dropped = 0;
    out.push(render(e));
  }
  if (dropped > 0) out.push(`[… ${dropped} lines omitted …]`);
  return out.join("\n").slice(0, budget);
}
