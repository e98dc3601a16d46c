/**
 * The native problem: the documented JSON shape users send (docs/problem-format.md, "Problem format").
 * Every time is a number in the problem's own time unit (`timeUnit`, minutes by default);
 * travel matrices are in that unit too. Distances are in metres when coordinates are
 * geographic, and in the coordinates' own unit when they are planar.
 */

import type { Plan, PlanRoute, PlanStop } from './plan.ts';

/**
 * Where a nurse or a visit is: coordinates, planar or geographic, or an index into the profiles'
 * matrices. An index may carry its place's lon/lat too (a road matrix for travel, the coordinates
 * for maps and phones); travel then comes from the matrix.
 */
export type LocationInput =
  | { lon: number; lat: number }
  | { x: number; y: number }
  | { index: number }
  | { index: number; lon: number; lat: number };

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
  /** Working window: the nurse leaves `start` at or after `shift.start` and is back by `shift.end`. */
  shift?: TimeWindowInput;
  capacity?: number;
  profile?: string;
  /** Cost added to the objective when this nurse is used at all. */
  fixedCost?: number;
  /** Qualifications and attributes (e.g. 'RN', 'palliative', 'speaks-ar'); a visit needs all of its `skills`. */
  skills?: string[];
  /** Most working time (travel, care and waiting, from leaving to coming back), in the time unit. */
  maxWorkingTime?: number;
  /** Most visits in the day. */
  maxVisits?: number;
  /** Soft overtime after `shift.end`, up to `max` time units, at `cost` (default 1) per time unit; none allowed without it. */
  overtime?: { max: number; cost?: number };
  /** Cost per hour of working time and per kilometre (per distance unit × 1000 for planar or matrix input). */
  costPerHour?: number;
  costPerKm?: number;
  /** Breaks placed by the solver between visits: `duration` taken wholly inside `window`, wherever she is. */
  breaks?: BreakInput[];
  /** Fixed periods she cannot work (meetings, appointments): like breaks that must fill the period exactly. */
  unavailable?: (TimeWindowInput & { id?: string })[];
  /** Re-planning: where she is now and when she is free (after her frozen visits); her day goes on from there. */
  position?: { location: LocationInput; time: number };
  /**
   * A horizon of several days (docs/calendar.md): her working periods, one or more a day (split
   * shifts), each with its own breaks; each is a route of the plan. Instead of `shift`.
   */
  shifts?: ShiftInput[];
  /** Limits over the horizon (docs/calendar.md, "Contracts"). */
  contract?: ContractInput;
}

export interface ShiftInput {
  /** The day its times of day are on (`YYYY-MM-DD`); a date-time or number needs none. */
  date?: string;
  start: number;
  end: number;
  breaks?: BreakInput[];
  /** This day ends at her last visit, without the way back (re-planning: she stopped there). */
  openEnd?: boolean;
  /** This day's overtime, instead of hers. */
  overtime?: { max: number; cost?: number };
}

export interface ContractInput {
  /** Most working time over the horizon (contract hours), in the time unit. */
  maxWorkingTime?: number;
  /** Least rest between the end of work on one day and its start on the next working day (default 11 h). */
  minRest?: number;
  /** Most consecutive days with work. */
  maxConsecutiveDays?: number;
  /** Days she does not work (`YYYY-MM-DD`): her shifts on them are dropped. */
  daysOff?: string[];
}

export interface BreakInput {
  /** Defaults to `<nurse id>-break-<k>`. */
  id?: string;
  duration: number;
  window: TimeWindowInput;
}

