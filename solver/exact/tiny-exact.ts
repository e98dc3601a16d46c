import lpSolver from 'javascript-lp-solver';
import type { LocationInput, NurseInput, ProblemInput, VisitInput } from '../model/input.ts';

/**
 * An exact optimality oracle for tiny problems (tests only). It shares no code with the search:
 * travel is read straight from the input matrices, times are computed by its own forward pass,
 * and the choice of routes is a set-partitioning model solved by javascript-lp-solver.
 */

/** At most this many visits: every ordered route of every nurse is enumerated. */
export const EXACT_MAX_VISITS = 9;

export type ExactObjective = 'distance' | 'duration';

export interface ExactRoute {
  vehicle: string;
  visits: string[];
}

export interface ExactSolution {
  /** Sum of leg distances (or travel times), return legs included, plus fixed costs of nurses used. */
  cost: number;
  routes: ExactRoute[];
}

/** The cheapest feasible order of one visit set for one nurse; cost includes the fixed cost. */
export interface ExactColumn {
  cost: number;
  order: number[];
}

interface LpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, { equal?: number; max?: number; min?: number }>;
  variables: Record<string, Record<string, number>>;
  binaries: Record<string, 1>;
}

type LpResult = { feasible: boolean; result: number } & Record<string, number>;

/** The package's ESM default export is the solver; its declarations resolve as CommonJS under NodeNext. */
const lp = lpSolver as unknown as { Solve(model: LpModel): LpResult };

function indexOf(loc: LocationInput, what: string, size: number): number {
  if (!('index' in loc)) throw new Error(`solveExact supports { index } locations only (${what})`);
  const i = loc.index;
  if (!Number.isInteger(i) || i < 0 || i >= size)
    throw new Error(`solveExact: ${what} index ${i} is outside the ${size}×${size} matrix`);
  return i;
}

function windowOf(v: VisitInput): { start: number; end: number } {
  const ws = v.timeWindows ?? [];
  if (ws.length > 1) throw new Error(`solveExact supports at most one time window (visit ${v.id})`);
  return { start: ws[0]?.start ?? -Infinity, end: ws[0]?.end ?? Infinity };
}

/**
 * For one nurse, the cheapest feasible order of every visit set (keyed by bit mask over the
 * visits), by depth-first enumeration of ordered routes. Leaving at the shift start is exact:
 * waiting is allowed and every time only grows with the departure, so a later start never
 * makes a route feasible that an earlier one is not.
 */
export function nurseColumns(
  input: ProblemInput,
  nurseIndex: number,
  objective: ExactObjective = 'distance',
): Map<number, ExactColumn> {
  const nurse: NurseInput = input.nurses[nurseIndex];
  for (const [what, l] of [
    ['nurse start', nurse.start],
    ['nurse end', nurse.end ?? null],
    ...input.visits.map((v) => [`visit ${v.id}`, v.location] as const),
  ] as const)
    if (l !== null && !('index' in l))
      throw new Error(`solveExact supports { index } locations only (${what})`);
  const profileName = nurse.profile ?? 'car';
  const profile = input.profiles?.[profileName];
  if (!profile?.durations) throw new Error(`solveExact: profile '${profileName}' has no durations matrix`);
  const time = profile.durations;
  const dist = profile.distances ?? profile.durations;
  const cost = objective === 'duration' ? time : dist;
  const size = time.length;
  const visits = input.visits;
  const n = visits.length;
  const loc = visits.map((v) => indexOf(v.location, `visit ${v.id}`, size));
  const win = visits.map(windowOf);
  const service = visits.map((v) => v.duration ?? 0);
  const demand = visits.map((v) => v.demand ?? 0);
  const start = indexOf(nurse.start, `nurse ${nurse.id} start`, size);
  const end = nurse.end === null ? null : indexOf(nurse.end ?? nurse.start, `nurse ${nurse.id} end`, size);
  const shiftStart = nurse.shift?.start ?? 0;
  const shiftEnd = nurse.shift?.end ?? Infinity;
  const capacity = nurse.capacity ?? Infinity;
  const fixed = nurse.fixedCost ?? 0;

  const best = new Map<number, ExactColumn>();
  const order: number[] = [];
  const extend = (mask: number, here: number, t: number, load: number, acc: number): void => {
    if (mask !== 0) {
      // Open end: the day ends at the last visit's end, which must still be within the shift.
      const back = end === null ? t : t + time[here][end];
      if (back <= shiftEnd) {
        const total = acc + (end === null ? 0 : cost[here][end]) + fixed;
        const known = best.get(mask);
        if (known === undefined || total < known.cost) best.set(mask, { cost: total, order: [...order] });
      }
    }
    for (let j = 0; j < n; j++) {
      if (mask & (1 << j)) continue;
      const newLoad = load + demand[j];
      if (newLoad > capacity) continue;
      const arrival = t + time[here][loc[j]];
      const begin = Math.max(arrival, win[j].start);
      if (begin > win[j].end) continue;
      order.push(j);
      extend(mask | (1 << j), loc[j], begin + service[j], newLoad, acc + cost[here][loc[j]]);
      order.pop();
    }
  };
  extend(0, start, shiftStart, 0, 0);
  return best;
}

