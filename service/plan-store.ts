import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Plan, PlanChanges, ProblemInput } from '../solver/index.ts';
import { STORE_SCRIPTS } from './store-scripts.ts';

/** Status of a plan version: the solver's result, or the best plan kept when its job was cancelled. */
export type VersionStatus = 'solved' | 'cancelled';

export interface PlanVersion {
  version: number;
  status: VersionStatus;
  jobId: string;
  createdAt: string;
  plan: Plan;
  /** Against the previous version: visits moved to another nurse, retimed, added, dropped. */
  changes?: PlanChanges;
  /** Which of the plan's problems (1: as submitted, then one per re-plan) this version solved. */
  problem: number;
}

export interface PlanRecord {
  id: string;
  tenant: string;
  createdAt: string;
  /** The job solving the latest request for this plan. */
  jobId: string | null;
  versions: number;
}

/** A problem to store: a new plan, a day's problem (a new plan, or the next problem of the day's plan), or a re-plan of a plan. */
export type StageRequest =
  | { mode: 'new'; idempotency?: { key: string; fingerprint: string } }
  | { mode: 'day'; day: string }
  | { mode: 'add'; planId: string };

/**
 * What staging did: 'created' a plan, 'added' a problem to one, found the plan an idempotency key
 * already made ('existing'), found that key used with another body ('conflict'), or found no
 * plan to add to ('missing'). `jobId` is the job that solves the staged problem: it is derived
 * from the plan and the problem number, so adding it twice queues it once.
 */
export interface StageResult {
  status: 'created' | 'added' | 'existing' | 'conflict' | 'missing';
  planId: string;
  jobId: string;
  problem: number;
  /** Names the staged writes until they are committed (the job is queued) or undone. */
  ticket: string;
}

/** Where a running job proves it still holds its lock before it writes (BullMQ's lock key and token). */
export interface JobFence {
  lockKey: string;
  token: string;
}

/** The best solution of a running solve, saved every few seconds so that a worker taking over goes on from it. */
export interface Checkpoint {
  routes: { vehicle: string; visits: string[] }[];
  cost: number;
  /** Milliseconds of search already spent on the job (over every attempt). */
  elapsedMs: number;
}

/** Outcome of writing a job's version: written, already written by an earlier run of the job, or refused (the job lost its lock, or the plan is gone). */
export type VersionWrite =
  | { status: 'written' | 'existing'; version: number }
  | { status: 'lost-lock' }
  | { status: 'no-plan' }
  | { status: 'stale' };

/** A stored problem's text, parsed (null stays null). */
export function parsedProblem(
  found: { text: string; number: number } | null,
): { problem: ProblemInput; number: number } | null {
  return found === null ? null : { problem: JSON.parse(found.text) as ProblemInput, number: found.number };
}

/** The solve job of problem k of a plan (also the BullMQ job id: no ':' and never an integer). */
export const jobIdOf = (planId: string, problem: number) => `${planId}.${problem}`;

/** The stored form of an idempotency key (any characters, fixed length). */
export const idempotencyHash = (key: string) => createHash('sha256').update(key).digest('hex');

/** The plan store's operations, kept in Redis (PlanStore) or, to try the service without Redis, in memory (MemoryPlanStore). */
export interface PlanStoreApi {
  stage(
    tenant: string,
    request: StageRequest,
    problemText: string | Buffer,
    jobKeyPrefix?: string,
  ): Promise<StageResult>;
  commit(ticket: string): Promise<boolean>;
  unstage(ticket: string): Promise<'removed' | 'committed' | 'none'>;
  pendingAge(ticket: string): Promise<number | null>;
  dayPlan(tenant: string, date: string): Promise<string | null>;
  days(tenant: string): Promise<Record<string, string>>;
  setJob(tenant: string, id: string, jobId: string): Promise<void>;
  getRecord(tenant: string, id: string): Promise<PlanRecord | null>;
  /** A tenant's plans, newest first (at most `limit`). */
  listPlans(tenant: string, limit: number): Promise<PlanRecord[]>;
  getProblemText(tenant: string, id: string, k?: number): Promise<{ text: string; number: number } | null>;
  getProblem(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ problem: ProblemInput; number: number } | null>;
  addVersion(
    tenant: string,
    id: string,
    version: Omit<PlanVersion, 'version' | 'createdAt'>,
    fence?: JobFence,
    /** Write only if the plan's latest version is this one (an applied option: 'stale' otherwise). */
    after?: number,
  ): Promise<VersionWrite>;
  versionOfJob(tenant: string, id: string, jobId: string): Promise<number | null>;
  getVersion(tenant: string, id: string, version?: number): Promise<PlanVersion | null>;
  /** A version as stored (JSON text of a PlanVersion), for answering without parsing it. */
  getVersionText(tenant: string, id: string, version?: number): Promise<string | null>;
  saveCheckpoint(
    tenant: string,
    id: string,
    jobId: string,
    checkpoint: Checkpoint,
    fence?: JobFence,
  ): Promise<boolean>;
  getCheckpoint(tenant: string, id: string, jobId: string): Promise<Checkpoint | null>;
}

