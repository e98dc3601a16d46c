import {
  isSolveProgress,
  type JobLike,
  type SolveJobData,
  type SolveProgress,
} from '../../service/solve-queue.ts';

/** What the API says of a job: its state ('cancelled' when it stopped on request), progress, result or error. */
export interface JobView {
  id: string;
  planId: string;
  kind: SolveJobData['kind'];
  state: string;
  progress: SolveProgress | null;
  bestCost: number | null;
  version: number | null;
  error: string | null;
}

export async function jobView(job: JobLike<SolveJobData>): Promise<JobView> {
  const state = await job.getState();
  const result = job.returnvalue ?? null;
  const progress = isSolveProgress(job.progress) ? job.progress : null;
  return {
    id: String(job.id),
    planId: job.data.planId,
    kind: job.data.kind,
    state: result?.cancelled ? 'cancelled' : state,
    progress,
    bestCost: result?.cost ?? progress?.bestCost ?? null,
    version: result?.version ?? null,
    error: state === 'failed' ? (job.failedReason ?? 'failed') : null,
  };
}
