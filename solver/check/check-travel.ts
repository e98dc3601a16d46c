import { distance as greatCircle } from '@turf/turf';
import type { LocationInput, ProblemInput } from '../model/input.ts';
import { DEFAULT_CIRCUITY, DEFAULT_SPEED_KMH } from '../model/profile-defaults.ts';

/**
 * The checker's own reading of travel, written from the input format's documentation (README,
 * "The problem format"), not shared with the solver: matrices by `location.index`
 * (distances default to durations); lon/lat: great-circle km × circuity, metres for distance,
 * km / speed(km/h) for time; x/y: Euclidean, time = distance / speed (default 1).
 */
export interface Leg {
  time: number;
  distance: number;
}

export function legFunction(
  input: ProblemInput,
  profileName: string,
): (a: LocationInput, b: LocationInput) => Leg {
  const prof = input.profiles?.[profileName] ?? {};
  const perHour = input.timeUnit === 'second' ? 3600 : 60;
  return (a, b) => {
    if ('index' in a && 'index' in b) {
      const time = prof.durations![a.index][b.index];
      return { time, distance: (prof.distances ?? prof.durations!)[a.index][b.index] };
    }
    if ('lon' in a && 'lon' in b) {
      const km =
        a.lon === b.lon && a.lat === b.lat
          ? 0
          : greatCircle([a.lon, a.lat], [b.lon, b.lat], { units: 'kilometers' }) *
            (prof.circuity ?? DEFAULT_CIRCUITY);
      const speed = prof.speed ?? DEFAULT_SPEED_KMH[profileName] ?? DEFAULT_SPEED_KMH.car;
      return { time: (km / speed) * perHour, distance: km * 1000 };
    }
    if ('x' in a && 'x' in b) {
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      return { time: d / (prof.speed ?? 1), distance: d };
    }
    throw new Error('locations of different kinds');
  };
}
