import { keyValues, monotonicGrowth, seriesByKey } from "./key-values.js";
import { type LogView, quote } from "./log-view.js";
import { parseBytes, pct, ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

/** Runtime-specific "the process ran out of memory" messages, strongest first. */
const RUNTIME_OOM: Array<[RegExp, number, string]> = [
  [/java\.lang\.OutOfMemoryError(?::\s*([^\n]{0,60}))?/, 1, "JVM OutOfMemoryError"],
  [/System\.OutOfMemoryException/, 1, ".NET OutOfMemoryException"],
  [/JavaScript heap out of memory|Reached heap limit|FatalProcessOutOfMemory/, 1, "V8 heap out of memory"],
  [/fatal error: runtime: out of memory|runtime: cannot allocate memory/, 1, "Go runtime out of memory"],
  [/\bNoMemoryError\b|failed to allocate memory \(NoMemoryError\)/, 0.9, "Ruby NoMemoryError"],
  [/\b\w*MemoryError\b|Unable to allocate [\d.]+ ?[KMGT]i?B/, 0.8, "Python MemoryError"],
  [/std::bad_alloc|Cannot allocate memory|\bENOMEM\b/, 0.7, "allocation failure (ENOMEM)"],
  [/\bout of memory\b/i, 0.55, "out of memory"],
];

const KILLED =
  /Out of memory: Kill(?:ed)? process|Memory cgroup out of memory|invoked oom-killer|oom[-_ ]kill(?:er|ed)?\b|OOMKilled/i;
const NOT_HEAP = /unable to create (?:new )?native thread|Metaspace|Direct buffer memory/i;
const EXIT_137 = /exit(?:ed)?\s*(?:with\s*)?code[=:\s]*137|exitCode[=:]\s*137|Exit Code:\s*137/i;
const MEMORY_WORD = /\b(?:mem(?:ory)?|heap|rss|ram|resident|working[ _]set|MemAvailable)\w*/i;

function runtimeOom(view: LogView): Signal[] {
  for (const [re, strength, label] of RUNTIME_OOM) {
    // "unable to create native thread" is the thread/PID limit, not the heap (process-limit signals name it).
    const line = view.lines.find((l) => re.test(l.text) && !KILLED.test(l.text) && !NOT_HEAP.test(l.text));
    if (line) return [signal("oom_fatal", strength, `${label}: ${quote(line.text, 100, re)}`)];
  }
  return [];
}

function oomKilled(view: LogView): Signal[] {
  const killed = view.lines.find((l) => KILLED.test(l.text));
  if (killed)
    return [signal("oom_killed", 0.9, `killed for exceeding its memory limit: ${quote(killed.text, 100, KILLED)}`)];
  const exit = view.lines.find((l) => EXIT_137.test(l.text));
  return exit
    ? [signal("oom_killed", 0.5, `exit code 137 (SIGKILL, usually the OOM killer): ${quote(exit.text, 80)}`)]
    : [];
}

/** Full collections that reclaim almost nothing while the heap is nearly full: the live set itself is too big. */
function gcThrash(view: LogView): Signal[] {
  const out: Signal[] = [];
  for (const l of view.lines) {
    const jvm = /Full[^\n]*?(\d+(?:\.\d+)?)([KMG])B?->(\d+(?:\.\d+)?)([KMG])B?\((\d+(?:\.\d+)?)([KMG])B?\)/.exec(
      l.text,
    );
    const v8 = /Mark-(?:Compact|sweep)[^\n]*?([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(l.text);
    let before = 0;
    let after = 0;
    let cap = 0;
    if (jvm) {
      before = parseBytes(jvm[1] ?? "", jvm[2] ?? "");
      after = parseBytes(jvm[3] ?? "", jvm[4] ?? "");
      cap = parseBytes(jvm[5] ?? "", jvm[6] ?? "");
    } else if (v8) {
      before = Number(v8[1]);
      after = Number(v8[3]);
      cap = Math.max(Number(v8[2]), Number(v8[4]));
    } else continue;
    if (before <= 0 || cap <= 0) continue;
    const reclaimed = (before - after) / before;
    const occupancy = after / cap;
    if (occupancy >= 0.85 && reclaimed < 0.1) {
      out.push(
        signal(
          "gc_thrash",
          ramp(occupancy, 0.85, 0.97) * ramp(reclaimed, 0.1, 0.02),
          `full GC reclaims ${pct(reclaimed * 100)}; heap ${pct(occupancy * 100)} full after GC`,
        ),
      );
    }
  }
  const overhead = view.lines.find((l) => /GC overhead limit exceeded|scavenge might not succeed/i.test(l.text));
  if (overhead) out.push(signal("gc_thrash", 1, `GC cannot keep up: ${quote(overhead.text, 80)}`));
  for (const l of view.lines) {
    const frac = /gc_cpu_fraction[=:\s]+(0?\.\d+)/i.exec(l.text);
    if (frac && Number(frac[1]) >= 0.15) {
      out.push(signal("gc_thrash", ramp(Number(frac[1]), 0.1, 0.3), `GC uses ${pct(Number(frac[1]) * 100)} of CPU`));
    }
    const mu = /current mu = (0?\.\d+)/.exec(l.text);
    if (mu && Number(mu[1]) < 0.1) out.push(signal("gc_thrash", 0.8, `V8 mutator utilisation ${mu[1]} (GC dominates)`));
  }
  return out;
}

interface Reading {
  ratio: number;
  key: string;
  line: string;
}

/** Memory usage relative to its limit, from the usual ways logs print it. */
function memoryReadings(view: LogView): Reading[] {
  const out: Reading[] = [];
  for (const l of view.lines) {
    const t = l.text;
    if (!MEMORY_WORD.test(t)) continue;
    for (const m of t.matchAll(/\b(?:mem(?:ory)?|heap|rss|ram)\b([^%\n]{0,40}?)(\d{1,3}(?:\.\d+)?)\s*%/gi)) {
      if (/cpu|disk|\bfs\b|volume/i.test(m[1] ?? "")) continue;
      out.push({ ratio: Number(m[2]) / 100, key: "percent", line: t });
    }
    for (const m of t.matchAll(
      /(\d{1,3}(?:\.\d+)?)%\s*(?:used|full|of\s+(?:its\s+|the\s+)?(?:memory|heap)|(?:and\s+\d+(?:\.\d+)?%\s+)?of\s+memory)/gi,
    )) {
      out.push({ ratio: Number(m[1]) / 100, key: "percent-used", line: t });
    }
    for (const m of t.matchAll(
      /(\d+(?:\.\d+)?)\s*([KMGT](?:i?B)?)\s*(?:\/|of|out of)\s*(\d+(?:\.\d+)?)\s*([KMGT](?:i?B)?)\b/g,
    )) {
      const cap = parseBytes(m[3] ?? "", m[4] ?? "");
      if (cap > 0) out.push({ ratio: parseBytes(m[1] ?? "", m[2] ?? "") / cap, key: "size-pair", line: t });
    }
    for (const m of t.matchAll(
      /(\d+(?:\.\d+)?)\s*([KMGT]i?B?)\s*\((?:limit|max)[=:\s]*(\d+(?:\.\d+)?)\s*([KMGT]i?B?)\)/gi,
    )) {
      const cap = parseBytes(m[3] ?? "", m[4] ?? "");
      if (cap > 0) out.push({ ratio: parseBytes(m[1] ?? "", m[2] ?? "") / cap, key: "size-limit", line: t });
    }
    const kvs = keyValues(t);
    const bytes = (k: { key: string; value: number; unit: string }) =>
      parseBytes(String(k.value), k.unit || (/mb$/i.test(k.key) ? "M" : /gb$/i.test(k.key) ? "G" : "B"));
    const used = kvs.find(
      (k) => /heap_?(?:used|inuse)|rss|mem(?:ory)?_?(?:used|usage|inuse)/i.test(k.key) && !/total/i.test(k.key),
    );
    const limit = kvs.find((k) => /(?:heap|mem|memory)\w*_?(?:limit|max)|GOMEMLIMIT|max_?heap/i.test(k.key));
    if (used && limit && bytes(limit) > 0)
      out.push({ ratio: bytes(used) / bytes(limit), key: `kv:${used.key}`, line: t });
  }
  return out.filter((r) => r.ratio > 0 && r.ratio <= 1.05);
}

function memoryLevel(view: LogView, readings: Reading[]): Signal[] {
  const out: Signal[] = [];
  const top = readings.reduce<Reading | null>((a, b) => (a && a.ratio >= b.ratio ? a : b), null);
  if (top && top.ratio >= 0.8) {
    out.push(
      signal(
        "memory_high",
        ramp(top.ratio, 0.78, 0.97),
        `memory at ${pct(top.ratio * 100)} of limit: ${quote(top.line, 80)}`,
      ),
    );
  }
  const ctx = view.input.context?.metrics?.memory_percent;
  if (typeof ctx === "number" && ctx >= 80) {
    out.push(signal("memory_high", ramp(ctx, 78, 97), `memory_percent ${pct(ctx)} (context)`, "context"));
  }
  return out;
}

const GROWTH_KEY = /heap|rss|mem|objects?|listeners?|entries|goroutines|cache|len|size|handles|fds/i;
const LOAD_KEY = /rps|qps|req|clients|users|sessions|conn|traffic/i;

/** A memory-like quantity that only grows across samples, ideally while load stays flat. */
function memoryGrowth(view: LogView, readings: Reading[]): Signal[] {
  const out: Signal[] = [];
  const byKey = new Map<string, number[]>();
  for (const r of readings) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.ratio]);
  for (const [key, values] of byKey) {
    const g = monotonicGrowth(values);
    if (g !== null && g > 0.03 && values.length >= 2) {
      out.push(
        signal(
          "memory_growth",
          values.length >= 3 ? 0.8 : 0.6,
          `memory rose from ${pct((values[0] ?? 0) * 100)} to ${pct((values.at(-1) ?? 0) * 100)} across ${values.length} samples (${key})`,
        ),
      );
    }
  }
  const series = seriesByKey(view.lines.map((l) => l.text));
  const flatLoad = [...series].find(
    ([k, v]) => LOAD_KEY.test(k) && v.length >= 2 && Math.abs(monotonicGrowth(v) ?? 1) < 0.05,
  );
  for (const [key, values] of series) {
    if (!GROWTH_KEY.test(key) || LOAD_KEY.test(key)) continue;
    const g = monotonicGrowth(values);
    if (g === null || g < 0.05) continue;
    const note = flatLoad ? ` while ${flatLoad[0]} stayed flat` : "";
    out.push(
      signal(
        "memory_growth",
        // More samples, more growth and flat load each make "leak" likelier than "busy".
        Math.min(0.9, 0.5 + (values.length >= 3 ? 0.15 : 0) + (g >= 0.3 ? 0.15 : 0) + (flatLoad ? 0.15 : 0)),
        `${key} grew ${pct(g * 100)} across ${values.length} samples${note}`,
      ),
    );
  }
  const growthWords = view.lines.find(
    (l) =>
      /\b(?:growing|grows|grew|increasing|climbing|keeps? (?:rising|growing)|steadily)\b|\+\d[\d.,]*k?\s*\/\s*(?:min|h|s)\b/i.test(
        l.text,
      ) &&
      (MEMORY_WORD.test(l.text) || /cache|entries|objects|listeners/i.test(l.text)),
  );
  for (const l of view.lines) {
    const delta = /\(\+\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B)\)/.exec(l.text);
    if (delta && parseBytes(delta[1] ?? "0", delta[2] ?? "B") >= 50 * 1024 ** 2) {
      out.push(signal("memory_growth", 0.65, `allocations growing: ${quote(l.text, 90, /\(\+/)}`));
      break;
    }
    const m = /(?<![\d.])(\d+(?:\.\d+)?)\s*([KMGT]i?B?)\s*(?:->|→|to)\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?)\b/.exec(l.text);
    if (
      m &&
      MEMORY_WORD.test(l.text) &&
      parseBytes(m[3] ?? "", m[4] ?? "") > parseBytes(m[1] ?? "", m[2] ?? "") * 1.05
    ) {
      out.push(signal("memory_growth", 0.65, `memory climbing: ${quote(l.text, 90, MEMORY_WORD)}`));
      break;
    }
  }
  if (growthWords) out.push(signal("memory_growth", 0.6, `growth reported: ${quote(growthWords.text, 90)}`));
  return out;
}