export interface VisitInput {
  id: string;
  /** The patient; visits of one patient share continuity of care. Defaults to the visit id. */
  patient?: string;
  /** For the nurse's phone: the patient's address and notes (door code, what to bring); not read by the solver. */
  address?: string;
  notes?: string;
  location: LocationInput;
  /** Care duration at the patient, in the time unit. */
  duration?: number;
  /**
   * Uncertain care time: the duration 9 visits in 10 stay under (at least `duration`, read as the
   * median). Simulation samples care times from it; `confidence` plans for it (docs/explain.md).
   */
  durationP90?: number;
  /** Care duration when done by a given nurse (by nurse id); overrides everything else. */
  durationByNurse?: Record<string, number>;
  /** Care duration by skill level: a nurse with the skill takes that long (the shortest that applies); overrides `duration`. */
  durationBySkill?: Record<string, number>;
  /** Hard windows for the start of care (one or more, any order, non-overlapping or not). */
  timeWindows?: TimeWindowInput[];
  /** Preferred start: starting after `end` (lateness) or before `start` (earliness) costs `costPerMinute` (default 1) per time unit. */
  preferredWindow?: { start?: number; end: number; costPerMinute?: number };
  /** Load taken by the visit in the capacity dimension (Solomon demand). */
  demand?: number;
  /** Skills the nurse must all have. */
  skills?: string[];
  /** Whether the visit may be left out (default false: mandatory). */
  optional?: boolean;
  /** Priority 1 (low) .. 5 (high), default 3: scales the cost of leaving the visit out. */
  priority?: number;
  /** Cost of leaving this visit out; overrides the priority-based default. */
  penalty?: number;
  /** The patient's usual nurses (soft: continuity of care). */
  preferredNurses?: string[];
  /** Only this nurse may do the visit (hard). */
  requiredNurse?: string;
  /** Nurses who must not do the visit (hard: the patient refused them). */
  excludedNurses?: string[];
  /** Re-planning: this nurse does it, and at exactly `start` when given (a coordinator's decision). */
  pinned?: { nurse: string; start?: number };
  /** Re-planning: done or under way, by `nurse` from `start`; kept as it is at the head of her day. */
  frozen?: { nurse: string; start: number };
  /** The day its times of day are on (`YYYY-MM-DD`), in a horizon of several days. */
  date?: string;
}

/** The plan a re-plan starts from: who did what when (a plan's routes, read for vehicle, visit and start). */
export interface PreviousPlanInput {
  routes: { vehicle: string; stops: { visit: string; start: number }[] }[];
}

/** Visits done together by distinct nurses, starting within `tolerance` of each other (double-handed care). */
export interface SyncGroupInput {
  id?: string;
  visits: string[];
  tolerance?: number;
}

/** Visit `after` starts between `minDelay` and `maxDelay` after visit `before` starts. */
export interface DependencyInput {
  before: string;
  after: string;
  minDelay?: number;
  maxDelay?: number;
  /** 'same': one nurse does both; 'different': two nurses; 'any' (default). */
  nurse?: 'same' | 'different' | 'any';
}

/** Weights of the objective's terms (docs/problem-format.md, "Objective"); each defaults as documented. */
export interface WeightsInput {
  /** Per time unit of travel. */
  travelTime?: number;
  /** Per distance unit (metres for lon/lat). */
  distance?: number;
  /** Per time unit of lateness past a preferred window (or earliness before it), times the visit's costPerMinute. */
  lateness?: number;
  /** Per time unit of the single largest lateness. */
  maxLateness?: number;
  /** Per time unit of overtime, times the nurse's overtime cost. */
  overtime?: number;
  /** Per visit done by a nurse who is not among the patient's preferred nurses. */
  continuity?: number;
  /** Multiplies every left-out visit's penalty. */
  unassigned?: number;
  /** Per visit given to another nurse than in `previousPlan`. */
  moved?: number;
  /** Per time unit a visit's start moves from its time in `previousPlan`. */
  shifted?: number;
  /** Per time unit of spread of working time: the most working nurse's minus the least's (0 for a nurse without visits). */
  balance?: number;
  /** Per nurse beyond the first that a patient sees over the horizon (problems with a horizon or patients). */
  distinctNurses?: number;
}

/** A patient (docs/calendar.md, "Patients"): rules for all her visits, and her recurring care. */
export interface PatientInput {
  id: string;
  location?: LocationInput;
  address?: string;
  notes?: string;
  /** Her usual nurses (known: soft, continuity of care) and the nurses she refused (hard), for all her visits. */
  preferredNurses?: string[];
  excludedNurses?: string[];
  /** Nurses who cared for her before the horizon: known to her, like her preferred nurses. */
  history?: string[];
  /** Most distinct nurses she may see over the horizon (hard). */
  maxNurses?: number;
  /** Recurring care, expanded into visits (docs/calendar.md, "Periodic care"). */
  care?: CareNeedInput[];
}

