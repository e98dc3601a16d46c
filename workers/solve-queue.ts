import type { ConnectionOptions } from 'bullmq';

/** The queue every API process adds to and every worker process takes from. */
export const SOLVE_QUEUE = 'hhc-solve';
/** Redis channel on which the API asks the worker running a job to cancel it. */
export const CANCEL_CHANNEL = 'hhc:cancel';

export type SolveKind = 'solve' | 'reoptimize' | 'nightly';

export interface SolveJobData {
  tenant: string;
  planId: string;
  kind: SolveKind;
  /** Seconds of search (default 10). */
  timeLimit: number;
  seed: number;
}

export interface SolveJobResult {
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
}

/** BullMQ priorities: lower runs first. Re-planning during the day before fresh plans before nightly work. */
export const PRIORITY: Record<SolveKind, number> = { reoptimize: 1, solve: 5, nightly: 10 };

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
