/** A numeric key/value pair found in a structured log line (`key=12`, `"key":12`, `key: 1,204`). */
export interface KeyValue {
  key: string;
  value: number;
  /** Unit written after the number, if any ("GiB", "ms", "%"). */
  unit: string;
}

const KV =
  /(?<![\w.-])"?([A-Za-z_][\w.-]*)"?\s*[:=]\s*"?(-?\d[\d,]*(?:\.\d+)?)\s*(%|[KMGT]i?B|[KMGT]B?|ms|s)?(?![\w.])/g;

export function keyValues(line: string): KeyValue[] {
  const out: KeyValue[] = [];
  for (const m of line.matchAll(KV)) {
    const raw = m[2] ?? "";
    // "1,204" is a grouped number; "3,4" in prose is not worth the ambiguity.
    if (raw.includes(",") && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw)) continue;
    out.push({ key: m[1] ?? "", value: Number(raw.replace(/,/g, "")), unit: m[3] ?? "" });
  }
  return out;
}

/** Series of the same key across lines, in log order, for trend detection. */
export function seriesByKey(lines: string[]): Map<string, number[]> {
  const series = new Map<string, number[]>();
  for (const line of lines) {
    for (const kv of keyValues(line)) {
      const list = series.get(kv.key) ?? [];
      list.push(kv.value);
      series.set(kv.key, list);
    }
  }
  return series;
}

/** Relative change from first to last when the series never decreases; null otherwise. */
export function monotonicGrowth(values: number[]): number | null {
  if (values.length < 2) return null;
  if (values.some((v, i) => i > 0 && v < (values[i - 1] ?? v))) return null;
  const first = values[0] ?? 0;
  const last = values.at(-1) ?? 0;
  if (first <= 0) return null;
  return (last - first) / first;
}
