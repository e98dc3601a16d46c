import type { LocationInput, NurseInput, ProblemInput, VisitInput } from '../model/input.ts';

/**
 * Re-planning inputs read once: where each nurse goes on from (her stated position, else the
 * end of her last frozen visit), and the visits of a previous plan (nurse and start).
 */
export interface Position {
  location: LocationInput;
  time: number;
}

export function nursePositions(
  input: ProblemInput,
  duration: (v: VisitInput, nurse: number) => number,
): (Position | undefined)[] {
  const index = new Map(input.nurses.map((n, k) => [n.id, k]));
  const last: (Position | undefined)[] = input.nurses.map(() => undefined);
  for (const v of input.visits) {
    if (v.frozen === undefined) continue;
    const k = index.get(v.frozen.nurse);
    if (k === undefined) continue;
    const end = v.frozen.start + duration(v, k);
    if (last[k] === undefined || end > last[k]!.time) last[k] = { location: v.location, time: end };
  }
  return input.nurses.map((n: NurseInput, k) => n.position ?? last[k]);
}

/** Per visit: the index of its nurse in the previous plan (-1: not in it, -2: a nurse no longer in the problem) and its start there. */
export function previousAssignment(input: ProblemInput): { nurse: Int32Array; start: Float64Array } {
  const visits = new Map(input.visits.map((v, k) => [v.id, k]));
  const nurses = new Map(input.nurses.map((n, k) => [n.id, k]));
  const nurse = new Int32Array(input.visits.length).fill(-1);
  const start = new Float64Array(input.visits.length).fill(NaN);
  for (const route of input.previousPlan?.routes ?? [])
    for (const stop of route.stops) {
      const v = visits.get(stop.visit);
      if (v === undefined) continue; // cancelled since
      nurse[v] = nurses.get(route.vehicle) ?? -2;
      start[v] = stop.start;
    }
  return { nurse, start };
}
