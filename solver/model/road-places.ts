import type { LocationInput, ProblemInput } from './input.ts';

/**
 * A problem's places for a routing service, and its matrices put back in: the pure half of road
 * travel (the fetching and caching live in service/road/). A place is a lon/lat pair rounded to
 * six decimals (OSRM's own precision, about 11 cm); places are numbered in the order the problem
 * first names them, nurses before visits before patients.
 */
export interface RoadPlaces {
  /** `lon,lat` keys, six decimals each, one per distinct place. */
  keys: string[];
  points: [number, number][];
  /** Profiles the problem's nurses use (the built-in `car` when a nurse names none). */
  profiles: string[];
}

/** One profile's matrices between the places, row-major P x P: times in the problem's unit, distances in metres. */
export interface PlaceMatrices {
  durations: Float64Array;
  distances: Float64Array;
}

export const placeKey = (lon: number, lat: number) => `${lon.toFixed(6)},${lat.toFixed(6)}`;

type Visit = (loc: LocationInput | null | undefined) => LocationInput | null | undefined;

/** Calls `f` on every location slot of the problem and writes back what it returns (a copy: `input` is not changed). */
function mapLocations(input: ProblemInput, f: Visit): ProblemInput {
  const at = <T extends LocationInput | null | undefined>(l: T): T => f(l) as T;
  return {
    ...input,
    nurses: input.nurses.map((n) => ({
      ...n,
      start: at(n.start),
      ...(n.end !== undefined && { end: at(n.end) }),
      ...(n.position !== undefined && { position: { ...n.position, location: at(n.position.location) } }),
    })),
    visits: input.visits.map((v) => ({ ...v, location: at(v.location) })),
    ...(input.patients !== undefined && {
      patients: input.patients.map((p) => ({
        ...p,
        ...(p.location !== undefined && { location: at(p.location) }),
        ...(p.care !== undefined && {
          care: p.care.map((c) => ({ ...c, ...(c.location !== undefined && { location: at(c.location) }) })),
        }),
      })),
    }),
  };
}

/**
 * The places a routing service should measure, or null when the problem is not one for it: a
 * location given by x/y or by matrix index, or a profile with its own matrices, keeps the
 * problem's own travel. `extra` places (a new visit a request brings) come after the problem's.
 */
export function roadPlaces(
  input: ProblemInput,
  extra: { lon: number; lat: number }[] = [],
): RoadPlaces | null {
  if (Object.values(input.profiles ?? {}).some((p) => p.durations !== undefined)) return null;
  const keys: string[] = [];
  const points: [number, number][] = [];
  const seen = new Map<string, number>();
  let geographic = true;
  mapLocations(input, (l) => {
    if (l === null || l === undefined) return l;
    if (!('lon' in l) || 'index' in l) {
      geographic = false;
      return l;
    }
    const key = placeKey(l.lon, l.lat);
    if (!seen.has(key)) {
      seen.set(key, keys.length);
      keys.push(key);
      points.push([Number(l.lon.toFixed(6)), Number(l.lat.toFixed(6))]);
    }
    return l;
  });
  if (!geographic || keys.length === 0) return null;
  for (const l of extra) {
    const key = placeKey(l.lon, l.lat);
    if (seen.has(key)) continue;
    seen.set(key, keys.length);
    keys.push(key);
    points.push([Number(l.lon.toFixed(6)), Number(l.lat.toFixed(6))]);
  }
  const profiles = [...new Set(input.nurses.map((n) => n.profile ?? 'car'))];
  return { keys, points, profiles };
}

/**
 * The problem with road travel: every location keeps its lon/lat and gains the index of its place
 * in `places`, and each profile of `matrices` gets them as its `durations` and `distances` (its
 * `speed` and `circuity`, which tune coordinate travel, are dropped). Profiles declared but used
 * by no nurse are dropped too: they would have no matrix.
 */
export function withPlaceMatrices(
  input: ProblemInput,
  places: RoadPlaces,
  matrices: Record<string, PlaceMatrices>,
): ProblemInput {
  const P = places.keys.length;
  const index = new Map(places.keys.map((k, i) => [k, i]));
  const out = mapLocations(input, (l) => {
    if (l === null || l === undefined || !('lon' in l)) return l;
    const i = index.get(placeKey(l.lon, l.lat));
    if (i === undefined) throw new Error(`place ${placeKey(l.lon, l.lat)} is not among the measured places`);
    return { index: i, lon: l.lon, lat: l.lat };
  });
  const rows = (m: Float64Array) =>
    Array.from({ length: P }, (_, i) => Array.from(m.subarray(i * P, i * P + P)));
  const profiles: NonNullable<ProblemInput['profiles']> = {};
  for (const name of places.profiles) {
    const m = matrices[name];
    if (m === undefined) throw new Error(`no matrices for profile '${name}'`);
    profiles[name] = { durations: rows(m.durations), distances: rows(m.distances) };
  }
  return { ...out, profiles };
}

/**
 * The problem as given again from one withPlaceMatrices made (a problem to store, say, after a
 * visit was pinned in it): locations back to lon/lat, and `original`'s profiles in place of the matrices.
 */
export function withoutPlaceMatrices(input: ProblemInput, original: ProblemInput): ProblemInput {
  const out = mapLocations(input, (l) =>
    l !== null && l !== undefined && 'index' in l && 'lon' in l ? { lon: l.lon, lat: l.lat } : l,
  );
  const rest = { ...out };
  delete rest.profiles;
  return original.profiles === undefined ? rest : { ...rest, profiles: original.profiles };
}

/** Road matrices as a thread receives them (SharedArrayBuffers: not copied), and the problem with them put in. */
export interface ThreadRoad {
  places: RoadPlaces;
  matrices: Record<string, PlaceMatrices>;
}

export function withThreadRoad(input: ProblemInput, road: ThreadRoad | undefined): ProblemInput {
  return road === undefined ? input : withPlaceMatrices(input, road.places, road.matrices);
}

const isLonLat = (x: unknown): x is { lon: number; lat: number } =>
  typeof x === 'object' &&
  x !== null &&
  !Array.isArray(x) &&
  typeof (x as { lon?: unknown }).lon === 'number' &&
  typeof (x as { lat?: unknown }).lat === 'number' &&
  !('index' in x);

/** Every lon/lat location in a request's JSON (a new visit, a patient and her care), to measure with the problem's places. */
export function lonLatsIn(
  value: unknown,
  out: { lon: number; lat: number }[] = [],
): { lon: number; lat: number }[] {
  if (isLonLat(value)) out.push(value);
  else if (Array.isArray(value)) for (const v of value) lonLatsIn(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) lonLatsIn(v, out);
  return out;
}

/** The request's JSON with each lon/lat location given its place's index too, as withPlaceMatrices gives the problem's. */
export function withPlaceIndexes<T>(value: T, places: RoadPlaces): T {
  const index = new Map(places.keys.map((k, i) => [k, i]));
  const walk = (v: unknown): unknown => {
    if (isLonLat(v)) {
      const i = index.get(placeKey(v.lon, v.lat));
      return i === undefined ? v : { ...v, index: i };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
