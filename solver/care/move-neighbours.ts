import type { CareData } from './care-data.ts';

/**
 * Granular neighbourhoods for the local search (Vidal et al. 2013): per visit, up to `k` of its
 * nearest visits (by travel, CareData.nearest) that one nurse-day may do together, one right
 * before or after the other within their hard windows. A move between visits no route can hold
 * together, or that cannot follow one another, is never feasible: leaving them out spares most
 * of the evaluations on days with skills, shifts and narrow windows.
 */
export function moveNeighbours(d: CareData, k: number): Int32Array[] {
  const V = d.V;
  const qualified: number[][] = [];
  for (let v = 0; v < d.n; v++) {
    const routes: number[] = [];
    if (d.isBreak[v] === 0) for (let r = 0; r < V; r++) if (d.canDo[v * V + r] === 1) routes.push(r);
    qualified.push(routes);
  }
  const first = (x: number) => d.winStart[d.winOff[x]];
  const last = (x: number) => d.winEnd[d.winOff[x + 1] - 1];
  return Array.from({ length: d.n }, (_, u) => {
    const out: number[] = [];
    if (d.isBreak[u] === 1) return new Int32Array(0);
    for (const v of d.nearest[u]) {
      if (out.length >= k) break;
      const r = qualified[u].find((q) => d.canDo[v * V + q] === 1);
      if (r === undefined) continue;
      const vThenU = first(v) + d.service[v * V + r] + d.travelTime(r, v, u) <= last(u) + 1e-9;
      const uThenV = first(u) + d.service[u * V + r] + d.travelTime(r, u, v) <= last(v) + 1e-9;
      if (vThenU || uThenV) out.push(v);
    }
    return Int32Array.from(out);
  });
}
