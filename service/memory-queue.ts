import type { Job } from 'bullmq';
import { JobListeners, type JobEvents } from './job-events.ts';
import type { JobLike, JobQueue, QueueJobData, SolveJobData, SolveJobResult } from './solve-queue.ts';

/** What runs a job: the workers' solve processor (workers/solve-processor.ts). */
export type Processor = (
  job: Job<SolveJobData>,
  token?: string,
  signal?: AbortSignal,
) => Promise<SolveJobResult>;

let jobSeq = 0;

class MemoryJob implements JobLike {
  progress: unknown = 0;
  returnvalue: SolveJobResult | null = null;
  failedReason?: string;
  state: 'prioritized' | 'active' | 'completed' | 'failed' = 'prioritized';
  readonly controller = new AbortController();
  readonly seq = ++jobSeq;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly data: QueueJobData,
    readonly priority: number,
    private readonly queue: MemoryQueue,
  ) {}
  setState(state: MemoryJob['state']): void {
    this.state = state;
    this.queue.listeners.emit(
      this.id,
      state === 'completed' || state === 'failed' ? { kind: 'ended' } : { kind: 'state', state },
    );
  }
  async getState(): Promise<string> {
    return this.state;
  }
  async remove(): Promise<void> {
    this.queue.forget(this);
    this.queue.listeners.emit(this.id, { kind: 'removed' });
  }
  async updateProgress(p: unknown): Promise<void> {
    this.progress = p;
    this.queue.listeners.emit(this.id, { kind: 'progress', progress: p });
  }
}

/**
 * An in-process queue for trying the service without Redis: jobs run one at a time, lowest
 * priority number first, through the same processor as the BullMQ worker (the solver still runs
 * in a worker thread). Nothing survives the process; there is no nightly scheduler.
 */
export class MemoryQueue implements JobQueue {
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly waiting: MemoryJob[] = [];
  private next = 1;
  private running = false;
  private processor: Processor | null = null;
  readonly listeners = new JobListeners();
  /** The jobs' events, as BullMQ's QueueEvents gives them in Redis mode. */
  readonly events: JobEvents = {
    subscribe: (jobId, listener) => this.listeners.subscribe(jobId, listener),
    close: async () => undefined,
  };

  toKey(): string {
    return '';
  }

  /** The processor is given after the queue exists (it needs the store the API shares). */
  process(processor: Processor): void {
    this.processor = processor;
    void this.pump();
  }

  /** Adds a job; one with the id of an existing job is that job (as in BullMQ). */
  async add(
    name: string,
    data: QueueJobData,
    opts?: { priority?: number; jobId?: string },
  ): Promise<MemoryJob> {
    const existing = opts?.jobId === undefined ? undefined : this.jobs.get(opts.jobId);
    if (existing !== undefined) return existing;
    const job = new MemoryJob(opts?.jobId ?? String(this.next++), name, data, opts?.priority ?? 5, this);
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    void this.pump();
    return job;
  }

  async getJob(id: string): Promise<MemoryJob | undefined> {
    return this.jobs.get(id);
  }

  async getJobScheduler(): Promise<undefined> {
    return undefined;
  }

  /** Nightly runs need Redis: in memory there is none (the README says so). */
  async upsertJobScheduler(): Promise<null> {
    return null;
  }

  async removeJobScheduler(): Promise<boolean> {
    return false;
  }

  /** Stops a running job (its best plan so far is kept, marked cancelled). */
  cancel(id: string): void {
    this.jobs.get(id)?.controller.abort('cancelled by a coordinator');
  }

  forget(job: MemoryJob): void {
    const k = this.waiting.indexOf(job);
    if (k >= 0) this.waiting.splice(k, 1);
    this.jobs.delete(job.id);
  }

  private async pump(): Promise<void> {
    if (this.running || this.processor === null) return;
    this.running = true;
    try {
      for (let job = this.waiting.shift(); job !== undefined; job = this.waiting.shift()) {
        if (job.data.kind === 'nightly-scan') continue;
        job.setState('active');
        try {
          job.returnvalue = await this.processor(
            job as unknown as Job<SolveJobData>,
            undefined,
            job.controller.signal,
          );
          job.setState('completed');
        } catch (e) {
          job.failedReason = (e as Error).message;
          job.setState('failed');
        }
      }
    } finally {
      this.running = false;
    }
  }
}
