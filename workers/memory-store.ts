import { randomUUID } from 'node:crypto';
import type { ProblemInput } from '../solver/index.ts';
import type { PlanRecord, PlanVersion } from './plan-store.ts';

/** The plan store's operations, kept in Redis (PlanStore) or, to try the service without Redis, in memory. */
export type PlanStoreApi = Pick<
  MemoryPlanStore,
  | 'createPlan'
  | 'dayPlan'
  | 'setDayPlan'
  | 'days'
  | 'setProblem'
  | 'setJob'
  | 'getRecord'
  | 'getProblem'
  | 'addVersion'
  | 'getVersion'
>;

interface Entry {
  record: PlanRecord;
  problems: ProblemInput[];
  versions: PlanVersion[];
}

/** Plans in this process's memory: lost when it stops (the README says so). Same behaviour as PlanStore. */
export class MemoryPlanStore {
  private readonly plans = new Map<string, Entry>();
  private readonly idem = new Map<string, string>();
  private readonly dayPlans = new Map<string, Map<string, string>>();

  private entry(tenant: string, id: string): Entry | undefined {
    const e = this.plans.get(id);
    return e?.record.tenant === tenant ? e : undefined;
  }

  async createPlan(
    tenant: string,
    problem: ProblemInput,
    idempotencyKey?: string,
  ): Promise<{ id: string; created: boolean }> {
    const k = idempotencyKey === undefined ? undefined : `${tenant}\u0000${idempotencyKey}`;
    const existing = k === undefined ? undefined : this.idem.get(k);
    if (existing !== undefined) return { id: existing, created: false };
    const id = randomUUID();
    if (k !== undefined) this.idem.set(k, id);
    this.plans.set(id, {
      record: { id, tenant, createdAt: new Date().toISOString(), jobId: null, versions: 0 },
      problems: [structuredClone(problem)],
      versions: [],
    });
    return { id, created: true };
  }

  async dayPlan(tenant: string, date: string): Promise<string | null> {
    return this.dayPlans.get(tenant)?.get(date) ?? null;
  }

  async setDayPlan(tenant: string, date: string, id: string): Promise<void> {
    if (!this.dayPlans.has(tenant)) this.dayPlans.set(tenant, new Map());
    this.dayPlans.get(tenant)!.set(date, id);
  }

  async days(tenant: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.dayPlans.get(tenant) ?? []);
  }

  async setProblem(tenant: string, id: string, problem: ProblemInput): Promise<number> {
    const e = this.entry(tenant, id)!;
    return e.problems.push(structuredClone(problem));
  }

  async setJob(tenant: string, id: string, jobId: string): Promise<void> {
    const e = this.entry(tenant, id);
    if (e !== undefined) e.record.jobId = jobId;
  }

  async getRecord(tenant: string, id: string): Promise<PlanRecord | null> {
    const e = this.entry(tenant, id);
    return e === undefined ? null : { ...e.record, versions: e.versions.length };
  }

  async getProblem(
    tenant: string,
    id: string,
    k?: number,
  ): Promise<{ problem: ProblemInput; number: number } | null> {
    const e = this.entry(tenant, id);
    if (e === undefined) return null;
    const n = k ?? e.problems.length;
    const problem = e.problems[n - 1];
    return problem === undefined ? null : { problem: structuredClone(problem), number: n };
  }

  async addVersion(
    tenant: string,
    id: string,
    version: Omit<PlanVersion, 'version' | 'createdAt'>,
  ): Promise<number> {
    const e = this.entry(tenant, id)!;
    const n = e.versions.length + 1;
    e.versions.push(structuredClone({ ...version, version: n, createdAt: new Date().toISOString() }));
    return n;
  }

  async getVersion(tenant: string, id: string, version?: number): Promise<PlanVersion | null> {
    const e = this.entry(tenant, id);
    if (e === undefined || e.versions.length === 0) return null;
    const v = e.versions[(version ?? e.versions.length) - 1];
    return v === undefined ? null : structuredClone(v);
  }
}
