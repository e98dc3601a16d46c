import type { Schedule } from '../care/schedule.ts';
import { explainCareUnassigned } from '../care/unassigned-reasons.ts';
import { InputError } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan, PlanUnassigned } from '../model/plan.ts';
import { describeInsertion, type InsertionOption, type Position } from './insertion-option.ts';
import { buildPlanModel, type PlanModel, type VisitToPlace } from './plan-model.ts';

export const DEFAULT_RECOMMENDATIONS = 5;
export const MAX_RECOMMENDATIONS = 50;

export interface RecommendRequest {
  /** A visit to add (native format), or the id of a visit of the problem the plan leaves out. */
  visit: VisitToPlace;
  /** How many options (default 5, at most 50). */
  count?: number;
}

export interface Recommendation extends InsertionOption {
  rank: number;
}

export interface Recommendations {
  visit: string;
  /** Best first (lowest cost change): the best place in each nurse-day first, then second places. */
  options: Recommendation[];
  /** No option: why the visit cannot go anywhere in the plan as it is (the left-out reason). */
  unassigned?: PlanUnassigned;
  /** Positions tried: every position of every nurse-day that may take it. */
  evaluated: number;
}

/**
 * Where a visit fits in a plan without moving anyone else to another nurse: every position of
 * every nurse-day is evaluated exactly (the search's own insertion cost, every rule checked),
 * and the best `count` are described by the plan each would make. Options go to distinct
 * nurse-days first (a coordinator chooses a nurse), then to second-best places.
 */
export function recommend(problem: ProblemInput, plan: Plan, request: RecommendRequest): Recommendations {
  const count = checkCount(request.count);
  const m = buildPlanModel(problem, plan, request.visit);
  const { positions, evaluated } = rankPositions(m);
  const chosen = diversePick(positions, count);
  const options = chosen
    .map((pos) => describeInsertion(m, pos))
    .filter((o): o is InsertionOption => o !== null)
    .sort((a, b) => a.costChange - b.costChange || a.start - b.start)
    .map((o, i) => ({ rank: i + 1, ...o }));
  const visit = m.data.taskId[m.v];
  if (options.length > 0) return { visit, options, evaluated };
  return { visit, options, unassigned: explainCareUnassigned(m.data, m.sched, m.v), evaluated };
}

/** Every feasible position of the model's visit, cheapest first (the search's exact insertion delta). */
export function rankPositions(m: PlanModel): {
  positions: (Position & { delta: number })[];
  evaluated: number;
} {
  return positionsOf(m.sched, m.v);
}

/** Every feasible position of unplaced task v in the schedule, cheapest first, and how many were tried. */
export function positionsOf(
  sched: Schedule,
  v: number,
): { positions: (Position & { delta: number })[]; evaluated: number } {
  const out: (Position & { delta: number })[] = [];
  let evaluated = 0;
  for (let r = 0; r < sched.data.V; r++) {
    if (!sched.canInsertInto(v, r)) continue;
    for (let p = 0; p <= sched.routes[r].length; p++) {
      evaluated++;
      const delta = sched.evaluateInsertAt(v, r, p);
      if (delta < Infinity) out.push({ r, p, delta });
    }
  }
  out.sort((a, b) => a.delta - b.delta || a.r - b.r || a.p - b.p);
  return { positions: out, evaluated };
}

/** The best position of each route in order, then the rest in order, `count` in all. */
export function diversePick<P extends Position>(sorted: readonly P[], count: number): P[] {
  const seen = new Set<number>();
  const first: P[] = [];
  const rest: P[] = [];
  for (const pos of sorted) {
    if (seen.has(pos.r)) rest.push(pos);
    else {
      seen.add(pos.r);
      first.push(pos);
    }
  }
  return [...first, ...rest].slice(0, count);
}

export function checkCount(count: number | undefined, where = '/count'): number {
  if (count === undefined) return DEFAULT_RECOMMENDATIONS;
  if (!Number.isInteger(count) || count < 1 || count > MAX_RECOMMENDATIONS)
    throw new InputError([
      { code: 'E_RANGE', where, message: `must be a whole number from 1 to ${MAX_RECOMMENDATIONS}` },
    ]);
  return count;
}
