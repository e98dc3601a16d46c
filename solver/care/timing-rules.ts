import type { ProblemInput } from '../model/input.ts';

export interface TimingRules {
  /** Arcs `start[to] >= start[from] + weight` between visits that are not frozen: [from, to, weight]. */
  arcs: [number, number, number][];
  /** Per task, the visits it must not share a nurse with (sync partners, `nurse: 'different'`). */
  differentFrom: number[][];
  /** Per task, the visits it must share a nurse with (`nurse: 'same'`). */
  sameAs: number[][];
  /** Per task, the visits tied to it by a sync group or a dependency (removed and placed together). */
  partners: number[][];
  /** Bounds on a visit's start from rules whose other side is frozen (-Infinity / Infinity: none). */
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * The rules between visits of sync groups and dependencies, for n tasks (visits first, in
 * input order; `visitIndex` maps their ids): timing arcs, nurse relations and partners. A rule
 * with a frozen visit on one side bounds the other visit's start instead of being an arc.
 */
export function timingRules(
  input: ProblemInput,
  visitIndex: ReadonlyMap<string, number>,
  n: number,
  frozen: Uint8Array,
): TimingRules {
  const arcs: [number, number, number][] = [];
  const differentFrom: number[][] = Array.from({ length: n }, () => []);
  const sameAs: number[][] = Array.from({ length: n }, () => []);
  const partners: number[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number) => {
    partners[a].push(b);
    partners[b].push(a);
  };
  for (const g of input.syncGroups ?? []) {
    const ids = g.visits.map((id) => visitIndex.get(id)!);
    const tol = g.tolerance ?? 0;
    for (const a of ids)
      for (const b of ids)
        if (a !== b) {
          arcs.push([a, b, -tol]);
          differentFrom[a].push(b);
          if (a < b) link(a, b);
        }
  }
  for (const d of input.dependencies ?? []) {
    const a = visitIndex.get(d.before)!;
    const b = visitIndex.get(d.after)!;
    arcs.push([a, b, d.minDelay ?? 0]);
    if (d.maxDelay !== undefined) arcs.push([b, a, -d.maxDelay]);
    const relation = d.nurse === 'different' ? differentFrom : d.nurse === 'same' ? sameAs : null;
    if (relation !== null) {
      relation[a].push(b);
      relation[b].push(a);
    }
    link(a, b);
  }
  const lower = new Float64Array(n).fill(-Infinity);
  const upper = new Float64Array(n).fill(Infinity);
  const frozenStart = (x: number) => input.visits[x].frozen!.start;
  for (const [a, b, w] of arcs) {
    if (frozen[a] === 1 && frozen[b] === 0) lower[b] = Math.max(lower[b], frozenStart(a) + w);
    if (frozen[b] === 1 && frozen[a] === 0) upper[a] = Math.min(upper[a], frozenStart(b) - w);
  }
  return {
    arcs: arcs.filter(([a, b]) => frozen[a] === 0 && frozen[b] === 0),
    differentFrom,
    sameAs,
    partners,
    lower,
    upper,
  };
}
