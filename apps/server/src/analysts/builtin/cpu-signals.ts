import { keyValues } from "./key-values.js";
import { type LogView, quote } from "./log-view.js";
import { pct, ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

/** CPU usage figures printed in logs: "cpu 94%", "cpu=97%", "1.98 cores (limit 2.0)", throttling. */
export function logCpuPercents(view: LogView): Array<{ value: number; line: string }> {
  const out: Array<{ value: number; line: string }> = [];
  for (const l of view.lines) {
    for (const m of l.text.matchAll(
      /\bcpu(?:[ _]?(?:usage|util(?:i[sz]ation)?|percent))?\b["'\s:=><≥~]*(?:at\s+|avg\s+|above\s+|over\s+)?(\d{1,3}(?:\.\d+)?)\s*%/gi,
    )) {
      out.push({ value: Number(m[1]), line: l.text });
    }
    for (const m of l.text.matchAll(/(\d{1,3}(?:\.\d+)?)\s*%\s*(?:cpu|CPU)\b/g))
      out.push({ value: Number(m[1]), line: l.text });
    const cores = /(?<![\d.])(\d+(?:\.\d+)?)\s*cores?\s*\((?:limit|of)\s*(\d+(?:\.\d+)?)\)/i.exec(l.text);
    if (cores && Number(cores[2]) > 0) out.push({ value: (Number(cores[1]) / Number(cores[2])) * 100, line: l.text });
    const top = /%Cpu\(s\):\s*([\d.]+)\s*us,\s*([\d.]+)\s*sy/.exec(l.text);
    if (top) out.push({ value: Number(top[1]) + Number(top[2]), line: l.text });
    const used = /used\s+(\d+(?:\.\d+)?)\s*cores?\s*\((\d+(?:\.\d+)?)%\)/i.exec(l.text);
    if (used) out.push({ value: Number(used[2]), line: l.text });
  }
  return out;
}

function saturation(view: LogView): Signal[] {
  const out: Signal[] = [];
  const ctx = view.input.context?.metrics?.cpu_percent;
  if (typeof ctx === "number" && ctx >= 85)
    out.push(signal("cpu_saturated", ramp(ctx, 80, 98), `cpu_percent ${pct(ctx)} (context)`, "context"));
  const top = logCpuPercents(view).reduce<{ value: number; line: string } | null>(
    (a, b) => (a && a.value >= b.value ? a : b),
    null,
  );
  if (top && top.value >= 85)
    out.push(signal("cpu_saturated", ramp(top.value, 80, 98), `CPU at ${pct(top.value)}: ${quote(top.line, 80)}`));
  const throttled = view.lines.find((l) =>
    /(\d{2,3})%\s+throttling|CPUThrottlingHigh|cpu (?:starved|starvation)|throttled/i.test(l.text),
  );
  if (throttled) out.push(signal("cpu_saturated", 0.7, `CPU throttled: ${quote(throttled.text, 90)}`));
  return out;
}

/** A thread or function that owns nearly all CPU: thread dumps, profilers, top. */
function hotThreads(view: LogView): Signal[] {
  const out: Signal[] = [];
  for (const l of view.lines) {
    const jt = /"([^"]+)"[^\n]*\bcpu=([\d.]+)ms\s+elapsed=([\d.]+)s/.exec(l.text);
    if (jt) {
      const share = Number(jt[2]) / (Number(jt[3]) * 1000);
      if (share >= 0.6 && Number(jt[3]) >= 30) {
        out.push(
          signal(
            "hot_thread",
            ramp(share, 0.5, 0.9),
            `thread "${jt[1]}" used CPU ${pct(share * 100)} of the last ${Math.round(Number(jt[3]))} s`,
          ),
        );
      }
    }
  }
  const tableAt = view.lines.findIndex((l) => /\bflat\s+flat%/.test(l.text));
  const firstRow = tableAt >= 0 ? view.lines[tableAt + 1] : undefined;
  const profileLine = view.lines.filter(
    (l) =>
      /profile|pprof|py-spy|perf top|flame|top threads|hot (?:function|method)/i.test(l.text) &&
      !/accounting for/.test(l.text),
  );
  if (firstRow) profileLine.push(firstRow);
  for (const l of profileLine) {
    const shares = [...l.text.matchAll(/(\d{1,3}(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
    const max = shares.length ? Math.max(...shares) : 0;
    if (max >= 60 && !/garbage collector|\bGC\b|gc_/i.test(l.text.slice(0, l.text.indexOf(`${max}%`) + 40))) {
      out.push(
        signal(
          "hot_thread",
          ramp(max, 50, 90),
          `one code path takes ${pct(max)} of CPU in the profile: ${quote(l.text, 90)}`,
        ),
      );
    }
  }
  // top/ps tables: one process in state R holding one or more whole cores.
  const header = view.lines.findIndex((l) => /\bPID\b/.test(l.text) && /%CPU/.test(l.text));
  if (header >= 0) {
    const cols = (view.lines[header]?.text ?? "").trim().split(/\s+/);
    const at = cols.indexOf("%CPU");
    for (const l of view.lines.slice(header + 1, header + 6)) {
      const cells = l.text.trim().split(/\s+/);
      const cpu = Number(cells[at]);
      if (cells.length >= cols.length && cpu >= 90) {
        out.push(
          signal("hot_thread", ramp(cpu, 80, 100), `process ${cells.at(-1)} at ${cpu}% CPU: ${quote(l.text, 90)}`),
        );
        break;
      }
    }
  }
  const spy = view.lines.find((l) => /^Thread \S+ \(active(?:\+gil)?\)/.test(l.text.trim()));
  if (spy) out.push(signal("hot_thread", 0.35, `py-spy shows an active thread: ${quote(spy.text, 80)}`));
  const runnable = view.text.match(/java\.lang\.Thread\.State: RUNNABLE/g)?.length ?? 0;
  if (runnable >= 2 && /cpu=\d/.test(view.text))
    out.push(signal("hot_thread", 0.4, `${runnable} RUNNABLE threads in the thread dump`));
  return out;
}

function eventLoop(view: LogView): Signal[] {
  for (const l of view.lines) {
    if (
      !/event[ _-]?loop|\beld_|\bloop (?:lag|delay|blocked)|blocked the event loop|asyncio.*took [\d.]+ seconds/i.test(
        l.text,
      )
    )
      continue;
    const suffixed = [...l.text.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*ms\b/g)].map((m) =>
      Number((m[1] ?? "").replace(/,/g, "")),
    );
    const keyed = keyValues(l.text)
      .filter((k) => /ms$|lag|delay|eld|block/i.test(k.key))
      .map((k) => k.value);
    const secs = /took ([\d.]+) seconds/.exec(l.text);
    const value = Math.max(0, ...suffixed, ...keyed, secs ? Number(secs[1]) * 1000 : 0);
    if (value >= 500)
      return [
        signal(
          "event_loop_blocked",
          ramp(value, 300, 3000),
          `event loop blocked ${Math.round(value)} ms: ${quote(l.text, 80)}`,
        ),
      ];
  }
  return [];
}

/** Work that spins without progress: dropped identical lines, same retry at the same instant, stuck counters. */
function spinning(view: LogView): Signal[] {
  const out: Signal[] = [];
  const dropped = view.lines.find((l) =>
    /(?<![\d,])(\d[\d,]*)\s+(?:identical|duplicate|similar)\s+(?:lines|messages)|last message repeated (\d+) times|repeated (\d[\d,]*) times/i.test(
      l.text,
    ),
  );
  if (dropped) {
    const n = Number((/(\d[\d,]*)/.exec(dropped.text)?.[1] ?? "0").replace(/,/g, ""));
    if (n >= 1000)
      out.push(
        signal("spin_loop", ramp(n, 1000, 100_000), `the same line repeated ${n.toLocaleString("en-US")} times`),
      );
  }
  // Three identical messages within a millisecond or so: a retry loop without backoff.
  const strip = (t: string) => t.replace(/\d+/g, "#");
  const loop = view.lines.find((c, i) => {
    const a = view.lines[i - 2];
    const b = view.lines[i - 1];
    return (
      a !== undefined &&
      b !== undefined &&
      a.ts !== null &&
      c.ts !== null &&
      c.ts - a.ts <= 5 &&
      strip(a.text) === strip(b.text) &&
      strip(b.text) === strip(c.text) &&
      /retry|retrying|attempt/i.test(c.text)
    );
  });
  if (loop) out.push(signal("spin_loop", 0.7, `tight retry loop with no backoff: ${quote(loop.text, 80)}`));

  const stuck = view.lines.find((l) =>
    /\b\w*(?:synced|processed|progress|completed)\w*[=:\s]+0\b|no progress|infinite loop|catastrophic backtracking|ReDoS|stuck (?:in|on)/i.test(
      l.text,
    ),
  );
  if (stuck) out.push(signal("spin_loop", 0.5, `no progress: ${quote(stuck.text, 90)}`));
  const inflight = view.lines.find((l) =>
    /still (?:in flight|running)|(?:elapsed|running for)[_\w]*["'\s:=]+(\d{5,})/i.test(l.text),
  );
  if (inflight && /elapsed[_\w]*["'\s:=]+(\d{5,})|running for \d+ ?(?:s|min)/i.test(inflight.text)) {
    out.push(signal("spin_loop", 0.45, `request stuck for a long time: ${quote(inflight.text, 90)}`));
  }
  return out;
}

export function cpuSignals(view: LogView): Signal[] {
  return [...saturation(view), ...hotThreads(view), ...eventLoop(view), ...spinning(view)];
}
