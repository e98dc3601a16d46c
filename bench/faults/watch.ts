/**
 * What a fault-injection run sees of the queue, from Redis itself (not through the API):
 * - which worker process holds which active job: a job's lock holds its worker's token
 *   (`<worker uuid>:<n>`); Redis MONITOR shows which connection sent that token (when the worker
 *   took the job, and at each lock renewal), and /proc which process owns that connection;
 * - the active jobs, polled every 100 ms (lock token, attempts started, stalls);
 * - takeovers: after a worker is killed, when its job is active again under another worker's token;
 * - each job's timeline from the queue's events (active, stalled, waiting, completed, failed).
 */
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { redisConnection } from '../../service/solve-queue.ts';
import { pidOfLocalPort } from './cluster.ts';

const TOKEN = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):\d+/g;
const uuidOf = (token: string) => token.split(':')[0];

export interface ActiveJob {
  jobId: string;
  token: string;
  uuid: string;
  /** When this run saw the job active under this token first. */
  since: number;
  attemptsStarted: number;
  stalled: number;
}

export interface Takeover {
  /** 'taken-over': active again under another worker; 'finished': ended without being seen active again; 'none': neither within the timeout. */
  outcome: 'taken-over' | 'finished' | 'none';
  at: number;
  uuid?: string;
}

interface Watch {
  jobId: string;
  fromUuid: string;
  killedAt: number;
  timeoutMs: number;
  resolve: (t: Takeover) => void;
}

export interface TimelineEvent {
  /** Milliseconds since the run started. */
  t: number;
  event: string;
  detail?: string;
}

