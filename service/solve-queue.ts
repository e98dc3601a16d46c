import type { ConnectionOptions, Queue } from 'bullmq';

/** The queue every API process adds to and every worker process takes from. */
export const SOLVE_QUEUE = 'hhc-solve';

/** A job runs at most this many times: failures retry with backoff, and a job survives JOB_ATTEMPTS - 1 worker deaths. */
export const JOB_ATTEMPTS = 5;

/**
 * How long a job's lock lasts unrenewed (WORKER_LOCK_MS, default 10 s) and how often workers look
 * for jobs whose lock expired (half of it): a killed worker's job is taken over within about
 * twice the lock time (docs/service.md, "Faults").
 */
export const DEFAULT_LOCK_MS = 10_000;

export type SolveKind = 'solve' | 'reoptimize' | 'nightly' | 'apply';

export interface SolveJobData {
  tenant: string;
  planId: string;
  kind: SolveKind;
  /** Seconds of search (default 10). */
  timeLimit: number;
  seed: number;
  /** The problem number this job solves (absent: the plan's current problem). */
  problem?: number;
  /** Nightly runs: the scan that queued it. */
  scan?: string;
  /**
   * The stored problem is what validation returned (the API's problem checker, a nightly
   * re-plan): the worker solves it without validating it again (solveValidated). Absent: the
   * worker validates it (problems stored before, a nightly re-solve of a plan's current problem).
   */
  validated?: true;
  /**
   * An applied recommendation ('apply'): no search; the stored problem pins the visits, and the
   * version is the plan of `baseVersion` with each put after its `after` in its nurse-day.
   */
  apply?: {
    baseVersion: number;
    places: { visit: string; nurse: string; shift?: number; after: string | null }[];
  };
}

/** Seconds of search when a request names none: a solve asked through the API, and each day of a nightly run. */
export const DEFAULT_TIME_LIMIT = 10;
export const NIGHTLY_TIME_LIMIT = 30;
/** The most seconds of search any request may ask for. */
export const MAX_TIME_LIMIT = 3600;

/** What a request may say of its solve (the query of POST /v1/plans and the others). */
export interface SolveRequest {
  timeLimit?: number;
  seed?: number;
}

/** A solve asked for through the API: the request's time limit (default 10 s) and seed (default 1). */
export function requestedSolve(
  tenant: string,
  planId: string,
  kind: SolveKind,
  request: SolveRequest,
  problem?: number,
): SolveJobData {
  return {
    tenant,
    planId,
    kind,
    timeLimit: request.timeLimit ?? DEFAULT_TIME_LIMIT,
    seed: request.seed ?? 1,
    ...(problem !== undefined && { problem }),
  };
}

/** The nightly scan of a tenant: queues a 'nightly' solve for each stored day from today on. */
export interface ScanJobData {
  kind: 'nightly-scan';
  tenant: string;
  /** Seconds of search for each day (default NIGHTLY_TIME_LIMIT). */
  timeLimit?: number;
}

export const NIGHTLY_DEFAULT = { pattern: '0 2 * * *', tz: 'Europe/Paris' };

export interface SolveJobResult {
  /** A nightly scan: how many days it queued. */
  scheduled?: number;
  planId: string;
  version: number;
  cancelled: boolean;
  cost: number;
  iterations: number;
}

/** Progress reported through job.updateProgress while the solver runs. */
export interface SolveProgress {
  iteration: number;
  bestCost: number;
  /** Set when this run went on from a checkpoint of an earlier run of the job. */
  resumedFrom?: number;
}

/** Whether a job's progress (BullMQ keeps any JSON) is what the solve processor reports. */
export function isSolveProgress(progress: unknown): progress is SolveProgress {
  return (
    typeof progress === 'object' &&
    progress !== null &&
    'iteration' in progress &&
    typeof progress.iteration === 'number' &&
    'bestCost' in progress &&
    typeof progress.bestCost === 'number'
  );
}

/** BullMQ priorities: lower runs first. Re-planning during the day (an applied recommendation too) before fresh plans before nightly work. */
export const PRIORITY: Record<SolveKind, number> = { apply: 1, reoptimize: 1, solve: 5, nightly: 10 };

export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(u.pathname.length > 1 && { db: Number(u.pathname.slice(1)) }),
    maxRetriesPerRequest: null,
  };
}

/**
 * The API's connections fail fast: with Redis down or frozen, a command fails at once (no
 * offline queue) or after `commandTimeout`, so a request answers 503 within a second and is
 * never carried out later behind the client's back.
 */
export function failFastConnection(url: string, commandTimeout = 800): ConnectionOptions {
  return {
    ...(redisConnection(url) as object),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout,
    connectTimeout: 2000,
    // Back within a second of Redis returning (ioredis would wait up to 5 s between attempts).
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
  } as ConnectionOptions;
}

/** The shared queue: solves (fresh, re-plan, nightly) and nightly scans. */
export type QueueJobData = SolveJobData | ScanJobData;
export type SolveQueue = Queue<QueueJobData, SolveJobResult>;

/** Job states of a job that has not written its version yet. */
export const IN_FLIGHT: ReadonlySet<string> = new Set([
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
]);

/** A job users may see: a solve of a plan (nightly scans are internal). */
export function asSolveJob(job: JobLike | undefined): JobLike<SolveJobData> | null {
  return job !== undefined && job.data.kind !== 'nightly-scan' ? (job as JobLike<SolveJobData>) : null;
}

/** What the API needs of a job, from BullMQ or from the in-memory queue. */
export interface JobLike<D = QueueJobData> {
  id?: string;
  attemptsStarted?: number;
  data: D;
  progress: unknown;
  returnvalue: SolveJobResult | null;
  failedReason?: string;
  getState(): Promise<string>;
  remove(): Promise<void>;
}

/** What the API needs of the queue: BullMQ's Queue, or the in-memory queue without Redis. */
export interface JobQueue {
  /** The Redis key of a job's hash, by id ('' in memory). */
  toKey(type: string): string;
  add(name: string, data: QueueJobData, opts?: object): Promise<{ id?: string }>;
  getJob(id: string): Promise<JobLike | undefined>;
  getJobScheduler(
    id: string,
  ): Promise<
    { pattern?: string | null; tz?: string | null; every?: number | null; next?: number | null } | undefined
  >;
  upsertJobScheduler(id: string, repeat: object, template?: object): Promise<unknown>;
  removeJobScheduler(id: string): Promise<unknown>;
}
