import type { Schedule } from '../schedule.ts';
import type { CareMoveEvaluator } from '../move-evaluator.ts';
import { arc, type CareMove, type MoveBuffer, realAfter, realBefore } from './care-move.ts';

/** Exchanges visits u and v, in one route or between two. */
export const swap: CareMove = {
  name: 'swap',
  build(s: Schedule, u: number, v: number, out: MoveBuffer): boolean {
    const ru = s.routeOf[u];
    const rv = s.routeOf[v];
    if (ru === rv) {
      out.reset(ru);
      for (const x of s.routes[ru]) out.seqs[0].push(x === u ? v : x === v ? u : x);
      return true;
    }
    out.reset(ru, rv);
    for (const x of s.routes[ru]) out.seqs[0].push(x === u ? v : x);
    for (const x of s.routes[rv]) out.seqs[1].push(x === v ? u : x);
    return true;
  },
  lowerBound(s: Schedule, u: number, v: number, ev: CareMoveEvaluator): number {
    const d = s.data;
    const ru = s.routeOf[u];
    const rv = s.routeOf[v];
    if (
      ru !== rv &&
      (!s.latest.fits(rv, s.pos[v] - 1, s.pos[v] + 1, s.routes[ru], s.pos[u], s.pos[u] + 1) ||
        !s.latest.fits(ru, s.pos[u] - 1, s.pos[u] + 1, s.routes[rv], s.pos[v], s.pos[v] + 1))
    )
      return Infinity;
    const pu = realBefore(s, ru, s.pos[u] - 1);
    const nu = realAfter(s, ru, s.pos[u] + 1);
    const pv = realBefore(s, rv, s.pos[v] - 1);
    const nv = realAfter(s, rv, s.pos[v] + 1);
    if (nu === v || nv === u) return -Infinity; // next to each other: not the formula below
    let delta =
      arc(d, ru, pu, v) +
      arc(d, ru, v, nu) -
      arc(d, ru, pu, u) -
      arc(d, ru, u, nu) +
      arc(d, rv, pv, u) +
      arc(d, rv, u, nv) -
      arc(d, rv, pv, v) -
      arc(d, rv, v, nv);
    delta +=
      d.placementCost(v, ru) + d.placementCost(u, rv) - d.placementCost(u, ru) - d.placementCost(v, rv);
    if (d.patientOf[u] >= 0) delta -= d.weights.distinctNurses;
    if (d.patientOf[v] >= 0) delta -= d.weights.distinctNurses;
    return delta - ev.timeCost(ru) - ev.timeCost(rv) - ev.globalSaving();
  },
};
