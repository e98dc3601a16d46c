import { DEFAULT_LIMITS, type ProblemLimits } from '../solver/index.ts';

/**
 * What one request may ask of the service (docs/service.md, "Limits"). Every figure can be set through
 * the environment; a request past one is answered 400 (or 413, 429) naming the limit.
 */
export interface ServiceLimits {
  /** Sizes of a problem: nurses, visits, matrix rows, list lengths, string lengths. */
  problem: ProblemLimits;
  /** Deepest nesting of objects and arrays in a problem (HHC_MAX_DEPTH, default 32). */
  maxDepth: number;
  /** Largest problem body, bytes (HHC_MAX_BODY_BYTES, default 10 MiB). */
  bodyBytes: number;
  /** Largest body of other requests (re-plan changes, schedules), bytes (HHC_MAX_CHANGES_BYTES, default 1 MiB). */
  changesBytes: number;
  /** Requests per minute per API key (RATE_LIMIT, default 600). */
  requestsPerMinute: number;
  /** Failed or missing authentications per minute per client address (HHC_AUTH_FAILURES_PER_MINUTE, default 30). */
  authFailuresPerMinute: number;
  /** Open event streams per API key (HHC_SSE_PER_KEY, default 5) and their longest life (HHC_SSE_MAX_SECONDS, default 900). */
  streamsPerKey: number;
  streamMaxSeconds: number;
  /** Nightly schedules: least minutes between two runs (HHC_SCHEDULE_MIN_MINUTES, default 60) and most seconds of search per day (HHC_SCHEDULE_MAX_TIME_LIMIT, default 300). */
  scheduleMinMinutes: number;
  scheduleMaxTimeLimit: number;
}

export const DEFAULT_SERVICE_LIMITS: ServiceLimits = {
  problem: DEFAULT_LIMITS,
  maxDepth: 32,
  bodyBytes: 10 * 1024 * 1024,
  changesBytes: 1024 * 1024,
  requestsPerMinute: 600,
  authFailuresPerMinute: 30,
  streamsPerKey: 5,
  streamMaxSeconds: 900,
  scheduleMinMinutes: 60,
  scheduleMaxTimeLimit: 300,
};

const ENV: Record<Exclude<keyof ServiceLimits, 'problem'>, string> = {
  maxDepth: 'HHC_MAX_DEPTH',
  bodyBytes: 'HHC_MAX_BODY_BYTES',
  changesBytes: 'HHC_MAX_CHANGES_BYTES',
  requestsPerMinute: 'RATE_LIMIT',
  authFailuresPerMinute: 'HHC_AUTH_FAILURES_PER_MINUTE',
  streamsPerKey: 'HHC_SSE_PER_KEY',
  streamMaxSeconds: 'HHC_SSE_MAX_SECONDS',
  scheduleMinMinutes: 'HHC_SCHEDULE_MIN_MINUTES',
  scheduleMaxTimeLimit: 'HHC_SCHEDULE_MAX_TIME_LIMIT',
};

const PROBLEM_ENV: Partial<Record<keyof ProblemLimits, string>> = {
  maxNurses: 'HHC_MAX_NURSES',
  maxVisits: 'HHC_MAX_VISITS',
  maxMatrixSize: 'HHC_MAX_MATRIX',
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new Error(`${name} must be a positive integer, not '${text}'`);
  return Number(text);
}

/** The limits, with the environment's overrides; a malformed value stops the service at start. */
export function serviceLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceLimits {
  const limits: ServiceLimits = { ...DEFAULT_SERVICE_LIMITS, problem: { ...DEFAULT_LIMITS } };
  for (const [field, name] of Object.entries(ENV) as [Exclude<keyof ServiceLimits, 'problem'>, string][])
    limits[field] = positive(env, name, DEFAULT_SERVICE_LIMITS[field]);
  for (const [field, name] of Object.entries(PROBLEM_ENV) as [keyof ProblemLimits, string][])
    limits.problem = { ...limits.problem, [field]: positive(env, name, DEFAULT_LIMITS[field]) };
  return limits;
}
