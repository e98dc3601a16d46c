import type { CareData } from '../care-data.ts';
import type { CareMoveEvaluator } from '../move-evaluator.ts';
import type { Schedule } from '../schedule.ts';

/** The routes a move changes and their new task sequences (reused between moves: no allocation). */
export class MoveBuffer {
  readonly routes: number[] = [];
  readonly seqs: number[][] = [[], []];

  /** Starts a move of route a, and of route b when given (no rest array: it runs for every move tried). */
  reset(a: number, b = -1): void {
    this.routes.length = 0;
    this.routes.push(a);
    this.seqs[0].length = 0;
    if (b < 0) return;
    this.routes.push(b);
    this.seqs[1].length = 0;
  }
}

/**
 * A local-search move on a home-care schedule, built around visit u and one of its nearest
 * visits v: `build` writes the routes it changes and their new sequences (false when it does not
 * apply to this pair). Its cost change is `CareMoveEvaluator.evaluate` of what it built; applying
 * it is `Schedule.replaceRoutes` of the same.
 */
export interface CareMove {
  readonly name: string;
  build(s: Schedule, u: number, v: number, out: MoveBuffer): boolean;
  /**
   * A lower bound of the move's cost change in O(1) (travel, fixed and per-visit costs exactly,
   * less all the time costs of its routes and the global terms it could save), so most moves
   * are dropped before they are built (Infinity: never feasible); -Infinity when the move has
   * none for this pair.
   */
  lowerBound(s: Schedule, u: number, v: number, ev: CareMoveEvaluator): number;
}

/** The task at or before position k of route r that is not a break (the nurse's start node when none). */
export function realBefore(s: Schedule, r: number, k: number): number {
  const route = s.routes[r];
  for (let i = k; i >= 0; i--) if (s.data.isBreak[route[i]] === 0) return route[i];
  return s.data.nurseStart[r];
}

/**
 * The task at or after position k of route r that is not a break, skipping positions
 * [skipFrom, skipTo) (her end node, -1 for none, when none).
 */
export function realAfter(s: Schedule, r: number, k: number, skipFrom = 0, skipTo = 0): number {
  const route = s.routes[r];
  for (let i = k; i < route.length; i++)
    if ((i < skipFrom || i >= skipTo) && s.data.isBreak[route[i]] === 0) return route[i];
  return s.data.nurseEnd[r];
}

/** Travel cost a -> b for route r (0 towards no end). */
export function arc(d: CareData, r: number, a: number, b: number): number {
  return b < 0 ? 0 : d.arcCost(r, a, b);
}

/** Pushes route[from..to) to out, breaks included. */
export function pushRange(out: number[], route: readonly number[], from: number, to: number): void {
  for (let k = from; k < to; k++) out.push(route[k]);
}

/** Travel cost for route r through the visits of arr[from..to) (breaks skipped), from node a, to node b (-1: none). */
export function chainCost(
  d: CareData,
  r: number,
  a: number,
  arr: readonly number[],
  from: number,
  to: number,
  b: number,
): number {
  let c = 0;
  let node = a;
  for (let k = from; k < to; k++) {
    const x = arr[k];
    if (d.isBreak[x] === 1) continue;
    c += d.arcCost(r, node, x);
    node = x;
  }
  return c + arc(d, r, node, b);
}

/** Whether visit x can start within its hard windows right after the task at position p of route r (-1: the start). */
export function canFollow(s: Schedule, r: number, p: number, x: number): boolean {
  const d = s.data;
  if (p < 0) return d.earliestIn(x, d.shiftStart[r] + d.travelTime(r, d.nurseStart[r], x)) !== Infinity;
  const y = s.routes[r][p];
  const t = s.start[y] + d.service[y * d.V + r];
  return d.earliestIn(x, t + d.travelTime(r, realBefore(s, r, p), x)) !== Infinity;
}
