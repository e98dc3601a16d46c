/**
 * Size limits of a native problem (docs/problem-format.md, "The problem format"): validation reads nothing
 * beyond them, so a huge or hostile body costs little. A count over its limit is reported as one
 * `E_LIMIT` issue at the array's pointer and validation stops there; a string over its limit is
 * an `E_LIMIT` at the string, and the problem is not checked further.
 */
export interface ProblemLimits {
  /** Most nurses in `/nurses`. */
  maxNurses: number;
  /** Most visits in `/visits`. */
  maxVisits: number;
  /** Most rows (and so columns) of a profile's `durations` or `distances` matrix. */
  maxMatrixSize: number;
  /**
   * Most items of any other list or map: profiles, sync groups, dependencies, previous-plan
   * routes; and per nurse, visit, group or route: skills, breaks, unavailable periods, time
   * windows, preferred and excluded nurses, durations by nurse or skill, a group's visits, stops.
   */
  maxItems: number;
  /** Longest string in characters: ids, names, skills, profile names, references, map keys, field names. */
  maxStringLength: number;
  /** Longest free text in characters: a visit's `address` and `notes`. */
  maxTextLength: number;
}

/** The limits applied when a caller gives none: the API, the CLI and `solve` use them. */
export const DEFAULT_LIMITS: Readonly<ProblemLimits> = Object.freeze({
  maxNurses: 5_000,
  maxVisits: 20_000,
  maxMatrixSize: 5_000,
  maxItems: 20_000,
  maxStringLength: 1_000,
  maxTextLength: 10_000,
});

/** No limit at all: for problems already accepted under the service's own (stored problems). */
export const NO_LIMITS: Readonly<ProblemLimits> = Object.freeze({
  maxNurses: Infinity,
  maxVisits: Infinity,
  maxMatrixSize: Infinity,
  maxItems: Infinity,
  maxStringLength: Infinity,
  maxTextLength: Infinity,
});

export interface ValidateOptions {
  /** Overrides some of DEFAULT_LIMITS; `Infinity` lifts one. */
  limits?: Partial<ProblemLimits>;
}

/** DEFAULT_LIMITS with the given ones over them (an `undefined` entry keeps the default). */
export function resolveLimits(limits: Partial<ProblemLimits> | undefined): ProblemLimits {
  const out: ProblemLimits = { ...DEFAULT_LIMITS };
  if (limits !== undefined)
    for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ProblemLimits)[]) {
      const v = limits[key];
      if (typeof v === 'number' && !Number.isNaN(v)) out[key] = v;
    }
  return out;
}