/**
 * Plans in Redis, by tenant (every key carries it, so no read can cross tenants):
 *   <prefix>:t:<tenant>:plan:<id>              hash: createdAt, jobId, versions, problems (last
 *                                              number given), current (last problem queued)
 *   <prefix>:t:<tenant>:plan:<id>:problem:<k>  problem k (JSON): 1 as submitted, then each re-plan's
 *   <prefix>:t:<tenant>:plan:<id>:v:<n>        version n (JSON), never overwritten
 *   <prefix>:t:<tenant>:plan:<id>:jobs         hash: job id → the version it wrote (one per job)
 *   <prefix>:t:<tenant>:plan:<id>:ckpt:<job>   a running job's checkpoint (1 day)
 *   <prefix>:t:<tenant>:idem:<sha256 of key>   the plan an Idempotency-Key created, and its body's fingerprint (24 h)
 *   <prefix>:t:<tenant>:days                   hash: date → plan
 *   <prefix>:t:<tenant>:plans                  sorted set: plan ids by creation time (ms)
 *   <prefix>:t:<tenant>:plans:indexed          marker: plans stored before the index joined it
 *   <prefix>:pending                           staged writes whose job is not known to be queued yet
 * Every write of a request is one Lua script (atomic); a version is written once per job and only
 * by the run that holds the job's lock. Redis must persist (append-only file) and never evict
 * (`maxmemory-policy noeviction`): it is the system of record (docs/service.md, "Running it for real").
 */
export class PlanStore implements PlanStoreApi {
  private readonly scripts: Redis &
    Record<keyof typeof STORE_SCRIPTS, (...args: (string | number | Buffer)[]) => Promise<unknown>>;

  constructor(
    readonly redis: Redis,
    readonly prefix = 'hhc',
  ) {
    for (const [name, lua] of Object.entries(STORE_SCRIPTS))
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
    this.scripts = redis as PlanStore['scripts'];
  }

  private base(tenant: string): string {
    return `${this.prefix}:t:${tenant}`;
  }

  private key(tenant: string, ...parts: string[]): string {
    return [this.base(tenant), ...parts].join(':');
  }

  private get pendingKey(): string {
    return `${this.prefix}:pending`;
  }

  /**
   * Stores a problem (JSON text, already validated) in one atomic write; see StageResult.
   * `jobKeyPrefix` is the queue's job key prefix (BullMQ's `queue.toKey('')`): the ticket names
   * its job's key, so that whoever settles it checks the right queue.
   */
  async stage(
    tenant: string,
    request: StageRequest,
    problemText: string | Buffer,
    jobKeyPrefix = '',
  ): Promise<StageResult> {
    const idem = request.mode === 'new' ? request.idempotency : undefined;
    const reply = (await this.scripts.hhcStage(
      this.base(tenant),
      this.pendingKey,
      request.mode,
      request.mode === 'add' ? request.planId : randomUUID(),
      problemText,
      new Date().toISOString(),
      idem === undefined ? '' : idempotencyHash(idem.key),
      idem?.fingerprint ?? '',
      request.mode === 'day' ? request.day : '',
      tenant,
      jobKeyPrefix,
    )) as [StageResult['status'], string, string, string, string];
    const [status, planId, jobId, problem, ticket] = reply;
    return { status, planId, jobId, problem: Number(problem), ticket };
  }

  /** The staged problem's job is queued: the problem becomes the plan's current one. False if the ticket was already settled. */
  async commit(ticket: string): Promise<boolean> {
    if (ticket === '') return true;
    return (await this.scripts.hhcCommit(this.pendingKey, ticket, this.prefix)) === 1;
  }

  /**
   * Undoes a staged write whose job could not be queued (the plan it created, the problem it
   * added, its idempotency key and day pointer), unless the job exists after all, in which case
   * it commits. Returns what it did.
   */
  async unstage(ticket: string): Promise<'removed' | 'committed' | 'none'> {
    if (ticket === '') return 'none';
    return (await this.scripts.hhcUnstage(this.pendingKey, ticket, this.prefix)) as
      'removed' | 'committed' | 'none';
  }

  /** How long (ms, by Redis's clock) a staged write has been waiting for its request to queue its job; null once settled. */
  async pendingAge(ticket: string): Promise<number | null> {
    if (ticket === '') return null;
    const [score, [seconds, micros]] = await Promise.all([
      this.redis.zscore(this.pendingKey, ticket),
      this.redis.time(),
    ]);
    return score === null ? null : Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - Number(score);
  }

  /** Staged writes older than `ageMs` by Redis's clock (their request died between the write and the queue). */
  async stalePending(ageMs: number): Promise<string[]> {
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return this.redis.zrangebyscore(this.pendingKey, '-inf', now - ageMs, 'LIMIT', 0, 100);
  }

  /** The plan kept for a day (YYYY-MM-DD) of a tenant, and the days it keeps. */
  async dayPlan(tenant: string, date: string): Promise<string | null> {
    return this.redis.hget(this.key(tenant, 'days'), date);
  }

