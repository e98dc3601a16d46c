import type { ObjectiveName } from './input.ts';

/** The plan as users receive it; every figure is in the input's own units, double precision. */
export interface PlanStop {
  visit: string;
  arrival: number;
  start: number;
  end: number;
  /** Problems with a calendar: the same times as ISO 8601 local date-times with their offset. */
  arrivalTime?: string;
  startTime?: string;
  endTime?: string;
  /** Time past the visit's preferred window end (home-care problems only, when positive). */
  lateness?: number;
  /** Time before the visit's preferred window start (home-care problems only, when positive). */
  earliness?: number;
  /** Re-planning: a visit done or under way, kept as given (its arrival is its start). */
  frozen?: boolean;
}

/** A break or unavailable period in a nurse's day, taken where she is after visit `after` (null: before the first). */
export interface PlanBreak {
  id: string;
  after: string | null;
  start: number;
  end: number;
  startTime?: string;
  endTime?: string;
}

export interface PlanRoute {
  vehicle: string;
  /** Nurses with `shifts`: which of them this route is (a nurse-day); absent for a nurse's only route. */
  shift?: number;
  /** Problems with a calendar: the local date of the route's shift (`YYYY-MM-DD`). */
  date?: string;
  departure: number;
  /** Arrival back at the end location (or at the last visit when the end is open). */
  return: number;
  departureTime?: string;
  returnTime?: string;
  distance: number;
  travelTime: number;
  stops: PlanStop[];
  /** Home-care problems with breaks or unavailable periods: when each is taken. */
  breaks?: PlanBreak[];
}

export type UnassignedReason =
  'capacity' | 'time_window' | 'no_room' | 'skills' | 'partner' | 'limits' | 'penalty';

export interface PlanUnassigned {
  visit: string;
  reason: UnassignedReason;
  message: string;
  /**
   * Home-care problems: the smallest changes that would let it in, each verified by inserting it
   * under the changed rule (docs/problem-format.md, "Left-out visits and what would make them fit").
   */
  suggestions?: PlanSuggestion[];
}

/** Where a suggestion would put the visit: the nurse-day, the task it comes after (null: first), its start. */
export interface SuggestedPlace {
  nurse: string;
  shift?: number;
  date?: string;
  after: string | null;
  start: number;
  startTime?: string;
}

/** One change that would let a left-out visit in (amounts in the problem's time unit), or what blocks it. */
export type PlanSuggestion =
  | {
      kind: 'extendShift';
      nurse: string;
      shift?: number;
      side: 'start' | 'end';
      by: number;
      place: SuggestedPlace;
      message: string;
    }
  | {
      kind: 'allowOvertime';
      nurse: string;
      shift?: number;
      max: number;
      place: SuggestedPlace;
      message: string;
    }
  | { kind: 'widenWindow'; side: 'start' | 'end'; by: number; place: SuggestedPlace; message: string }
  | {
      kind: 'raiseMaxVisits';
      nurse: string;
      shift?: number;
      maxVisits: number;
      place: SuggestedPlace;
      message: string;
    }
  | { kind: 'raisePenalty'; penalty: number; place: SuggestedPlace; message: string }
  | { kind: 'dropVisit'; visit: string; place: SuggestedPlace; message: string }
  | { kind: 'needNurse'; skills: string[]; nurses: { nurse: string; why: string }[]; message: string }
  | { kind: 'partner'; partner: string; nurse: string; start: number; startTime?: string; message: string };

/** A nurse (over all her days), a visit or a patient, and what it costs one term. */
export interface PlanContributor {
  kind: 'nurse' | 'visit' | 'patient';
  id: string;
  cost: number;
}

/** One term of the home-care objective: its amount in the input's units, its weight and its cost. */
export interface PlanTerm {
  value: number;
  weight: number;
  cost: number;
}

export interface PlanSummary {
  objective: ObjectiveName | 'weighted';
  cost: number;
  distance: number;
  travelTime: number;
  routes: number;
  unassigned: number;
  /** Home-care problems: every term of the weighted objective (docs/problem-format.md, "Objective"); `cost` is their sum. */
  terms?: Record<string, PlanTerm>;
  /**
   * Home-care problems: per term with a cost, the nurses (over their days), visits or patients that
   * cost most, largest first (at most 3), so that a coordinator sees where the cost is.
   */
  topContributors?: Record<string, PlanContributor[]>;
  /** Problems with uncertain times (`durationP90`, `travelSpread`): the share of visits starting within their window over sampled days. */
  onTimeRate?: number;
  /** How onTimeRate was found, and the plan's overtime risk and expected lateness over the same days (docs/explain.md). */
  simulation?: {
    scenarios: number;
    seed: number;
    overtimeRisk: number;
    expectedLateness: number;
    confidence?: number;
  };
  /** Problems with a horizon or patients: distinct nurses per patient and share of visits by a known nurse, mean and worst. */
  continuity?: { meanNurses: number; worstNurses: number; meanKnownShare: number; worstKnownShare: number };
}

/** Per patient (problems with a horizon or patients): the nurses who see her, her planned visits, the share by a known nurse. */
export interface PlanPatient {
  patient: string;
  nurses: string[];
  visits: number;
  knownShare: number;
}

/** A plan's calendar (problems with a date or horizon): how its numbers map to clock times. */
export interface PlanCalendar {
  timeZone: string;
  start: string;
  days: number;
  /** Time 0: local midnight at the start of the horizon, with its offset. */
  origin: string;
  timeUnit: 'minute' | 'second';
}

/** Something the plan's reader should know about how it was made, with a stable code (`W_ROAD_FALLBACK`, …). */
export interface PlanWarning {
  code: string;
  message: string;
}

/**
 * Where the plan's travel came from, when a routing service was configured: `osrm` (road times and
 * distances from its table service), or `coordinates` (the service failed: the coordinate model,
 * said in `warnings`).
 */
export interface PlanTravel {
  source: 'osrm' | 'coordinates';
}

export interface Plan {
  calendar?: PlanCalendar;
  travel?: PlanTravel;
  warnings?: PlanWarning[];
  summary: PlanSummary;
  routes: PlanRoute[];
  unassigned: PlanUnassigned[];
  patients?: PlanPatient[];
}