/** A recurring need: `times` visits a day or a week, where and when, and their spacing. */
export interface CareNeedInput {
  id?: string;
  per: 'day' | 'week';
  times?: number;
  location?: LocationInput;
  notes?: string;
  duration?: number;
  durationBySkill?: Record<string, number>;
  skills?: string[];
  optional?: boolean;
  priority?: number;
  penalty?: number;
  requiredNurse?: string;
  preferredWindow?: VisitInput['preferredWindow'];
  /** Daily window (times of day), the same for every visit; or one per visit of a day; or `at` ± `tolerance`. */
  window?: { start: string | number; end: string | number };
  windows?: { start: string | number; end: string | number }[];
  at?: string | number;
  tolerance?: number;
  /** Candidate days: these dates (fixed days), or these weekdays ('mon' … 'sun'); every day by default. */
  dates?: string[];
  weekdays?: string[];
  /** Per week: least whole days between two of its visits. */
  minDaysApart?: number;
  /** Per day: least and most time between two of its visits. */
  minGap?: number;
  maxGap?: number;
}

export type ObjectiveName = 'distance' | 'duration' | 'vehicles';

export interface ProblemInput {
  name?: string;
  /** IANA time zone of the clock times (default UTC when a date or horizon is given). */
  timeZone?: string;
  /** One planning day (`YYYY-MM-DD`): a one-day horizon. */
  date?: string;
  /** Several planning days: numbers count time units since local midnight of `start`. */
  horizon?: { start: string; days: number };
  /** 'minute' (default) or 'second': the unit of every time and duration. */
  timeUnit?: 'minute' | 'second';
  /** Default objective; the CLI's --objective overrides it. */
  objective?: ObjectiveName;
  /** Travel profiles by name; nurses use 'car' unless they name another. */
  profiles?: Record<string, ProfileInput>;
  nurses: NurseInput[];
  visits: VisitInput[];
  /** Double-handed visits. */
  syncGroups?: SyncGroupInput[];
  dependencies?: DependencyInput[];
  weights?: WeightsInput;
  /** Re-planning: the plan being changed, so that the new one changes little (weights `moved`, `shifted`). */
  previousPlan?: PreviousPlanInput;
  /** Patients: rules over all their visits, continuity over the horizon, recurring care. */
  patients?: PatientInput[];
  /**
   * Refuse the problem (E_CONFLICT) when a visit's every window lies outside the shift of every
   * nurse who could do it; by default such a visit is left out with its reason and suggestions
   * while the rest of the day is planned.
   */
  strict?: boolean;
  /** Uncertain travel: a leg takes at most (1 + travelSpread) × its planned time 9 times in 10 (e.g. 0.2). */
  travelSpread?: number;
  /**
   * Plan for overruns: routes are chosen with every care time and leg at this quantile of its
   * spread (0.5 to 0.99; e.g. 0.9 protects each window at p90), then timed as planned.
   */
  confidence?: number;
}

/** The keys of every member of a union (a location's `lon`, `lat`, `x`, `y`, `index`). */
type KeysOf<T> = T extends unknown ? keyof T & string : never;
/**
 * The field names of T, each listed once: a name T lacks, or a name of T left out of the list,
 * does not compile (`missing` names the forgotten ones).
 */
/** The nurse and visit fields of the home-care model: a problem using any of them is solved by the home-care engine (care/uses-care-model.ts). */
export const CARE_NURSE_FIELDS = [
  'skills',
  'maxWorkingTime',
  'maxVisits',
  'overtime',
  'costPerHour',
  'costPerKm',
  'breaks',
  'unavailable',
  'position',
  'shifts',
  'contract',
] as const;
export const CARE_VISIT_FIELDS = [
  'durationByNurse',
  'durationBySkill',
  'preferredWindow',
  'skills',
  'optional',
  'priority',
  'penalty',
  'preferredNurses',
  'requiredNurse',
  'excludedNurses',
  'pinned',
  'frozen',
] as const;

/** The visit fields a recurring care need passes on to each of its visits (calendar/recurring.ts). */
export const CARE_NEED_VISIT_FIELDS = [
  'duration',
  'durationBySkill',
  'skills',
  'optional',
  'priority',
  'penalty',
  'requiredNurse',
  'preferredWindow',
] as const;

const fieldsOf =
  <T>() =>
  <const L extends readonly KeysOf<T>[]>(
    ...names: L &
      ([Exclude<KeysOf<T>, L[number]>] extends [never] ? unknown : { missing: Exclude<KeysOf<T>, L[number]> })
  ): readonly string[] =>
    names;

type PreviousRouteInput = PreviousPlanInput['routes'][number];

/**
 * The fields each object of the native format knows, in one place next to the types; validation
 * rejects any other with `E_UNKNOWN_FIELD`. `previousPlan` also accepts what a plan (the solver's
 * output, `solver/model/plan.ts`, and the CLI's `solver` record) carries, so that a plan's JSON
 * passed back as it is stays valid; only `routes[].vehicle` and `stops[].visit`, `.start` are read.
 * Maps (`profiles`, `durationByNurse`, `durationBySkill`) take any key.
 */
