/** Exact Shapley values of an n-player game (n ≤ 16), plus the values of the empty and full coalitions. */
export interface ShapleyResult {
  values: Float64Array;
  empty: number;
  full: number;
}

/**
 * Exact Shapley values by enumerating all 2^n coalitions: φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! ·
 * (v(S ∪ {i}) − v(S)). `value(mask)` is the game on a bitmask of present players (bit i = player i).
 * Exact rather than sampled, so efficiency (Σφ = v(full) − v(∅)), symmetry and the dummy
 * property hold to rounding; n·2^n work is ~10k steps for the risk function's 10 groups.
 */
export function exactShapley(n: number, value: (mask: number) => number): ShapleyResult {
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new RangeError(`exactShapley: n must be 0..16, got ${n}`);
  const size = 1 << n;
  const v = new Float64Array(size);
  for (let m = 0; m < size; m++) v[m] = value(m);

  // weight[s] = s!(n−s−1)!/n!, built without factorials: weight[0] = 1/n, weight[s] = weight[s−1]·s/(n−s).
  const weight = new Float64Array(Math.max(n, 1));
  weight[0] = 1 / Math.max(n, 1);
  for (let s = 1; s < n; s++) weight[s] = (weight[s - 1]! * s) / (n - s);

  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    let phi = 0;
    for (let m = 0; m < size; m++) {
      if (m & bit) continue;
      phi += weight[popcount(m)]! * (v[m | bit]! - v[m]!);
    }
    values[i] = phi;
  }
  return { values, empty: v[0]!, full: v[size - 1]! };
}

function popcount(x: number): number {
  let c = 0;
  for (let y = x; y !== 0; y &= y - 1) c++;
  return c;
}
