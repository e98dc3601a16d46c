import { randomUUID } from 'node:crypto';
import type { ProblemInput } from '../solver/index.ts';
import {
  type Checkpoint,
  idempotencyHash,
  jobIdOf,
  parsedProblem,
  type PlanRecord,
  type PlanStoreApi,
  type PlanVersion,
  type StageRequest,
  type StageResult,
  type VersionWrite,
} from './plan-store.ts';

export type { PlanStoreApi } from './plan-store.ts';

interface Entry {
  record: PlanRecord & { problems: number; current: number };
  problems: Map<number, string>;
  versions: string[];
  jobs: Map<string, number>;
  checkpoints: Map<string, string>;
}

/**
 * Plans in this process's memory: lost when it stops (the README says so). Same behaviour as
 * PlanStore; every method runs to its end without yielding, so each write is atomic here too.
 */
export class MemoryPlanStore implements PlanStoreApi {
  private readonly plans = new Map<string, Entry>();
  private readonly idem = new Map<string, { planId: string; jobId: string; fp: string; k: number }>();
  private readonly dayPlans = new Map<string, Map<string, string>>();

  private entry(tenant: string, id: string): Entry | undefined {
    const e = this.plans.get(id);
    return e?.record.tenant === tenant ? e : undefined;
  }

  async stage(tenant: string, request: StageRequest, problemText: string | Buffer): Promise<StageResult> {
    const text = typeof problemText === 'string' ? problemText : problemText.toString('utf8');
    const idemKey =
      request.mode === 'new' && request.idempotency !== undefined
        ? `${tenant}\u0000${idempotencyHash(request.idempotency.key)}`
        : undefined;
    const seen = idemKey === undefined ? undefined : this.idem.get(idemKey);
    if (seen !== undefined)
      return {
        status:
          request.mode === 'new' && seen.fp === request.idempotency?.fingerprint ? 'existing' : 'conflict',
        planId: seen.planId,
        jobId: seen.jobId,
        problem: seen.k,
        ticket: '',
      };
    let planId = request.mode === 'add' ? request.planId : randomUUID();
    let created = request.mode !== 'add';
    if (request.mode === 'day') {
      const existing = this.dayPlans.get(tenant)?.get(request.day);
      if (existing !== undefined) [planId, created] = [existing, false];
    }
    let e = this.entry(tenant, planId);
    if (created) {
      e = {
        record: {
          id: planId,
          tenant,
          createdAt: new Date().toISOString(),
          jobId: null,
          versions: 0,
          problems: 0,
          current: 0,
        },
        problems: new Map(),
        versions: [],
        jobs: new Map(),
        checkpoints: new Map(),
      };
      this.plans.set(planId, e);
    }
    if (e === undefined) return { status: 'missing', planId, jobId: '', problem: 0, ticket: '' };
    const k = ++e.record.problems;
    const jobId = jobIdOf(planId, k);
    e.problems.set(k, text);
    e.record.jobId = jobId;
    // Queued in the same turn (nothing can fail in between in memory): current at once.
    e.record.current = k;
    if (request.mode === 'day' && created) {
      if (!this.dayPlans.has(tenant)) this.dayPlans.set(tenant, new Map());
      this.dayPlans.get(tenant)!.set(request.day, planId);
    }
    if (idemKey !== undefined && request.mode === 'new')
      this.idem.set(idemKey, { planId, jobId, fp: request.idempotency!.fingerprint, k });
    return { status: created ? 'created' : 'added', planId, jobId, problem: k, ticket: '' };
  }

  async commit(): Promise<boolean> {
    return true;
  }

  async unstage(): Promise<'none'> {
    return 'none';
  }

  async pendingAge(): Promise<null> {
    return null;
  }

  async dayPlan(tenant: string, date: string): Promise<string | null> {
    return this.dayPlans.get(tenant)?.get(date) ?? null;
  }

  async days(tenant: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.dayPlans.get(tenant) ?? []);
  }

  async setJob(tenant: string, id: string, jobId: string): Promise<void> {
    const e = this.entry(tenant, id);
    if (e !== undefined) e.record.jobId = jobId;
  }

  async listPlans(tenant: string, limit: number): Promise<PlanRecord[]> {
    const mine = [...this.plans.values()].filter((e) => e.record.tenant === tenant).reverse();
    return Promise.all(mine.slice(0, limit).map((e) => this.getRecord(tenant, e.record.id))) as Promise<
      PlanRecord[]
    >;
  }

  async getRecord(tenant: string, id: string): Promise<PlanRecord | null> {
    const e = this.entry(tenant, id);
    if (e === undefined) return null;
    const { id: planId, createdAt, jobId } = e.record;
    return { id: planId, tenant, createdAt, jobId, versions: e.versions.length };
  }

  async getProblemText(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ text: string; number: number } | null> {
    const e = this.entry(tenant, id);
    if (e === undefined) return null;
    const n = k ?? e.record.current;
    const text = e.problems.get(n);
    return text === undefined ? null : { text, number: n };
  }

  async getProblem(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ problem: ProblemInput; number: number } | null> {
    return parsedProblem(await this.getProblemText(tenant, id, k));
  }

  async addVersion(
    tenant: string,
    id: string,
    version: Omit<PlanVersion, 'version' | 'createdAt'>,
    _fence?: unknown,
    after?: number,
  ): Promise<VersionWrite> {
    const e = this.entry(tenant, id);
    if (e === undefined) return { status: 'no-plan' };
    const had = e.jobs.get(version.jobId);
    if (had !== undefined) return { status: 'existing', version: had };
    if (after !== undefined && e.versions.length !== after) return { status: 'stale' };
    const n = e.versions.length + 1;
    e.versions.push(JSON.stringify({ version: n, createdAt: new Date().toISOString(), ...version }));
    e.jobs.set(version.jobId, n);
    e.checkpoints.delete(version.jobId);
    return { status: 'written', version: n };
  }

  async versionOfJob(tenant: string, id: string, jobId: string): Promise<number | null> {
    return this.entry(tenant, id)?.jobs.get(jobId) ?? null;
  }

  async getVersion(tenant: string, id: string, version?: number): Promise<PlanVersion | null> {
    const text = await this.getVersionText(tenant, id, version);
    return text === null ? null : (JSON.parse(text) as PlanVersion);
  }

  async getVersionText(tenant: string, id: string, version?: number): Promise<string | null> {
    const e = this.entry(tenant, id);
    if (e === undefined || e.versions.length === 0) return null;
    return e.versions[(version ?? e.versions.length) - 1] ?? null;
  }

  async saveCheckpoint(tenant: string, id: string, jobId: string, checkpoint: Checkpoint): Promise<boolean> {
    this.entry(tenant, id)?.checkpoints.set(jobId, JSON.stringify(checkpoint));
    return true;
  }

  async getCheckpoint(tenant: string, id: string, jobId: string): Promise<Checkpoint | null> {
    const text = this.entry(tenant, id)?.checkpoints.get(jobId);
    return text === undefined ? null : (JSON.parse(text) as Checkpoint);
  }
}
