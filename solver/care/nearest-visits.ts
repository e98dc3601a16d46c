/**
 * For each task, the `k` visits nearest by round-trip time on the first profile's matrix `t0`
 * (L location nodes; visit j is node j), ties to the lower index; breaks (tasks nv..n-1) get
 * none. With `days` (two 32-bit day masks per visit, from dayMasks), only visits that can fall
 * on one of the same days count. Kept sorted in a small buffer: O(nv) per visit rather than a
 * sort of all of them.
 */
export function nearestVisits(
  t0: Float64Array,
  L: number,
  nv: number,
  n: number,
  k: number,
  days: Uint32Array | null,
): Int32Array[] {
  return Array.from({ length: n }, (_, i) => {
    if (i >= nv || k <= 0) return new Int32Array(0);
    const near = new Int32Array(k);
    const key = new Float64Array(k);
    let m = 0;
    for (let j = 0; j < nv; j++) {
      if (j === i) continue;
      if (days !== null && (days[2 * i] & days[2 * j]) === 0 && (days[2 * i + 1] & days[2 * j + 1]) === 0)
        continue;
      const d = t0[i * L + j] + t0[j * L + i];
      if (m === k && d >= key[k - 1]) continue;
      let at = m < k ? m++ : k - 1;
      while (at > 0 && key[at - 1] > d) {
        key[at] = key[at - 1];
        near[at] = near[at - 1];
        at--;
      }
      key[at] = d;
      near[at] = j;
    }
    return m === k ? near : near.slice(0, m);
  });
}
