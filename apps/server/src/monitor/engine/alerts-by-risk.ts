/** Positions a key holds below the risk (2^24: ~16.7 million alerts). */
const SLOTS = 2 ** 24;

/**
 * `alerts` by `risk_score`, highest first, equal scores in the order given: what the stable
 * `alerts.sort((a, b) => b.risk_score - a.risk_score)` gives, without a comparator call per
 * comparison. A score is `roundRisk`'s (tenths in [0, 100]), so (1000 − tenths) · 2^24 + position is
 * an exact float64 key whose numeric order is that order, and a typed array sorts numbers natively:
 * ~3× faster at 8,000 alerts (the overview sorts them on every read while records arrive, ADR 0023
 * ninth round). Any other score (NaN, not in tenths, out of range) or more alerts than the key holds:
 * the comparator sort, in place, as before.
 */
export function alertsByRisk<T extends { risk_score: number }>(alerts: T[]): T[] {
  const n = alerts.length;
  if (n < 2) return alerts;
  if (n > SLOTS) return alerts.sort((a, b) => b.risk_score - a.risk_score);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const risk = (alerts[i] as T).risk_score;
    const tenths = Math.round(risk * 10);
    if (!(tenths >= 0 && tenths <= 1000) || tenths / 10 !== risk) {
      return alerts.sort((a, b) => b.risk_score - a.risk_score);
    }
    keys[i] = (1000 - tenths) * SLOTS + i;
  }
  keys.sort();
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = alerts[(keys[i] as number) % SLOTS] as T;
  return out;
}
