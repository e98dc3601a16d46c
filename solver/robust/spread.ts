import { probit } from 'simple-statistics';
import type { ProblemInput, ProfileInput, VisitInput } from '../model/input.ts';
import { DEFAULT_SPEED_KMH } from '../model/profile-defaults.ts';

/**
 * Uncertain care and travel times (docs/explain.md, "Plans that hold when visits overrun"):
 * each is lognormal, its median the planned time and its 90th percentile the given one (a
 * visit's `durationP90`; a leg's (1 + `travelSpread`) × its planned time). Lognormal: never
 * negative, skewed the way overruns are. Quantiles through simple-statistics' probit (the
 * inverse normal distribution), by which samples are drawn too.
 */
const Z90 = probit(0.9);

/** The log-spread σ of a lognormal with median 1 whose 90th percentile is `p90` (≥ 1). */
export function logSpread(p90: number): number {
  return p90 > 1 ? Math.log(p90) / Z90 : 0;
}

/** The factor at quantile q (0 < q < 1) of a lognormal with median 1 and log-spread σ. */
export function factorAt(sigma: number, q: number): number {
  return sigma === 0 ? 1 : Math.exp(sigma * probit(q));
}

/** Whether the problem says how uncertain its times are. */
export function hasSpread(problem: ProblemInput): boolean {
  return (problem.travelSpread ?? 0) > 0 || problem.visits.some((v) => durationSpread(v) > 0);
}

/** A visit's care-time log-spread (0 when certain). */
export function durationSpread(v: VisitInput): number {
  return v.durationP90 !== undefined && (v.duration ?? 0) > 0 ? logSpread(v.durationP90 / v.duration!) : 0;
}

/**
 * The problem with every care time and travel leg at quantile q of its spread: the routes a
 * search finds on it keep each window at that confidence. Care times by nurse or skill scale
 * with the visit's; travel matrices scale, coordinate travel slows.
 */
export function atQuantile(problem: ProblemInput, q: number): ProblemInput {
  const travel = factorAt(logSpread(1 + (problem.travelSpread ?? 0)), q);
  const scaleMap = (m: Record<string, number> | undefined, f: number) =>
    m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, x]) => [k, x * f]));
  const visits = problem.visits.map((v) => {
    const sigma = durationSpread(v);
    if (sigma === 0) return v;
    const f = factorAt(sigma, q);
    return {
      ...v,
      duration: v.duration! * f,
      ...(v.durationByNurse !== undefined && { durationByNurse: scaleMap(v.durationByNurse, f) }),
      ...(v.durationBySkill !== undefined && { durationBySkill: scaleMap(v.durationBySkill, f) }),
    };
  });
  if (travel === 1) return { ...problem, visits };
  // Coordinate travel: km/h for lon/lat (the built-in speeds by default), coordinate units per time unit for x/y (1).
  const geo = problem.visits.some((v) => 'lon' in v.location) || problem.nurses.some((n) => 'lon' in n.start);
  const defaultSpeed = (name: string) => (geo ? (DEFAULT_SPEED_KMH[name] ?? DEFAULT_SPEED_KMH.car) : 1);
  const names = new Set([
    ...Object.keys(problem.profiles ?? {}),
    ...problem.nurses.map((n) => n.profile ?? 'car'),
  ]);
  const profiles: Record<string, ProfileInput> = {};
  for (const name of names) {
    const p = problem.profiles?.[name] ?? {};
    profiles[name] =
      p.durations !== undefined
        ? {
            ...p,
            durations: p.durations.map((row) => row.map((t) => t * travel)),
            distances: p.distances ?? p.durations,
          }
        : { ...p, speed: (p.speed ?? defaultSpeed(name)) / travel };
  }
  return { ...problem, visits, profiles };
}