export class Watcher {
  readonly fast: Redis;
  private monitor: Redis | null = null;
  private readonly events: QueueEvents;
  /** Worker token uuid → process id. */
  readonly uuidPid = new Map<string, number>();
  readonly active = new Map<string, ActiveJob>();
  readonly timeline = new Map<string, TimelineEvent[]>();
  /** Jobs of this run (accepted submissions) and when they ended, as far as seen. */
  private readonly tracked = new Set<string>();
  readonly finished = new Map<string, number>();
  private watches: Watch[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private busy = false;
  pollErrors = 0;
  monitorLines = 0;

  constructor(
    private readonly url: string,
    queueName: string,
    private readonly jobKey: (id: string) => string,
    private readonly activeKey: string,
    private readonly workerPids: () => number[],
    private readonly t0: number,
  ) {
    // Fails fast: during a Redis outage a poll fails at once and is skipped.
    this.fast = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
    this.fast.on('error', () => undefined);
    this.events = new QueueEvents(queueName, { connection: redisConnection(url) });
    this.events.on('error', () => undefined);
  }

  note(jobId: string, event: string, detail?: string): void {
    const list = this.timeline.get(jobId) ?? [];
    list.push({ t: Date.now() - this.t0, event, ...(detail !== undefined && { detail }) });
    this.timeline.set(jobId, list);
  }

  async start(): Promise<void> {
    await this.events.waitUntilReady();
    this.events.on('active', ({ jobId }) => this.note(jobId, 'active'));
    this.events.on('stalled', ({ jobId }) => this.note(jobId, 'stalled'));
    this.events.on('waiting', ({ jobId, prev }) => this.note(jobId, 'waiting', prev));
    this.events.on('delayed', ({ jobId }) => this.note(jobId, 'delayed'));
    this.events.on('completed', ({ jobId }) => {
      this.note(jobId, 'completed');
      this.finished.set(jobId, Date.now());
    });
    this.events.on('failed', ({ jobId, failedReason }) => {
      this.note(jobId, 'failed', failedReason);
    });
    this.events.on('retries-exhausted', ({ jobId, attemptsMade }) =>
      this.note(jobId, 'retries-exhausted', String(attemptsMade)),
    );
    const base = new Redis(this.url, { lazyConnect: true });
    base.on('error', () => undefined);
    this.monitor = await base.monitor();
    base.disconnect();
    this.monitor.on('error', () => undefined);
    this.monitor.on('monitor', (_time: string, args: string[], source: string) => {
      this.monitorLines++;
      const port = /:(\d+)$/.exec(source)?.[1];
      if (port === undefined) return; // a command run by a script
      for (const arg of args) {
        if (arg.length < 38) continue;
        for (const m of arg.matchAll(TOKEN)) {
          const uuid = m[1];
          if (this.uuidPid.has(uuid)) continue;
          const pid = pidOfLocalPort(Number(port), this.workerPids());
          if (pid !== null) this.uuidPid.set(uuid, pid);
        }
      }
    });
    this.timer = setInterval(() => void this.tick(), 100);
  }

  /** A job of this run: the submitter counts it open until it ends. */
  track(jobId: string): void {
    this.tracked.add(jobId);
  }

  openJobs(): number {
    let n = 0;
    for (const id of this.tracked) if (!this.finished.has(id)) n++;
    return n;
  }

  pidOf(job: ActiveJob): number | undefined {
    return this.uuidPid.get(job.uuid);
  }

  /** Resolves when the job is active under another worker than `fromUuid`, ends, or `timeoutMs` passes. */
  watchTakeover(jobId: string, fromUuid: string, killedAt: number, timeoutMs: number): Promise<Takeover> {
    return new Promise((resolve) => this.watches.push({ jobId, fromUuid, killedAt, timeoutMs, resolve }));
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const ids = await this.fast.lrange(this.activeKey, 0, -1);
      const all = [...new Set([...ids, ...this.watches.map((w) => w.jobId)])];
      const pipe = this.fast.pipeline();
      for (const id of all) {
        pipe.get(`${this.jobKey(id)}:lock`);
        pipe.hmget(this.jobKey(id), 'ats', 'stc', 'finishedOn');
      }
      const replies = (await pipe.exec()) ?? [];
      const seen = new Set<string>();
      all.forEach((id, k) => {
        const lock = replies[2 * k]?.[1] as string | null;
        const [ats, stc, finishedOn] = (replies[2 * k + 1]?.[1] as (string | null)[] | undefined) ?? [];
        if (finishedOn) this.finished.set(id, this.finished.get(id) ?? now);
        if (lock && ids.includes(id) && !finishedOn) {
          seen.add(id);
          const before = this.active.get(id);
          this.active.set(id, {
            jobId: id,
            token: lock,
            uuid: uuidOf(lock),
            since: before?.token === lock ? before.since : now,
            attemptsStarted: Number(ats ?? 0),
            stalled: Number(stc ?? 0),
          });
        }
        for (const w of this.watches.filter((x) => x.jobId === id)) {
          if (lock && uuidOf(lock) !== w.fromUuid && !finishedOn)
            this.settle(w, { outcome: 'taken-over', at: now, uuid: uuidOf(lock) });
          else if (finishedOn) this.settle(w, { outcome: 'finished', at: now });
        }
      });
      for (const id of [...this.active.keys()]) if (!seen.has(id)) this.active.delete(id);
      if (++this.ticks % 10 === 0) {
        const open = [...this.tracked].filter((id) => !this.finished.has(id));
        if (open.length > 0) {
          const done = await this.fast
            .pipeline(open.map((id) => ['hget', this.jobKey(id), 'finishedOn']))
            .exec();
          open.forEach((id, k) => {
            if (done?.[k]?.[1]) this.finished.set(id, this.finished.get(id) ?? now);
          });
        }
      }
    } catch {
      this.pollErrors++; // Redis down: the next tick tries again
    } finally {
      const now = Date.now();
      for (const w of this.watches)
        if (now - w.killedAt > w.timeoutMs) this.settle(w, { outcome: 'none', at: now });
      this.busy = false;
    }
  }

  private settle(w: Watch, t: Takeover): void {
    if (!this.watches.includes(w)) return;
    this.watches = this.watches.filter((x) => x !== w);
    w.resolve(t);
  }

  pendingTakeovers(): number {
    return this.watches.length;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    for (const w of this.watches) w.resolve({ outcome: 'none', at: Date.now() });
    this.watches = [];
    this.monitor?.disconnect();
    await this.events.close().catch(() => undefined);
    this.fast.disconnect();
  }
}
