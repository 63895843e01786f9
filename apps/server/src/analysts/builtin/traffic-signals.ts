import { type LogView, quote } from "./log-view.js";
import { parseCount, ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

const LOAD_BEFORE =
  /\b(rps|qps|tps|requests?(?:\/s|\/sec|\/min| per (?:second|minute))|req\/s|req\/min|logins?\/min|msgs?\/s|messages\/s|events\/s|produce rate|ingest(?:ion)? rate|arrival rate|throughput|traffic|concurrent (?:users|sessions)|active connections|request ?count|consume rate|consumption rate)\b/gi;
const LOAD_AFTER =
  /(?<![\d.,])(\d[\d,]*(?:\.\d+)?k?)\s*(rps|qps|req\/s|requests\/s|msgs?\/s|messages\/s|events\/s|logins\/min)\b/gi;
const HISTORIC =
  /baseline|\bavg\b|average|\bmean\b|normal|usual|typical|last (?:week|month|\w+day)|same (?:hour|time|day|period)|yesterday|previous|prior|before|forecast|expected|median/i;
const CAPACITY = /\bmax(?:imum)?\b|sustained|capacity|limit/i;

interface LoadReading {
  ratio: number;
  versus: "history" | "capacity" | "peak";
  line: string;
}

/** The reference number inside a parenthetical, ignoring dates and clock times. */
function referenceNumber(paren: string): number | null {
  const cleaned = paren
    .replace(/\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?/g, " ")
    .replace(/\b\d{1,2}:\d{2}(?::\d{2})?\b/g, " ")
    .replace(/\b\d+[hdwm]\b/g, " ");
  const nums = [...cleaned.matchAll(/~?(\d[\d,]*(?:\.\d+)?k?)/g)]
    .map((m) => parseCount(m[1] ?? ""))
    .filter((n) => Number.isFinite(n));
  return nums.at(-1) ?? null;
}

/** "rps=2310 (7d avg 1150)", "requests/s 5210 (1h avg: 1290)", "2480 msg/s (max sustained ~2500)". */
function readLoad(view: LogView): LoadReading[] {
  const out: LoadReading[] = [];
  for (const l of view.lines) {
    const t = l.text;
    const values: Array<{ value: number; end: number }> = [];
    for (const m of t.matchAll(LOAD_BEFORE)) {
      const after = /^[^\d\n(]{0,15}?(\d[\d,]*(?:\.\d+)?k?)(?![\d.,]*\s*(?:%|[smhd]\b|ms\b))/.exec(
        t.slice(m.index + m[0].length),
      );
      if (after) values.push({ value: parseCount(after[1] ?? ""), end: m.index + m[0].length + after[0].length });
    }
    for (const m of t.matchAll(LOAD_AFTER)) values.push({ value: parseCount(m[1] ?? ""), end: m.index + m[0].length });
    for (const v of values) {
      const paren = /^[^(\n]{0,40}?\(([^()]*)\)/.exec(t.slice(v.end));
      if (!paren) continue;
      const content = paren[1] ?? "";
      if (content.includes("%")) continue;
      if (/^\s*(?:normal|usual|as usual|flat|unchanged|typical)\s*$/i.test(content)) {
        out.push({ ratio: 1, versus: "history", line: t });
        continue;
      }
      const ref = referenceNumber(content);
      if (!ref || !Number.isFinite(v.value) || ref <= 0) continue;
      const versus = /\bpeak\b/i.test(content)
        ? "peak"
        : CAPACITY.test(content)
          ? "capacity"
          : HISTORIC.test(content)
            ? "history"
            : null;
      if (versus) out.push({ ratio: v.value / ref, versus, line: t });
    }
  }
  return out;
}

/** "traffic 3.2x normal", "rps up 250% vs last week". */
function multipliers(view: LogView): LoadReading[] {
  const out: LoadReading[] = [];
  for (const l of view.lines) {
    if (!/traffic|load|requests|rps|qps|throughput|volume|logins|sessions|users/i.test(l.text)) continue;
    const x = /(\d+(?:\.\d+)?)\s*[x×]\s+(?:the\s+)?(?:normal|usual|baseline|typical|average|expected)/i.exec(l.text);
    if (x) out.push({ ratio: Number(x[1]), versus: "history", line: l.text });
    const up = /\bup\s+(\d+(?:\.\d+)?)\s*%\s+(?:vs|versus|over|from|compared)/i.exec(l.text);
    if (up) out.push({ ratio: 1 + Number(up[1]) / 100, versus: "history", line: l.text });
  }
  return out;
}

export interface TrafficReading {
  signals: Signal[];
  /** Current load over its normal level, when known (context preferred). */
  ratio: number | null;
}

export function trafficSignals(view: LogView): TrafficReading {
  const out: Signal[] = [];
  let ratio: number | null = null;
  let ratioEvidence = "";
  let source: "context" | "logs" = "logs";
  const ctx = view.input.context;
  const rps = ctx?.metrics?.rps;
  const base = ctx?.baseline?.rps;
  if (typeof rps === "number" && typeof base === "number" && base > 0) {
    ratio = rps / base;
    ratioEvidence = `rps ${rps} vs baseline ${base} (${ratio.toFixed(1)}x)`;
    source = "context";
  }
  const readings = [...readLoad(view), ...multipliers(view)];
  const historic = readings.filter((r) => r.versus === "history");
  if (ratio === null && historic.length) {
    const best = historic.reduce((a, b) => (Math.abs(Math.log(b.ratio)) > Math.abs(Math.log(a.ratio)) ? b : a));
    ratio = best.ratio;
    ratioEvidence = `load ${ratio.toFixed(1)}x its usual level: ${quote(best.line, 90)}`;
  }
  if (ratio !== null) {
    if (ratio >= 1.5) out.push(signal("load_high", ramp(ratio, 1.4, 2.5), ratioEvidence, source));
    else if (ratio >= 0.7)
      out.push(signal("load_normal", 1 - ramp(Math.abs(ratio - 1), 0.15, 0.4) * 0.5, ratioEvidence, source));
    else if (ratio <= 0.5) out.push(signal("load_low", ramp(ratio, 0.6, 0.2), ratioEvidence, source));
  }
  for (const r of readings) {
    if (r.versus === "capacity" && r.ratio >= 0.9)
      out.push(
        signal(
          "saturation",
          0.7,
          `throughput at ${Math.round(r.ratio * 100)}% of its sustainable maximum: ${quote(r.line, 80)}`,
        ),
      );
    if (r.versus === "peak" && r.ratio < 0.8)
      out.push(signal("load_low", 0.5, `load below its recent peak: ${quote(r.line, 80)}`));
    if (r.versus === "peak" && r.ratio >= 1.5)
      out.push(signal("load_high", 0.8, `load above its recent peak: ${quote(r.line, 80)}`));
  }
  out.push(...saturation(view), ...campaigns(view));
  if (
    /\b(?:traffic|load|rps|qps|(?:input|request|arrival|ingest)[_ ]rate)\b[^\n]{0,20}?\b(?:normal|flat|unchanged|steady|as usual)\b|\((?:normal|unchanged)\)/i.test(
      view.text,
    ) &&
    ratio === null
  ) {
    out.push(signal("load_normal", 0.6, "logs describe traffic as normal"));
  }
  return { signals: out, ratio };
}

function saturation(view: LogView): Signal[] {
  const out: Signal[] = [];
  const pool = view.lines.find(
    (l) =>
      /\b(?:worker|thread|request|executor)s?[ _-]?pool\b[^\n]{0,40}\b(?:saturated|exhausted|full)\b|\bactive=(\d+)\/\1\b[^\n]*queued=[1-9]/i.test(
        l.text,
      ) && !/hikari|jdbc|\bdb\b|database|sql|connection pool|elasticsearch|es_rejected|mongo|redis/i.test(l.text),
  );
  if (pool) out.push(signal("saturation", 0.7, `workers saturated: ${quote(pool.text, 90)}`));
  const hpa = view.lines.find((l) =>
    /\breplicas?\s+(\d+)\s*\/\s*max\s+\1\b|reached (?:the )?max(?:imum)? (?:replicas|replica count)|ScalingLimited|TooManyReplicas|desired replica count is more than the max/i.test(
      l.text,
    ),
  );
  if (hpa) out.push(signal("saturation", 0.6, `autoscaler already at its maximum: ${quote(hpa.text, 90)}`));
  const timeouts = view.lines.filter((l) => /WORKER TIMEOUT/.test(l.text)).length;
  if (timeouts)
    out.push(signal("saturation", 0.45, `${timeouts} gunicorn WORKER TIMEOUT line(s): workers starved or blocked`));
  const lagHeader = view.lines.findIndex((l) => /\bLAG\b/.test(l.text) && /PARTITION/.test(l.text));
  if (lagHeader >= 0) {
    const lags = view.lines
      .slice(lagHeader + 1)
      .map((l) => /^\S+\s+\S+\s+\d+\s+\d+\s+\d+\s+(\d+)/.exec(l.text.trim()))
      .filter((m) => m)
      .map((m) => Number(m?.[1]));
    const max = Math.max(0, ...lags);
    if (max >= 10_000)
      out.push(signal("saturation", 0.55, `consumer lag up to ${max.toLocaleString("en-US")} messages per partition`));
  }
  const fleet = view.lines.find(
    (l) => /\ball \d+ (?:pods|replicas|instances|nodes)\b/i.test(l.text) && /cpu|saturat|busy|hot/i.test(l.text),
  );
  if (fleet) out.push(signal("saturation", 0.5, `every replica is busy: ${quote(fleet.text, 90)}`));
  return out;
}

function campaigns(view: LogView): Signal[] {
  const line = view.lines.find((l) =>
    /utm_campaign|\bcampaign\b|_promo\b|promo campaign|flash[ _-]?sale|push[ _-]?(?:campaign|notification)|marketing (?:email|push|blast)|black[ _-]?friday|cyber[ _-]?monday|launch day|went viral|ticket (?:sale|drop)|evening peak|peak hour/i.test(
      l.text,
    ),
  );
  return line ? [signal("campaign", 0.6, `demand driver in logs: ${quote(line.text, 90)}`)] : [];
}
