import type { Schedule } from '../schedule.ts';
import type { CareMoveEvaluator } from '../move-evaluator.ts';
import {
  arc,
  canFollow,
  type CareMove,
  type MoveBuffer,
  pushRange,
  realAfter,
  realBefore,
} from './care-move.ts';

/** 2-opt within a route: the stretch from the task after u up to v (or from v up to u) in reverse order. */
export const reverseSegment: CareMove = {
  name: 'reverse-segment',
  build(s: Schedule, u: number, v: number, out: MoveBuffer): boolean {
    const r = s.routeOf[u];
    const stretch = stretchOf(s, u, v);
    if (stretch === null) return false;
    const [i, j] = stretch;
    const route = s.routes[r];
    out.reset(r);
    const seq = out.seqs[0];
    pushRange(seq, route, 0, i);
    for (let k = j; k >= i; k--) seq.push(route[k]);
    pushRange(seq, route, j + 1, route.length);
    return true;
  },
  lowerBound(s: Schedule, u: number, v: number, ev: CareMoveEvaluator): number {
    const d = s.data;
    const r = s.routeOf[u];
    const stretch = stretchOf(s, u, v);
    if (stretch === null) return Infinity;
    const [i, j] = stretch;
    const route = s.routes[r];
    if (d.isBreak[route[j]] === 0 && !canFollow(s, r, i - 1, route[j])) return Infinity;
    const before = realBefore(s, r, i - 1);
    const after = realAfter(s, r, j + 1);
    // Old and new travel through the stretch, its visits in one order and the other.
    let old = 0;
    let now = 0;
    let a = before;
    let b = before;
    for (let k = i; k <= j; k++) {
      const x = route[k];
      const y = route[i + j - k];
      if (d.isBreak[x] === 0) {
        old += d.arcCost(r, a, x);
        a = x;
      }
      if (d.isBreak[y] === 0) {
        now += d.arcCost(r, b, y);
        b = y;
      }
    }
    old += arc(d, r, a, after);
    now += arc(d, r, b, after);
    return now - old - ev.timeCost(r) - ev.globalSaving();
  },
};

/** The positions [i, j] of the stretch to reverse (at least two tasks), or null when u and v are not in one route. */
function stretchOf(s: Schedule, u: number, v: number): [number, number] | null {
  if (s.routeOf[v] !== s.routeOf[u]) return null;
  let i = s.pos[u] + 1;
  let j = s.pos[v];
  if (j < i) [i, j] = [j + 1, i - 1];
  return j - i < 1 ? null : [i, j];
}
