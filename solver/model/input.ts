/**
 * The native problem: the documented JSON shape users send (README, "Problem format").
 * Every time is a number in the problem's own time unit (`timeUnit`, minutes by default);
 * travel matrices are in that unit too. Distances are in metres when coordinates are
 * geographic, and in the coordinates' own unit when they are planar.
 */

/** Where a nurse or a visit is. Exactly one form per location. */
export type LocationInput = { lon: number; lat: number } | { x: number; y: number } | { index: number };

export interface TimeWindowInput {
  start: number;
  end: number;
}

export interface ProfileInput {
  /** Travel time matrix, indexed by `location.index`, in the time unit. */
  durations?: number[][];
  /** Optional distance matrix, same indexing. When absent, distance is derived from coordinates or equals duration. */
  distances?: number[][];
  /** Speed for coordinate-based travel, km/h for lon/lat, coordinate units per time unit for planar. */
  speed?: number;
  /** Detour factor applied to straight-line distance for lon/lat coordinates (road network vs crow flies). */
  circuity?: number;
}

export interface NurseInput {
  id: string;
  start: LocationInput;
  /** Where the day ends; `null` leaves the end open (the route stops at the last visit). Defaults to `start`. */
  end?: LocationInput | null;
  shift?: TimeWindowInput;
  capacity?: number;
  profile?: string;
  /** Cost added to the objective when this nurse is used at all. */
  fixedCost?: number;
}

export interface VisitInput {
  id: string;
  location: LocationInput;
  /** Care duration at the patient, in the time unit. */
  duration?: number;
  /** Hard windows for the start of care. At most one in this version. */
  timeWindows?: TimeWindowInput[];
  /** Load taken by the visit in the capacity dimension (Solomon demand). */
  demand?: number;
}

export type ObjectiveName = 'distance' | 'duration' | 'vehicles';

export interface ProblemInput {
  name?: string;
  /** 'minute' (default) or 'second': the unit of every time and duration. */
  timeUnit?: 'minute' | 'second';
  /** Default objective; the CLI's --objective overrides it. */
  objective?: ObjectiveName;
  /** Travel profiles by name; nurses use 'car' unless they name another. */
  profiles?: Record<string, ProfileInput>;
  nurses: NurseInput[];
  visits: VisitInput[];
}
