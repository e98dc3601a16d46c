import { type ConnectionOptions, QueueEvents } from 'bullmq';

/** What happened to a job: new progress, a new state, the end (completed or failed for good), or its removal. */
export type JobEvent =
  | { kind: 'progress'; progress: unknown }
  | { kind: 'state'; state: string }
  | { kind: 'ended' }
  | { kind: 'removed' };

/** Job events pushed to whoever listens, by job id (the API's event streams). */
export interface JobEvents {
  subscribe(jobId: string, listener: (e: JobEvent) => void): () => void;
  close(): Promise<void>;
}

/** Listeners by job id, and dispatch to them. */
export class JobListeners {
  private readonly byJob = new Map<string, Set<(e: JobEvent) => void>>();

  subscribe(jobId: string, listener: (e: JobEvent) => void): () => void {
    let set = this.byJob.get(jobId);
    if (set === undefined) this.byJob.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byJob.delete(jobId);
    };
  }

  emit(jobId: string, e: JobEvent): void {
    for (const listener of this.byJob.get(jobId) ?? []) listener(e);
  }
}

/**
 * One BullMQ QueueEvents reader per API process (one blocking read of the queue's event stream)
 * fans events out to every stream listening: the cost in Redis does not grow with the number of
 * open streams.
 */
export async function queueJobEvents(queueName: string, connection: ConnectionOptions): Promise<JobEvents> {
  const listeners = new JobListeners();
  const events = new QueueEvents(queueName, { connection });
  events.on('error', () => undefined); // reconnects by itself
  events.on('progress', ({ jobId, data }) => listeners.emit(jobId, { kind: 'progress', progress: data }));
  for (const state of ['active', 'waiting', 'delayed'] as const)
    events.on(state, ({ jobId }: { jobId: string }) => listeners.emit(jobId, { kind: 'state', state }));
  events.on('completed', ({ jobId }) => listeners.emit(jobId, { kind: 'ended' }));
  events.on('failed', ({ jobId }) => listeners.emit(jobId, { kind: 'ended' }));
  events.on('removed', ({ jobId }) => listeners.emit(jobId, { kind: 'removed' }));
  await events.waitUntilReady();
  return {
    subscribe: (jobId, listener) => listeners.subscribe(jobId, listener),
    close: () => events.close(),
  };
}
