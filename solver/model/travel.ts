import { distance as turfDistance } from '@turf/turf';
import type { LocationInput, ProblemInput, ProfileInput } from './input.ts';
import { DEFAULT_CIRCUITY, DEFAULT_SPEED_KMH } from './profile-defaults.ts';

/**
 * Travel between input locations in the input's own units, double precision: the one place
 * that says what a leg costs. Geographic distances are metres (great-circle through Turf times
 * the profile's circuity); planar ones are in coordinate units; matrices are read as given.
 */
export class Travel {
  readonly profileNames: string[];
  private readonly profiles: ProfileInput[];
  private readonly perUnitPerHour: number;

  constructor(input: ProblemInput) {
    const declared = input.profiles ?? {};
    const names = new Set(Object.keys(declared));
    for (const n of input.nurses) names.add(n.profile ?? 'car');
    this.profileNames = [...names];
    this.profiles = this.profileNames.map((n) => declared[n] ?? {});
    this.perUnitPerHour = input.timeUnit === 'second' ? 3600 : 60;
  }

  profileIndex(name: string | undefined): number {
    return this.profileNames.indexOf(name ?? 'car');
  }

  /** Travel time from a to b with profile p, in the time unit. */
  duration(p: number, a: LocationInput, b: LocationInput): number {
    const prof = this.profiles[p];
    if ('index' in a && 'index' in b) return prof.durations![a.index][b.index];
    if ('lon' in a && 'lon' in b) {
      const km = this.crowKm(a, b) * (prof.circuity ?? DEFAULT_CIRCUITY);
      const speed = prof.speed ?? DEFAULT_SPEED_KMH[this.profileNames[p]] ?? DEFAULT_SPEED_KMH.car;
      return (km / speed) * this.perUnitPerHour;
    }
    return planar(a, b) / (prof.speed ?? 1);
  }

  /** Distance from a to b with profile p: metres (lon/lat), coordinate units (x/y), or the matrix's unit. */
  distance(p: number, a: LocationInput, b: LocationInput): number {
    const prof = this.profiles[p];
    if ('index' in a && 'index' in b) return (prof.distances ?? prof.durations!)[a.index][b.index];
    if ('lon' in a && 'lon' in b) return this.crowKm(a, b) * (prof.circuity ?? DEFAULT_CIRCUITY) * 1000;
    return planar(a, b);
  }

  private crowKm(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
    if (a.lon === b.lon && a.lat === b.lat) return 0;
    return turfDistance([a.lon, a.lat], [b.lon, b.lat], { units: 'kilometers' });
  }
}

function planar(a: LocationInput, b: LocationInput): number {
  const p = a as { x: number; y: number };
  const q = b as { x: number; y: number };
  return Math.sqrt((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y));
}
