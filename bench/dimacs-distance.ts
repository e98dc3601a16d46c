import type { LocationInput, ProblemInput } from '../solver/model/input.ts';

/**
 * How far truncated legs can break the triangle inequality: c(a,v) + c(v,b) loses less than
 * 0.2 to truncation, and legs are whole tenths, so c(a,b) <= c(a,v) + c(v,b) + 0.1
 * (ProblemData's `triangleSlack`).
 */
export const DIMACS_TRIANGLE_SLACK = 0.1;

/** One leg under the DIMACS convention: the Euclidean length truncated to one decimal, in tenths. */
function tenthsBetween(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.floor(Math.hypot(a.x - b.x, a.y - b.y) * 10 + 1e-9);
}

/**
 * The problem under the DIMACS 2021 VRPTW convention, in which the Gehring-Homberger
 * distance-only best known values were found: every leg's distance and travel time is its
 * Euclidean length truncated to one decimal. Returned in the native format as a travel matrix
 * (places by index, one profile whose durations and distances are those legs), so that the
 * search, the plan's times and the checker all work on the same legs. Planar coordinates at
 * speed 1 only (as parseSolomon gives).
 */
export function dimacsProblem(input: ProblemInput): ProblemInput {
  for (const [name, profile] of Object.entries(input.profiles ?? {}))
    if ((profile.speed ?? 1) !== 1 || profile.durations || profile.distances)
      throw new Error(`profile ${name}: the DIMACS convention needs planar travel at speed 1`);
  if (input.patients !== undefined && input.patients.length > 0)
    throw new Error('patients: the DIMACS convention is for plain time-window problems (Solomon format)');
  for (const n of input.nurses)
    if (n.position !== undefined) throw new Error(`nurse ${n.id} position: not in the DIMACS convention`);
  const places: { x: number; y: number }[] = [];
  const indexOf = new Map<string, number>();
  const place = (loc: LocationInput, what: string): { index: number } => {
    if (!('x' in loc)) throw new Error(`${what}: the DIMACS convention needs planar coordinates`);
    const key = `${loc.x},${loc.y}`;
    let index = indexOf.get(key);
    if (index === undefined) {
      index = places.length;
      indexOf.set(key, index);
      places.push(loc);
    }
    return { index };
  };
  const nurses = input.nurses.map((n) => ({
    ...n,
    profile: 'dimacs',
    start: place(n.start, `nurse ${n.id} start`),
    ...(n.end !== undefined && { end: n.end === null ? null : place(n.end, `nurse ${n.id} end`) }),
  }));
  const visits = input.visits.map((v) => ({ ...v, location: place(v.location, `visit ${v.id}`) }));
  const legs = places.map((a) => places.map((b) => tenthsBetween(a, b) / 10));
  return { ...input, profiles: { dimacs: { durations: legs, distances: legs } }, nurses, visits };
}

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
      tenths += tenthsBetween(a, b);
    }
  }
  return tenths / 10;
}
