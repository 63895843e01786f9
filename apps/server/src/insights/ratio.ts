/** `part / whole` rounded to 4 decimals, or null when nothing was counted (never a made-up 0 or 1). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