/**
 * The proven optimum of a tiny problem that serves every visit, or null when no plan does.
 * Columns are the cheapest order of each (nurse, visit set); the model picks at most one
 * column per nurse so that each visit is covered exactly once, at minimum total cost.
 */
export function solveExact(
  input: ProblemInput,
  objective: ExactObjective = 'distance',
): ExactSolution | null {
  const n = input.visits.length;
  if (n > EXACT_MAX_VISITS)
    throw new Error(`solveExact handles at most ${EXACT_MAX_VISITS} visits, got ${n}`);
  if (n === 0) return { cost: 0, routes: [] };
  const model: LpModel = {
    optimize: 'cost',
    opType: 'min',
    constraints: {},
    variables: {},
    binaries: {},
  };
  for (let j = 0; j < n; j++) model.constraints[`v${j}`] = { equal: 1 };
  const columns = new Map<string, { nurse: number; column: ExactColumn }>();
  input.nurses.forEach((_, k) => {
    model.constraints[`n${k}`] = { max: 1 };
    for (const [mask, column] of nurseColumns(input, k, objective)) {
      const name = `x${k}_${mask}`;
      const variable: Record<string, number> = { cost: column.cost, [`n${k}`]: 1 };
      for (const j of column.order) variable[`v${j}`] = 1;
      model.variables[name] = variable;
      model.binaries[name] = 1;
      columns.set(name, { nurse: k, column });
    }
  });
  // A visit no nurse can serve alone or in any route: infeasible without asking the solver.
  for (let j = 0; j < n; j++)
    if (![...columns.values()].some(({ column }) => column.order.includes(j))) return null;

  const result = lp.Solve(model);
  if (!result.feasible) return null;
  const routes: ExactRoute[] = [];
  const covered = new Array<number>(n).fill(0);
  let cost = 0;
  for (const [name, { nurse, column }] of columns) {
    if (Math.round(result[name] ?? 0) !== 1) continue;
    routes.push({ vehicle: input.nurses[nurse].id, visits: column.order.map((j) => input.visits[j].id) });
    for (const j of column.order) covered[j]++;
    cost += column.cost;
  }
  // Guard the oracle against numerical slips of the LP solver.
  if (covered.some((c) => c !== 1))
    throw new Error(`solveExact: the LP solution does not partition the visits (${covered.join(',')})`);
  if (Math.abs(cost - result.result) > 1e-6 * Math.max(1, Math.abs(cost)))
    throw new Error(`solveExact: LP objective ${result.result} differs from its columns' cost ${cost}`);
  return { cost, routes };
}