  async days(tenant: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key(tenant, 'days'));
  }

  async setJob(tenant: string, id: string, jobId: string): Promise<void> {
    await this.scripts.hhcSetJob(this.key(tenant, 'plan', id), jobId);
  }

  async getRecord(tenant: string, id: string): Promise<PlanRecord | null> {
    const h = await this.redis.hgetall(this.key(tenant, 'plan', id));
    if (h.createdAt === undefined) return null;
    return { id, tenant, createdAt: h.createdAt, jobId: h.jobId || null, versions: Number(h.versions) };
  }

  async listPlans(tenant: string, limit: number): Promise<PlanRecord[]> {
    await this.indexEarlierPlans(tenant);
    const ids = await this.redis.zrevrange(`${this.base(tenant)}:plans`, 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.getRecord(tenant, id)));
    return records.filter((r): r is PlanRecord => r !== null);
  }

  /**
   * Plans stored before the index of plans existed (December 2026) join it, once per tenant: their
   * records are found by a SCAN of the tenant's keys and indexed by creation time; a marker says
   * it was done.
   */
  private async indexEarlierPlans(tenant: string): Promise<void> {
    const base = this.base(tenant);
    const marker = `${base}:plans:indexed`;
    if ((await this.redis.exists(marker)) === 1) return;
    const record = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:plan:([^:]+)$`);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${base}:plan:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const id = record.exec(key)?.[1];
        if (id === undefined) continue;
        const createdAt = await this.redis.hget(key, 'createdAt');
        const at = createdAt === null ? NaN : Date.parse(createdAt);
        if (Number.isFinite(at)) await this.redis.zadd(`${base}:plans`, 'NX', at, id);
      }
    } while (cursor !== '0');
    await this.redis.set(marker, '1');
  }

  /** Problem k of a plan as stored JSON text (the current one when none is named), with its number. */
  async getProblemText(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ text: string; number: number } | null> {
    const n = k ?? Number(await this.redis.hget(this.key(tenant, 'plan', id), 'current'));
    if (!Number.isInteger(n) || n < 1) return null;
    const text = await this.redis.get(this.key(tenant, 'plan', id, 'problem', String(n)));
    return text === null ? null : { text, number: n };
  }

  async getProblem(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ problem: ProblemInput; number: number } | null> {
    return parsedProblem(await this.getProblemText(tenant, id, k));
  }

  /**
   * Writes the version a job made, once per job: a second run of the same job (after a worker
   * died, or a lock lost during a Redis outage) gets the first one's number back and writes
   * nothing; with a fence, a run that no longer holds the job's lock writes nothing.
   */
  async addVersion(
    tenant: string,
    id: string,
    version: Omit<PlanVersion, 'version' | 'createdAt'>,
    fence?: JobFence,
    after?: number,
  ): Promise<VersionWrite> {
    const body = JSON.stringify({ createdAt: new Date().toISOString(), ...version });
    const [code, n] = (await this.scripts.hhcAddVersion(
      this.key(tenant, 'plan', id),
      version.jobId,
      fence?.lockKey ?? '',
      fence?.token ?? '',
      version.problem,
      body,
      after === undefined ? '' : String(after),
    )) as [number, number];
    if (code === 1) return { status: 'written', version: n };
    if (code === 0) return { status: 'existing', version: n };
    return { status: code === -1 ? 'lost-lock' : code === -3 ? 'stale' : 'no-plan' };
  }

  /** The version a job already wrote, if any. */
  async versionOfJob(tenant: string, id: string, jobId: string): Promise<number | null> {
    const n = await this.redis.hget(this.key(tenant, 'plan', id, 'jobs'), jobId);
    return n === null ? null : Number(n);
  }

  /** A version of a plan (the latest when none is named), or null. */
  async getVersion(tenant: string, id: string, version?: number): Promise<PlanVersion | null> {
    const text = await this.getVersionText(tenant, id, version);
    return text === null ? null : (JSON.parse(text) as PlanVersion);
  }

  async getVersionText(tenant: string, id: string, version?: number): Promise<string | null> {
    const n = version ?? Number(await this.redis.hget(this.key(tenant, 'plan', id), 'versions'));
    if (!Number.isInteger(n) || n < 1) return null;
    return this.redis.get(this.key(tenant, 'plan', id, 'v', String(n)));
  }

  /** Saves a running job's checkpoint if it still holds its lock; false when it does not. */
  async saveCheckpoint(
    tenant: string,
    id: string,
    jobId: string,
    checkpoint: Checkpoint,
    fence?: JobFence,
  ): Promise<boolean> {
    const done = await this.scripts.hhcCheckpoint(
      this.key(tenant, 'plan', id, 'ckpt', jobId),
      fence?.lockKey ?? '',
      fence?.token ?? '',
      JSON.stringify(checkpoint),
    );
    return done === 1;
  }

  async getCheckpoint(tenant: string, id: string, jobId: string): Promise<Checkpoint | null> {
    const text = await this.redis.get(this.key(tenant, 'plan', id, 'ckpt', jobId));
    return text === null ? null : (JSON.parse(text) as Checkpoint);
  }
}