function leakHints(view: LogView): Signal[] {
  const out: Signal[] = [];
  const explicit = view.lines.find((l) =>
    /memory leak|leak detected|possible [\w ]{0,30}leak|MaxListenersExceeded|unable to create (?:new )?native thread|too many open files|EMFILE/i.test(
      l.text,
    ),
  );
  if (explicit) out.push(signal("leak_hint", 0.55, `leak reported: ${quote(explicit.text, 90)}`));
  for (const l of view.lines) {
    const g = /(?<![\d,])(\d[\d,]*)\s+goroutines/i.exec(l.text);
    if (g && Number((g[1] ?? "").replace(/,/g, "")) >= 10_000) {
      out.push(signal("leak_hint", 0.75, `${g[1]} goroutines alive: ${quote(l.text, 80)}`));
      break;
    }
  }
  const unbounded = view.lines.find((l) =>
    /unbounded|maximumSize not configured|no (?:eviction|expir\w*|TTL|max(?:imum)?[ _]?size)|never (?:evicted|released|freed|closed)|without (?:eviction|a limit)/i.test(
      l.text,
    ),
  );
  if (unbounded) out.push(signal("leak_hint", 0.6, `unbounded structure: ${quote(unbounded.text, 90)}`));
  const huge = view.lines.find((l) =>
    /\b(\d{1,3}(?:,\d{3}){2,}|\d{7,})\s+(?:entries|objects|listeners|handles|sessions)\b/i.test(l.text),
  );
  if (huge) out.push(signal("leak_hint", 0.45, `millions of retained objects: ${quote(huge.text, 80)}`));
  return out;
}

export function memorySignals(view: LogView): Signal[] {
  const readings = memoryReadings(view);
  const found = [
    ...runtimeOom(view),
    ...oomKilled(view),
    ...gcThrash(view),
    ...memoryLevel(view, readings),
    ...memoryGrowth(view, readings),
    ...leakHints(view),
  ];
  return [...found, ...alertLeak(view, found)];
}

/**
 * A monitoring rule that fired for a leak is a second, independent witness, but only of what the logs
 * themselves show: it counts when the logs read memory pressure, never on its own (an alert's name is
 * as easy to get wrong as to forge).
 */
function alertLeak(view: LogView, found: readonly Signal[]): Signal[] {
  if (!/memory leak|\bleak\b|out of memory|\boom\b/i.test(view.alert)) return [];
  const pressure = found.some((x) =>
    ["memory_high", "memory_growth", "oom_fatal", "oom_killed", "gc_thrash"].includes(x.kind),
  );
  return pressure ? [signal("leak_hint", 0.55, `the alert reports a leak: "${quote(view.alert, 60)}"`, "alert")] : [];
}
