import { type LpModel, solveLp } from '../algorithms/lp.ts';
import { legFunction } from '../check/check-travel.ts';
import type { ProblemInput } from '../model/input.ts';
import { validateProblem } from '../model/validate.ts';

/** At most this many visits: every ordered route of every nurse is enumerated. */
export const EXACT_MAX_VISITS = 9;

export interface ExactSolution {
  /** Objective: distance (or travel time) plus fixed costs of the nurses used. */
  cost: number;
  routes: { vehicle: string; visits: string[] }[];
  /** Columns (nurse, visit set) given to the set-partitioning model. */
  columns: number;
}

/**
 * The proven optimum of a tiny problem (the optimality oracle of the tests), by a path that
 * shares no evaluation code with the search: for each nurse, every feasible ordered route is
 * enumerated with the checker's travel and a forward time pass, and the cheapest order of each
 * visit set becomes a column; a set-partitioning model in javascript-lp-solver then picks at
 * most one column per nurse so that every visit is served exactly once. Returns null when no
 * plan serves every visit.
 */
export function solveExact(
  raw: ProblemInput,
  objective: 'distance' | 'duration' = 'distance',
): ExactSolution | null {
  const input = validateProblem(raw);
  const n = input.visits.length;
  if (n > EXACT_MAX_VISITS)
    throw new Error(`solveExact handles at most ${EXACT_MAX_VISITS} visits, got ${n}`);
  const model: LpModel & { binaries: Record<string, 1> } = {
    optimize: 'cost',
    opType: 'min',
    constraints: {},
    variables: {},
    binaries: {},
  };
  input.visits.forEach((_, j) => (model.constraints[`visit${j}`] = { equal: 1 }));
  const orders = new Map<string, number[]>();

  input.nurses.forEach((nurse, k) => {
    model.constraints[`nurse${k}`] = { max: 1 };
    const leg = legFunction(input, nurse.profile ?? 'car');
    const shiftStart = nurse.shift?.start ?? 0;
    const shiftEnd = nurse.shift?.end ?? Infinity;
    const end = nurse.end === null ? null : (nurse.end ?? nurse.start);
    const capacity = nurse.capacity ?? Infinity;
    const best = new Map<number, { cost: number; order: number[] }>();
    const order: number[] = [];
    // Depth-first over ordered routes; times only grow, so an infeasible prefix is cut.
    const extend = (
      mask: number,
      here: (typeof input.visits)[number]['location'],
      t: number,
      load: number,
      cost: number,
    ) => {
      if (mask !== 0) {
        const back = end === null ? { time: 0, distance: 0 } : leg(here, end);
        if (t + back.time <= shiftEnd) {
          const total = cost + (objective === 'duration' ? back.time : back.distance);
          const known = best.get(mask);
          if (known === undefined || total < known.cost) best.set(mask, { cost: total, order: [...order] });
        }
      }
      for (let j = 0; j < n; j++) {
        if (mask & (1 << j)) continue;
        const v = input.visits[j];
        const l = leg(here, v.location);
        const w = v.timeWindows?.[0];
        const start = Math.max(t + l.time, w?.start ?? -Infinity);
        if (start > (w?.end ?? Infinity)) continue;
        const newLoad = load + (v.demand ?? 0);
        if (newLoad > capacity) continue;
        order.push(j);
        extend(
          mask | (1 << j),
          v.location,
          start + (v.duration ?? 0),
          newLoad,
          cost + (objective === 'duration' ? l.time : l.distance),
        );
        order.pop();
      }
    };
    extend(0, nurse.start, shiftStart, 0, 0);
    for (const [mask, { cost, order: o }] of best) {
      const name = `n${k}m${mask}`;
      const column: Record<string, number> = { cost: cost + (nurse.fixedCost ?? 0), [`nurse${k}`]: 1 };
      for (const j of o) column[`visit${j}`] = 1;
      model.variables[name] = column;
      model.binaries[name] = 1;
      orders.set(name, o);
    }
  });

  const result = solveLp(model);
  if (!result.feasible) return null;
  const routes: ExactSolution['routes'] = [];
  let cost = 0;
  for (const [name, o] of orders) {
    if (Math.round(result[name] ?? 0) !== 1) continue;
    const k = Number(/^n(\d+)m/.exec(name)![1]);
    routes.push({ vehicle: input.nurses[k].id, visits: o.map((j) => input.visits[j].id) });
    cost += model.variables[name].cost;
  }
  return { cost, routes, columns: orders.size };
}
