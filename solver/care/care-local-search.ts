import { CareMoveEvaluator } from './move-evaluator.ts';
import { moveNeighbours } from './move-neighbours.ts';
import { type CareMove, MoveBuffer } from './moves/care-move.ts';
import { relocate } from './moves/relocate.ts';
import { reverseSegment } from './moves/reverse-segment.ts';
import { swap } from './moves/swap.ts';
import { swapTails } from './moves/swap-tails.ts';
import type { Schedule } from './schedule.ts';

const EPS = 1e-7;

export const CARE_MOVES: readonly CareMove[] = [
  relocate(1),
  swap,
  swapTails,
  relocate(2),
  relocate(3),
  reverseSegment,
];

/**
 * Granular first-improvement local search on a home-care schedule, around given visits: for
 * each visit of the work list and each of its nearest visits (moveNeighbours), the moves in
 * turn; an improving one is applied at once, and the visits it moved and those next to them in
 * their routes go back on the list, until none improves. Each move's cost change is exact
 * (CareMoveEvaluator), most are dropped on an O(1) bound first; applying one re-times the
 * schedule, and a move whose result is not the promised cost is taken back (the tests compare
 * every evaluation with a recomputation: it does not happen).
 */
export class CareLocalSearch {
  readonly evaluator: CareMoveEvaluator;
  private readonly buffer = new MoveBuffer();
  private readonly queued: Uint8Array;
  private readonly saved: number[][] = [[], []];
  private readonly near: Int32Array[];

  constructor(
    private readonly sched: Schedule,
    private readonly moves: readonly CareMove[] = CARE_MOVES,
    neighbours = 10,
  ) {
    this.evaluator = new CareMoveEvaluator(sched);
    this.near = moveNeighbours(sched.data, neighbours);
    this.queued = new Uint8Array(sched.data.n);
  }

  /** Improves the schedule around every visit of the given routes; returns the number of moves applied. */
  runRoutes(routes: Iterable<number>): number {
    const visits: number[] = [];
    for (const r of routes) visits.push(...this.sched.routes[r]);
    return this.run(visits);
  }

  /** Improves the schedule around the given visits (unplaced ones and breaks are skipped); returns the number of moves applied. */
  run(visits: Iterable<number>): number {
    const s = this.sched;
    const d = s.data;
    const queue: number[] = [];
    const push = (u: number) => {
      if (u >= 0 && this.queued[u] === 0 && d.isBreak[u] === 0 && s.routeOf[u] >= 0) {
        this.queued[u] = 1;
        queue.push(u);
      }
    };
    for (const u of visits) push(u);
    let applied = 0;
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi];
      this.queued[u] = 0;
      if (s.routeOf[u] < 0) continue;
      const near = this.near[u];
      search: for (let i = 0; i < near.length; i++) {
        const v = near[i];
        if (s.routeOf[v] < 0) continue;
        for (const move of this.moves) {
          if (move.lowerBound(s, u, v, this.evaluator) >= -EPS) continue;
          if (!move.build(s, u, v, this.buffer)) continue;
          const delta = this.evaluator.evaluate(this.buffer.routes, this.buffer.seqs, -EPS);
          if (delta === Infinity || !this.apply(delta)) continue;
          applied++;
          // What moved and what is next to it now.
          for (const x of [u, v]) {
            const r = s.routeOf[x];
            const route = s.routes[r];
            const k = s.pos[x];
            push(x);
            if (k > 0) push(route[k - 1]);
            if (k + 1 < route.length) push(route[k + 1]);
          }
          break search;
        }
      }
    }
    return applied;
  }

  /** Applies the move in the buffer; false (and undone) when the schedule does not come out at the promised cost. */
  private apply(delta: number): boolean {
    const s = this.sched;
    const { routes } = this.buffer;
    const before = s.costBesidesPenalties; // penalties (up to 1e9 each) do not change
    routes.forEach((r, i) => {
      this.saved[i].length = 0;
      this.saved[i].push(...s.routes[r]);
    });
    const ok = s.replaceRoutes(routes, this.buffer.seqs);
    if (ok && Math.abs(s.costBesidesPenalties - (before + delta)) <= 1e-6 * Math.max(1, Math.abs(before)))
      return true;
    s.replaceRoutes(routes, this.saved);
    return false;
  }
}
