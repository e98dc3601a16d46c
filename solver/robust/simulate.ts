import { fnv1a } from '../search/fnv1a.ts';
import { probit } from 'simple-statistics';
import type { LocationInput, ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { Travel } from '../model/travel.ts';
import { durationSpread, logSpread } from './spread.ts';

export interface SimulationOptions {
  /** Sampled days (default 500). */
  scenarios?: number;
  /** Seed of the samples (default 1): the same seed gives the same days to every plan of the problem. */
  seed?: number;
}

export interface SimulationReport {
  scenarios: number;
  seed: number;
  /** Share of visits (with a window) starting within it, over every sampled day. */
  onTimeRate: number;
  /** Mean over sampled days of the total time visits start past their window. */
  expectedLateness: number;
  /** Mean over working nurse-days of the chance she is back after her shift ends. */
  overtimeRisk: number;
  visits: { visit: string; onTime: number; expectedLateness: number }[];
  nurses: {
    nurse: string;
    shift?: number;
    date?: string;
    overtimeProbability: number;
    expectedOvertime: number;
    expectedLateness: number;
  }[];
}

/**
 * Many sampled days of a plan: each care time and each leg drawn from its spread (a visit's
 * `durationP90`, the problem's `travelSpread`; lognormal, spread.ts), each nurse following her
 * route in the plan's order from her planned departure, waiting for a window to open, taking her
 * breaks after the visit the plan takes them after (not before their planned start). Visits
 * tied to another nurse's (double-handed care, dependencies) are replayed on their own route
 * only. A visit starting within one of its hard windows (or, without any, by its preferred
 * window's end) is on time. The samples depend on the seed, the day and the visit or leg, not
 * on the plan: two plans of one problem meet the same days.
 */
export function simulatePlan(
  problem: ProblemInput,
  plan: Plan,
  options: SimulationOptions = {},
): SimulationReport {
  const scenarios = options.scenarios ?? 500;
  const seed = options.seed ?? 1;
  const travel = new Travel(problem);
  const travelSigma = logSpread(1 + (problem.travelSpread ?? 0));
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const nurses = new Map(problem.nurses.map((n) => [n.id, n]));
  const onTime = new Map<string, number>();
  const late = new Map<string, number>();
  const nurseRows = plan.routes.map(() => ({ overtime: 0, times: 0, late: 0 }));
  let onTimeCount = 0;
  let windowed = 0;
  let lateTotal = 0;
  const u = (s: number, key: number) => uniform(seed, s, key);

  plan.routes.forEach((route, k) => {
    const nurse = nurses.get(route.vehicle)!;
    const shift = nurse.shifts?.[route.shift ?? 0] ?? nurse.shift;
    const shiftEnd = shift?.end ?? Infinity;
    const profile = travel.profileIndex(nurse.profile);
    const endLoc: LocationInput | null = nurse.end === null ? null : (nurse.end ?? nurse.start);
    const stops = route.stops.map((stop) => {
      const v = visits.get(stop.visit)!;
      return { stop, v, sigma: durationSpread(v), key: fnv1a(`d\u0000${v.id}`) };
    });
    const breaksAfter = new Map<string | null, { start: number; length: number }[]>();
    for (const b of route.breaks ?? [])
      breaksAfter.set(b.after, [
        ...(breaksAfter.get(b.after) ?? []),
        { start: b.start, length: b.end - b.start },
      ]);
    // Legs: planned time and key, from the start through each stop to the end; a re-plan's
    // nurse goes on from her position after her frozen visits.
    let loc = nurse.start;
    let from = `s\u0000${nurse.id}`;
    let moved = false;
    const legs = stops.map(({ v, stop }) => {
      if (stop.frozen !== true && !moved && nurse.position !== undefined) {
        moved = true;
        loc = nurse.position.location;
        from = `p\u0000${nurse.id}`;
      }
      const leg = {
        time: travel.duration(profile, loc, v.location),
        key: fnv1a(`t\u0000${from}\u0000${v.id}`),
      };
      loc = v.location;
      from = v.id;
      return leg;
    });
    const home =
      endLoc === null
        ? null
        : { time: travel.duration(profile, loc, endLoc), key: fnv1a(`t\u0000${from}\u0000e`) };
    const row = nurseRows[k];
    for (let s = 0; s < scenarios; s++) {
      let t = route.departure;
      const takeBreaks = (after: string | null) => {
        for (const b of breaksAfter.get(after) ?? []) t = Math.max(t, b.start) + b.length;
      };
      takeBreaks(null);
      stops.forEach(({ stop, v, sigma, key }, i) => {
        if (stop.frozen === true) {
          t = stop.end; // done or under way: as it was
          takeBreaks(v.id);
          return;
        }
        const arrival = t + legs[i].time * sample(travelSigma, u(s, legs[i].key));
        const { start, lateness, timed } = startAt(v, arrival);
        if (timed) {
          windowed++;
          if (lateness === 0) {
            onTimeCount++;
            onTime.set(v.id, (onTime.get(v.id) ?? 0) + 1);
          }
        }
        late.set(v.id, (late.get(v.id) ?? 0) + lateness);
        lateTotal += lateness;
        row.late += lateness;
        t = start + (stop.end - stop.start) * sample(sigma, u(s, key));
        takeBreaks(v.id);
      });
      if (home !== null) t += home.time * sample(travelSigma, u(s, home.key));
      if (t > shiftEnd + 1e-9) {
        row.times++;
        row.overtime += t - shiftEnd;
      }
    }
  });
  const working = plan.routes.filter((r) => r.stops.length > 0).length;
  return {
    scenarios,
    seed,
    onTimeRate: windowed === 0 ? 1 : onTimeCount / windowed,
    expectedLateness: lateTotal / scenarios,
    overtimeRisk:
      working === 0
        ? 0
        : nurseRows.reduce((sum, r, k) => sum + (plan.routes[k].stops.length > 0 ? r.times : 0), 0) /
          (working * scenarios),
    visits: plan.routes.flatMap((r) =>
      r.stops
        .filter((x) => x.frozen !== true && hasWindow(visits.get(x.visit)!))
        .map((x) => ({
          visit: x.visit,
          onTime: (onTime.get(x.visit) ?? 0) / scenarios,
          expectedLateness: (late.get(x.visit) ?? 0) / scenarios,
        })),
    ),
    nurses: plan.routes.map((r, k) => ({
      nurse: r.vehicle,
      ...(r.shift !== undefined && { shift: r.shift }),
      ...(r.date !== undefined && { date: r.date }),
      overtimeProbability: nurseRows[k].times / scenarios,
      expectedOvertime: nurseRows[k].overtime / scenarios,
      expectedLateness: nurseRows[k].late / scenarios,
    })),
  };
}

function hasWindow(v: VisitInput): boolean {
  return (v.timeWindows?.length ?? 0) > 0 || v.preferredWindow !== undefined;
}

/** When care starts for a nurse arriving at `arrival`, how late that is, and whether the visit has a window to be late for. */
function startAt(v: VisitInput, arrival: number): { start: number; lateness: number; timed: boolean } {
  const windows = v.timeWindows ?? [];
  if (windows.length > 0) {
    let lastEnd = -Infinity;
    let next = Infinity;
    for (const w of windows) {
      if (arrival <= w.end + 1e-9) next = Math.min(next, Math.max(arrival, w.start));
      else lastEnd = Math.max(lastEnd, w.end);
    }
    if (next < Infinity) return { start: next, lateness: 0, timed: true };
    return { start: arrival, lateness: arrival - lastEnd, timed: true };
  }
  const due = v.preferredWindow?.end;
  if (due !== undefined) return { start: arrival, lateness: Math.max(0, arrival - due), timed: true };
  return { start: arrival, lateness: 0, timed: false };
}

/** A lognormal factor with median 1 and log-spread σ at uniform draw p. */
function sample(sigma: number, p: number): number {
  return sigma === 0 ? 1 : Math.exp(sigma * probit(p));
}

/** A uniform draw in (0, 1) from the seed, the sampled day and a key (a mix of the three, murmur3's finalizer). */
function uniform(seed: number, s: number, key: number): number {
  let h = (key ^ Math.imul(s + 1, 0x9e3779b1) ^ Math.imul(seed + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) + 0.5) / 4294967296;
}
