import type { Schedule } from '../schedule.ts';
import type { CareMoveEvaluator } from '../move-evaluator.ts';
import { canFollow, type CareMove, chainCost, type MoveBuffer, realAfter } from './care-move.ts';

/**
 * 2-opt*: u's route goes on after u with what follows v, v's route after v with what followed
 * u. A nurse's breaks are hers: each route keeps its own breaks at the positions they had
 * (counted from the start), the visits of the tails are exchanged around them.
 */
export const swapTails: CareMove = {
  name: 'swap-tails',
  build(s: Schedule, u: number, v: number, out: MoveBuffer): boolean {
    const ru = s.routeOf[u];
    const rv = s.routeOf[v];
    if (ru === rv) return false;
    const a = s.routes[ru];
    const b = s.routes[rv];
    const pu = s.pos[u];
    const pv = s.pos[v];
    if (pu === a.length - 1 && pv === b.length - 1) return false;
    out.reset(ru, rv);
    join(s, a, pu, b, pv, out.seqs[0]);
    join(s, b, pv, a, pu, out.seqs[1]);
    return true;
  },
  lowerBound(s: Schedule, u: number, v: number, ev: CareMoveEvaluator): number {
    const d = s.data;
    const ru = s.routeOf[u];
    const rv = s.routeOf[v];
    if (ru === rv) return Infinity;
    const a = s.routes[ru];
    const b = s.routes[rv];
    const pu = s.pos[u];
    const pv = s.pos[v];
    const a1 = realAfter(s, ru, pu + 1);
    const b1 = realAfter(s, rv, pv + 1);
    // The first visit of each tail must fit after the other's split visit.
    if (b1 >= 0 && b1 !== d.nurseEnd[rv] && !canFollow(s, ru, pu, b1)) return Infinity;
    if (a1 >= 0 && a1 !== d.nurseEnd[ru] && !canFollow(s, rv, pv, a1)) return Infinity;
    const endA = d.nurseEnd[ru];
    const endB = d.nurseEnd[rv];
    let delta =
      chainCost(d, ru, u, b, pv + 1, b.length, endA) +
      chainCost(d, rv, v, a, pu + 1, a.length, endB) -
      chainCost(d, ru, u, a, pu + 1, a.length, endA) -
      chainCost(d, rv, v, b, pv + 1, b.length, endB);
    for (let k = pu + 1; k < a.length; k++) delta += tailPlacement(s, a[k], ru, rv);
    for (let k = pv + 1; k < b.length; k++) delta += tailPlacement(s, b[k], rv, ru);
    return delta - ev.timeCost(ru) - ev.timeCost(rv) - ev.globalSaving();
  },
};

/** Per-visit cost change of x going from route `from` to route `to` with its tail (breaks stay: 0), less what nurses per patient could save. */
function tailPlacement(s: Schedule, x: number, from: number, to: number): number {
  const d = s.data;
  if (d.isBreak[x] === 1) return 0;
  return (
    d.placementCost(x, to) - d.placementCost(x, from) - (d.patientOf[x] >= 0 ? d.weights.distinctNurses : 0)
  );
}

/** own[0..p] then the visits of other after q, with own's breaks after p put back at their positions. */
function join(
  s: Schedule,
  own: readonly number[],
  p: number,
  other: readonly number[],
  q: number,
  seq: number[],
): void {
  const d = s.data;
  for (let k = 0; k <= p; k++) seq.push(own[k]);
  for (let k = q + 1; k < other.length; k++) if (d.isBreak[other[k]] === 0) seq.push(other[k]);
  for (let k = p + 1; k < own.length; k++)
    if (d.isBreak[own[k]] === 1) seq.splice(Math.min(k, seq.length), 0, own[k]);
}
