import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Plan, PlanChanges, ProblemInput } from '../solver/index.ts';

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

/**
 * Plans in Redis, by tenant (every key carries it, so no read can cross tenants):
 *   <prefix>:t:<tenant>:plan:<id>           hash: createdAt, jobId, versions, problems (count)
 *   <prefix>:t:<tenant>:plan:<id>:problem:<k>  problem k (JSON): 1 as submitted, then each re-plan's
 *   <prefix>:t:<tenant>:plan:<id>:v:<n>     version n (JSON), never overwritten
 *   <prefix>:t:<tenant>:idem:<key>          the plan an Idempotency-Key created (24 h)
 * Redis must run with `maxmemory-policy noeviction`: nothing here may be evicted.
 */
export class PlanStore {
  constructor(
    readonly redis: Redis,
    readonly prefix = 'hhc',
  ) {}

  private key(tenant: string, ...parts: string[]): string {
    return [this.prefix, 't', tenant, ...parts].join(':');
  }

  /** Stores a new plan's problem; with an idempotency key already used, returns that plan instead. */
  async createPlan(
    tenant: string,
    problem: ProblemInput,
    idempotencyKey?: string,
  ): Promise<{ id: string; created: boolean }> {
    const id = randomUUID();
    if (idempotencyKey !== undefined) {
      const idem = this.key(tenant, 'idem', idempotencyKey);
      const won = await this.redis.set(idem, id, 'EX', 86_400, 'NX');
      if (won === null) {
        const existing = await this.redis.get(idem);
        if (existing !== null) return { id: existing, created: false };
      }
    }
    await this.redis
      .multi()
      .set(this.key(tenant, 'plan', id, 'problem', '1'), JSON.stringify(problem))
      .hset(this.key(tenant, 'plan', id), {
        createdAt: new Date().toISOString(),
        versions: 0,
        problems: 1,
        jobId: '',
      })
      .exec();
    return { id, created: true };
  }

  /** The plan kept for a day (YYYY-MM-DD) of a tenant, and the days it keeps. */
  async dayPlan(tenant: string, date: string): Promise<string | null> {
    return this.redis.hget(this.key(tenant, 'days'), date);
  }

  async setDayPlan(tenant: string, date: string, id: string): Promise<void> {
    await this.redis.hset(this.key(tenant, 'days'), date, id);
  }

  async days(tenant: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key(tenant, 'days'));
  }

  /** Adds a re-plan's problem as the plan's current one; earlier problems and versions stay. Returns its number. */
  async setProblem(tenant: string, id: string, problem: ProblemInput): Promise<number> {
    const k = await this.redis.hincrby(this.key(tenant, 'plan', id), 'problems', 1);
    await this.redis.set(this.key(tenant, 'plan', id, 'problem', String(k)), JSON.stringify(problem));
    return k;
  }

  async setJob(tenant: string, id: string, jobId: string): Promise<void> {
    await this.redis.hset(this.key(tenant, 'plan', id), 'jobId', jobId);
  }

  async getRecord(tenant: string, id: string): Promise<PlanRecord | null> {
    const h = await this.redis.hgetall(this.key(tenant, 'plan', id));
    if (h.createdAt === undefined) return null;
    return { id, tenant, createdAt: h.createdAt, jobId: h.jobId || null, versions: Number(h.versions) };
  }

  /** Problem k of a plan (the current one when none is named), with its number. */
  async getProblem(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ problem: ProblemInput; number: number } | null> {
    const n = k ?? Number(await this.redis.hget(this.key(tenant, 'plan', id), 'problems'));
    if (!Number.isInteger(n) || n < 1) return null;
    const text = await this.redis.get(this.key(tenant, 'plan', id, 'problem', String(n)));
    return text === null ? null : { problem: JSON.parse(text) as ProblemInput, number: n };
  }

  /** Adds a version; returns its number (1, 2, …). */
  async addVersion(
    tenant: string,
    id: string,
    version: Omit<PlanVersion, 'version' | 'createdAt'>,
  ): Promise<number> {
    const n = await this.redis.hincrby(this.key(tenant, 'plan', id), 'versions', 1);
    const stored: PlanVersion = { ...version, version: n, createdAt: new Date().toISOString() };
    await this.redis.set(this.key(tenant, 'plan', id, 'v', String(n)), JSON.stringify(stored));
    return n;
  }

  /** A version of a plan (the latest when none is named), or null. */
  async getVersion(tenant: string, id: string, version?: number): Promise<PlanVersion | null> {
    const record = await this.getRecord(tenant, id);
    if (record === null || record.versions === 0) return null;
    const n = version ?? record.versions;
    const text = await this.redis.get(this.key(tenant, 'plan', id, 'v', String(n)));
    return text === null ? null : (JSON.parse(text) as PlanVersion);
  }
}
