import type { VisitInput } from '../model/input.ts';

// The tasks of a home-care day as CareData builds them: breaks as tasks, care durations by
// nurse, the default penalty of an optional visit, and the arcs' compressed rows.

/** A break as a task: no skills, only its nurse, starting early enough to end inside its window. */
export function breakTask(
  nurse: string,
  id: string,
  duration: number,
  w: { start: number; end: number },
): VisitInput {
  return {
    id,
    location: { x: 0, y: 0 }, // never read: a break has no location
    duration,
    requiredNurse: nurse,
    timeWindows: [{ start: w.start, end: w.end - duration }],
  };
}

/** Care duration by nurse as documented: durationByNurse, else the shortest durationBySkill she qualifies for, else duration. */
export function careDuration(v: VisitInput, nurse: string, skills: ReadonlySet<string>): number {
  const byNurse = v.durationByNurse?.[nurse];
  if (byNurse !== undefined) return byNurse;
  let best = Infinity;
  for (const [skill, d] of Object.entries(v.durationBySkill ?? {}))
    if (skills.has(skill) && d < best) best = d;
  return best < Infinity ? best : (v.duration ?? 0);
}

/** Documented default cost of leaving out an optional visit: 100 per priority level (3 by default). */
export function defaultPenalty(v: VisitInput): number {
  return 100 * (v.priority ?? 3);
}

/** Compressed rows: offsets per key 0..n-1 and the indices of `keys` grouped by key. */
export function csr(n: number, keys: Int32Array): [Int32Array, Int32Array] {
  const off = new Int32Array(n + 1);
  for (const k of keys) off[k + 1]++;
  for (let i = 0; i < n; i++) off[i + 1] += off[i];
  const fill = off.slice(0, n);
  const out = new Int32Array(keys.length);
  keys.forEach((k, a) => (out[fill[k]++] = a));
  return [off, out];
}
