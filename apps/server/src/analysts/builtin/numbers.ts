/** "1,482,113" -> 1482113, "4.8k" -> 4800, "2.1M" -> 2100000 (counts, not bytes). */
export function parseCount(raw: string): number {
  const m = /^([\d,]*\.?\d+)\s*([kKmM])?$/.exec(raw.trim());
  if (!m) return Number.NaN;
  const n = Number((m[1] ?? "").replace(/,/g, ""));
  const mult = m[2] === "k" || m[2] === "K" ? 1e3 : m[2] === "m" || m[2] === "M" ? 1e6 : 1;
  return n * mult;
}

/** Byte sizes such as "3.61GiB", "2048M", "1.9 GB", "512MB" in bytes. */
export function parseBytes(value: string, unit: string): number {
  const n = Number(value.replace(/,/g, ""));
  const u = unit.trim().toUpperCase().charAt(0);
  const mult = u === "T" ? 1024 ** 4 : u === "G" ? 1024 ** 3 : u === "M" ? 1024 ** 2 : u === "K" ? 1024 : 1;
  return n * mult;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/** Linear ramp: 0 at `from`, 1 at `to` (works for descending ramps too). */
export function ramp(x: number, from: number, to: number): number {
  return clamp((x - from) / (to - from), 0, 1);
}

export function pct(x: number): string {
  return `${Math.round(x * 10) / 10}%`;
}
