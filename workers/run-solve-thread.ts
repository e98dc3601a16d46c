import { Worker } from 'node:worker_threads';
import { InputError, type Plan, type ProblemInput, type WarmStart } from '../solver/index.ts';
import type { SolveThreadData, SolveThreadMessage } from './solve-thread.ts';

export interface ThreadOutcome {
  plan: Plan;
  iterations: number;
  cancelled: boolean;
}

export interface ThreadOptions {
  seed: number;
  timeLimitMs: number;
  signal?: AbortSignal;
  /** Start from this solution (a checkpoint of an earlier run). */
  initial?: WarmStart;
  /** Least time between two checkpoints (default 3 s). */
  checkpointMs?: number;
  /** The problem is what validation returned (SolveJobData.validated): solved without validating it again. */
  validated?: boolean;
  /** An applied recommendation: no search, the plan with the pinned visit put in place (placeChosen). */
  apply?: SolveThreadData['apply'];
  /** Road matrices for the problem's places (over shared memory: not copied into the thread). */
  road?: SolveThreadData['road'];
}

/**
 * Runs the solver in a worker thread, so the calling event loop stays free (BullMQ renews its
 * job locks there). The signal stops the search through a shared flag the solver reads at every
 * iteration; the best plan found so far still comes back, marked cancelled.
 */
export function runSolveThread(
  problem: ProblemInput,
  options: ThreadOptions,
  onProgress: (p: { iteration: number; bestCost: number }) => void,
  onCheckpoint: (c: { solution: WarmStart; cost: number; elapsedMs: number }) => void = () => undefined,
): Promise<ThreadOutcome> {
  const abort = new Int32Array(new SharedArrayBuffer(4));
  const workerData: SolveThreadData = {
    problem,
    seed: options.seed,
    timeLimitMs: options.timeLimitMs,
    ...(options.initial !== undefined && { initial: options.initial }),
    checkpointMs: options.checkpointMs ?? 3000,
    ...(options.apply !== undefined && { apply: options.apply }),
    ...(options.road !== undefined && { road: options.road }),
    validated: options.validated === true,
    abort,
  };
  const thread = new Worker(new URL('./solve-thread.mjs', import.meta.url), { workerData });
  const stop = () => Atomics.store(abort, 0, 1);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  return new Promise<ThreadOutcome>((resolve, reject) => {
    let settled = false;
    thread.on('message', (m: SolveThreadMessage) => {
      if (m.type === 'progress') onProgress(m);
      else if (m.type === 'checkpoint') onCheckpoint(m);
      else if (m.type === 'input-error') {
        settled = true;
        reject(new InputError(m.issues));
      } else {
        settled = true;
        resolve({ plan: m.plan as Plan, iterations: m.iterations, cancelled: m.cancelled });
      }
    });
    thread.on('error', (e) => {
      settled = true;
      reject(e);
    });
    thread.on('exit', (code) => {
      options.signal?.removeEventListener('abort', stop);
      if (!settled) reject(new Error(`solver thread exited with code ${code} before answering`));
    });
  });
}
