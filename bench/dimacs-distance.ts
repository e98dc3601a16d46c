import type { ProblemInput } from '../solver/model/input.ts';

/**
 * A plan's distance under the DIMACS 2021 VRPTW convention: every arc's Euclidean length
 * truncated to one decimal, then summed. The Gehring-Homberger distance-only best known values
 * (`distance_only_trunc1`) are totals under that convention, so a gap to them is taken on this
 * figure. The search itself works in double precision: a plan feasible there is feasible under
 * truncation too (no travel time grows), so the figure is an honest value of a valid DIMACS plan.
 * `plan`: [vehicle id, visit id, …] per route, as bench/run-instance.ts writes it.
 */
export function dimacsDistance(input: ProblemInput, plan: readonly (readonly string[])[]): number {
  const nurses = new Map(input.nurses.map((n) => [n.id, n]));
  const visits = new Map(input.visits.map((v) => [v.id, v]));
  let tenths = 0;
  for (const [vehicle, ...stops] of plan) {
    const nurse = nurses.get(vehicle);
    if (nurse === undefined) throw new Error(`unknown vehicle ${vehicle}`);
    const end = nurse.end === undefined ? [nurse.start] : nurse.end === null ? [] : [nurse.end];
    const points = [nurse.start, ...stops.map((s) => visits.get(s)?.location), ...end];
    for (let k = 1; k < points.length; k++) {
      const a = points[k - 1];
      const b = points[k];
      if (!a || !b || !('x' in a) || !('x' in b))
        throw new Error(`route of ${vehicle}: a stop without planar coordinates`);
      tenths += Math.floor(Math.hypot(a.x - b.x, a.y - b.y) * 10 + 1e-9);
    }
  }
  return tenths / 10;
}
