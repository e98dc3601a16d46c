import { LocalSearch, type MoveSpace } from '../search/local-search.ts';
import { CareMoveEvaluator } from './move-evaluator.ts';
import { moveNeighbours } from './move-neighbours.ts';
import { type CareMove, MoveBuffer } from './moves/care-move.ts';
import { relocate } from './moves/relocate.ts';
import { reverseSegment } from './moves/reverse-segment.ts';
import { swap } from './moves/swap.ts';
import { swapTails } from './moves/swap-tails.ts';
import type { Schedule } from './schedule.ts';
import { ScheduleView } from './schedule-view.ts';

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
 * Home care's moves for the local search (search/local-search.ts) on a schedule: each move's
 * cost change is exact (CareMoveEvaluator), most are dropped on an O(1) bound first; applying
 * one re-times the schedule, and a move whose result is not the promised cost is taken back
 * (the tests compare every evaluation with a recomputation: it does not happen). Neighbours are
 * the nearest visits one nurse-day may hold together (moveNeighbours); breaks do not move.
 */
export class CareMoveSpace extends ScheduleView implements MoveSpace {
  readonly firstVisit = 0;
  readonly endVisit: number;
  readonly numRoutes: number;
  readonly evaluator: CareMoveEvaluator;
  private readonly buffer = new MoveBuffer();
  private readonly saved: number[][] = [[], []];
  private readonly near: Int32Array[];

  constructor(
    sched: Schedule,
    private readonly moves: readonly CareMove[] = CARE_MOVES,
    neighbours = 10,
  ) {
    super(sched);
    this.endVisit = sched.data.n;
    this.numRoutes = sched.data.V;
    this.evaluator = new CareMoveEvaluator(sched);
    this.near = moveNeighbours(sched.data, neighbours);
  }

  movable(u: number): boolean {
    return this.sched.data.isBreak[u] === 0;
  }

  neighbours(u: number): Int32Array {
    return this.near[u];
  }

  improvePair(u: number, v: number): boolean {
    const s = this.sched;
    for (const move of this.moves) {
      if (move.lowerBound(s, u, v, this.evaluator) >= -EPS) continue;
      if (!move.build(s, u, v, this.buffer)) continue;
      const delta = this.evaluator.evaluate(this.buffer.routes, this.buffer.seqs, -EPS);
      if (delta !== Infinity && this.apply(delta)) return true;
    }
    return false;
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

/** Home care's local search: the granular search over its moves, around given visits or routes. */
export class CareLocalSearch {
  readonly space: CareMoveSpace;
  private readonly search: LocalSearch;

  constructor(sched: Schedule, moves?: readonly CareMove[], neighbours?: number) {
    this.space = new CareMoveSpace(sched, moves, neighbours);
    this.search = new LocalSearch(this.space);
  }

  get evaluator(): CareMoveEvaluator {
    return this.space.evaluator;
  }

  /** Improves the schedule around the given visits (unplaced ones and breaks are skipped); returns the number of moves applied. */
  run(visits: Iterable<number>): number {
    return this.search.around(visits);
  }

  /** Improves the schedule around every visit of the given routes; returns the number of moves applied. */
  runRoutes(routes: Iterable<number>): number {
    const visits: number[] = [];
    for (const r of routes) visits.push(...this.space.sched.routes[r]);
    return this.search.around(visits);
  }
}
