import type { Schedule } from '../schedule.ts';
import type { CareMoveEvaluator } from '../move-evaluator.ts';
import { arc, type CareMove, type MoveBuffer, pushRange, realAfter, realBefore } from './care-move.ts';

/**
 * Moves the string of `length` tasks starting at visit u (no break inside) to right after visit
 * v, in v's route or within u's own (relocate for one, or-opt for two and three).
 */
export function relocate(length: number): CareMove {
  return {
    name: length === 1 ? 'relocate' : `or-opt-${length}`,
    build(s: Schedule, u: number, v: number, out: MoveBuffer): boolean {
      const d = s.data;
      const ru = s.routeOf[u];
      const rv = s.routeOf[v];
      const a = s.routes[ru];
      const from = s.pos[u];
      const to = from + length;
      if (to > a.length) return false;
      for (let k = from; k < to; k++) if (d.isBreak[a[k]] === 1 || a[k] === v) return false;
      const pv = s.pos[v];
      if (ru === rv) {
        if (pv === from - 1) return false; // already there
        out.reset(ru);
        const seq = out.seqs[0];
        for (let k = 0; k < a.length; k++) {
          if (k >= from && k < to) continue;
          seq.push(a[k]);
          if (k === pv) pushRange(seq, a, from, to);
        }
        return true;
      }
      const b = s.routes[rv];
      out.reset(ru, rv);
      pushRange(out.seqs[0], a, 0, from);
      pushRange(out.seqs[0], a, to, a.length);
      const seq = out.seqs[1];
      pushRange(seq, b, 0, pv + 1);
      pushRange(seq, a, from, to);
      pushRange(seq, b, pv + 1, b.length);
      return true;
    },
    lowerBound(s: Schedule, u: number, v: number, ev: CareMoveEvaluator): number {
      const d = s.data;
      const ru = s.routeOf[u];
      const rv = s.routeOf[v];
      const from = s.pos[u];
      const to = from + length;
      if (to > s.routes[ru].length || (ru !== rv && s.realCount[ru] <= length)) return -Infinity;
      const a = s.routes[ru];
      if (ru !== rv && !s.latest.fits(rv, s.pos[v], s.pos[v] + 1, a, from, to)) return Infinity;
      const last = a[to - 1];
      const p = realBefore(s, ru, from - 1);
      const n = realAfter(s, ru, to);
      const n2 = realAfter(s, rv, s.pos[v] + 1, ru === rv ? from : 0, ru === rv ? to : 0);
      let delta =
        arc(d, ru, p, n) -
        arc(d, ru, p, u) -
        arc(d, ru, last, n) +
        arc(d, rv, v, u) +
        arc(d, rv, last, n2) -
        arc(d, rv, v, n2);
      for (let k = from; k < to; k++) {
        const x = a[k];
        delta += d.placementCost(x, rv) - d.placementCost(x, ru);
        if (d.patientOf[x] >= 0) delta -= d.weights.distinctNurses;
        if (k + 1 < to) delta += arc(d, rv, x, a[k + 1]) - arc(d, ru, x, a[k + 1]);
      }
      return delta - ev.timeCost(ru) - ev.timeCost(rv) - ev.globalSaving();
    },
  };
}