export const KNOWN_FIELDS = {
  problem: fieldsOf<ProblemInput>()(
    'name',
    'timeZone',
    'date',
    'horizon',
    'timeUnit',
    'objective',
    'profiles',
    'nurses',
    'visits',
    'syncGroups',
    'dependencies',
    'weights',
    'previousPlan',
    'patients',
    'strict',
    'travelSpread',
    'confidence',
  ),
  profile: fieldsOf<ProfileInput>()('durations', 'distances', 'speed', 'circuity'),
  location: fieldsOf<LocationInput>()('lon', 'lat', 'x', 'y', 'index'),
  timeWindow: fieldsOf<TimeWindowInput>()('start', 'end'),
  nurse: fieldsOf<NurseInput>()(
    'id',
    'start',
    'end',
    'shift',
    'capacity',
    'profile',
    'fixedCost',
    ...CARE_NURSE_FIELDS,
  ),
  overtime: fieldsOf<NonNullable<NurseInput['overtime']>>()('max', 'cost'),
  break: fieldsOf<BreakInput>()('id', 'duration', 'window'),
  horizon: fieldsOf<NonNullable<ProblemInput['horizon']>>()('start', 'days'),
  shift: fieldsOf<ShiftInput>()('date', 'start', 'end', 'breaks', 'openEnd', 'overtime'),
  patient: fieldsOf<PatientInput>()(
    'id',
    'location',
    'address',
    'notes',
    'preferredNurses',
    'excludedNurses',
    'history',
    'maxNurses',
    'care',
  ),
  careNeed: fieldsOf<CareNeedInput>()(
    'id',
    'per',
    'times',
    'location',
    'notes',
    ...CARE_NEED_VISIT_FIELDS,
    'window',
    'windows',
    'at',
    'tolerance',
    'dates',
    'weekdays',
    'minDaysApart',
    'minGap',
    'maxGap',
  ),
  contract: fieldsOf<ContractInput>()('maxWorkingTime', 'minRest', 'maxConsecutiveDays', 'daysOff'),
  unavailable: fieldsOf<NonNullable<NurseInput['unavailable']>[number]>()('id', 'start', 'end'),
  position: fieldsOf<NonNullable<NurseInput['position']>>()('location', 'time'),
  visit: fieldsOf<VisitInput>()(
    'id',
    'patient',
    'address',
    'notes',
    'location',
    'duration',
    'durationP90',
    'timeWindows',
    'demand',
    'date',
    ...CARE_VISIT_FIELDS,
  ),
  preferredWindow: fieldsOf<NonNullable<VisitInput['preferredWindow']>>()('start', 'end', 'costPerMinute'),
  pinned: fieldsOf<NonNullable<VisitInput['pinned']>>()('nurse', 'start'),
  frozen: fieldsOf<NonNullable<VisitInput['frozen']>>()('nurse', 'start'),
  syncGroup: fieldsOf<SyncGroupInput>()('id', 'visits', 'tolerance'),
  dependency: fieldsOf<DependencyInput>()('before', 'after', 'minDelay', 'maxDelay', 'nurse'),
  weights: fieldsOf<WeightsInput>()(
    'travelTime',
    'distance',
    'lateness',
    'maxLateness',
    'overtime',
    'continuity',
    'unassigned',
    'moved',
    'shifted',
    'balance',
    'distinctNurses',
  ),
  previousPlan: fieldsOf<PreviousPlanInput & Plan & { solver: unknown }>()(
    'routes',
    'summary',
    'unassigned',
    'solver',
    'calendar',
    'patients',
    'travel',
    'warnings',
  ),
  previousRoute: fieldsOf<PreviousRouteInput & PlanRoute>()(
    'vehicle',
    'stops',
    'departure',
    'return',
    'distance',
    'travelTime',
    'breaks',
    'shift',
    'date',
    'departureTime',
    'returnTime',
  ),
  previousStop: fieldsOf<PreviousRouteInput['stops'][number] & PlanStop>()(
    'visit',
    'start',
    'arrival',
    'end',
    'lateness',
    'earliness',
    'frozen',
    'arrivalTime',
    'startTime',
    'endTime',
  ),
} as const;

export type KnownObject = keyof typeof KNOWN_FIELDS;
