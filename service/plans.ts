import type { ServiceDeps } from './deps.ts';
import { stageAndQueue } from './enqueue.ts';
import { upsertNightly } from './nightly.ts';
import type { PlanRecord, StageResult } from './plan-store.ts';
import type { ChangesAsGiven, CheckRefusal } from './problem-check-task.ts';
import {
  asSolveJob,
  IN_FLIGHT,
  type JobLike,
  requestedSolve,
  type SolveJobData,
  type SolveKind,
  type SolveRequest,
} from './solve-queue.ts';

/**
 * The plans' operations the API's routes call: each checks the problem in the checker's threads,
 * stores it as validation returned it and queues its solve (stageAndQueue: all or nothing), or
 * reads what is stored. They answer in the domain's terms; the routes turn that into status codes.
 */

/**
 * The job of a staged problem the checker returned: stored as validation made it, it is solved
 * without being validated again.
 */
const checkedSolve =
  (tenant: string, kind: SolveKind, solve: SolveRequest) =>
  (staged: StageResult): SolveJobData => ({
    ...requestedSolve(tenant, staged.planId, kind, solve, staged.problem),
    validated: true,
  });

/** A refused problem: the checker's message and issues (pointers into the body). */
export type Invalid = { status: 'invalid' } & CheckRefusal;

/** A day submitted as a new plan: queued (or, for a replay of its Idempotency-Key, the plan it made), refused, or a key reused with another body. */
export type Submission =
  | Invalid
  | { status: 'conflict'; planId: string }
  | { status: 'queued' | 'existing'; planId: string; jobId: string };

export async function submitPlan(
  deps: ServiceDeps,
  tenant: string,
  body: Buffer,
  request: {
    solve: SolveRequest;
    idempotencyKey?: string;
    format?: 'vroom' | 'csv' | 'fhir';
    /** CSV and FHIR bodies: the plan whose problem as submitted gives the nurses, calendar and settings. */
    base?: string;
  },
): Promise<Submission> {
  let base: string | undefined;
  if (request.base !== undefined) {
    const found =
      (await deps.store.getRecord(tenant, request.base)) === null
        ? null
        : // As submitted: a later re-plan's problem carries that day's events (absences, positions).
          await deps.store.getProblemText(tenant, request.base, 1);
    if (found === null)
      return {
        status: 'invalid',
        message: 'the request is invalid',
        issues: [{ pointer: '?/base', code: 'E_NOT_FOUND', message: `no plan '${request.base}'` }],
      };
    base = found.text;
  }
  const checked = await deps.checker.submission(body, request.format, base);
  if (!checked.ok) return { status: 'invalid', message: checked.message, issues: checked.issues };
  const key = request.idempotencyKey;
  const staged = await stageAndQueue(
    deps,
    tenant,
    { mode: 'new', ...(key !== undefined && { idempotency: { key, fingerprint: checked.fingerprint } }) },
    checked.text ?? body,
    checkedSolve(tenant, 'solve', request.solve),
  );
  if (staged.status === 'conflict') return { status: 'conflict', planId: staged.planId };
  return {
    status: staged.status === 'existing' ? 'existing' : 'queued',
    planId: staged.planId,
    jobId: staged.jobId,
  };
}

/**
 * A stored day: the day's problem is kept (a new plan, or the next problem of the day's plan)
 * and solved now; the tenant's default nightly run is set up with its first stored day. Queued,
 * the day is kept whatever happens after: should the nightly set-up fail, `scheduleError` says
 * why and the next stored day sets it up.
 */
export async function storeDay(
  deps: ServiceDeps,
  tenant: string,
  date: string,
  body: Buffer,
  solve: SolveRequest,
): Promise<Invalid | { status: 'queued'; planId: string; jobId: string; scheduleError?: unknown }> {
  const checked = await deps.checker.submission(body);
  if (!checked.ok) return { status: 'invalid', message: checked.message, issues: checked.issues };
  const staged = await stageAndQueue(
    deps,
    tenant,
    { mode: 'day', day: date },
    checked.text ?? body,
    checkedSolve(tenant, 'solve', solve),
  );
  const queued = { status: 'queued' as const, planId: staged.planId, jobId: staged.jobId };
  try {
    if ((await deps.queue.getJobScheduler(`nightly:${tenant}`)) === undefined)
      await upsertNightly(deps.queue, tenant);
    return queued;
  } catch (e) {
    return { ...queued, scheduleError: e };
  }
}

/** The plan a day of a tenant keeps, and how many versions it has; null when no such day is stored. */
export async function readDay(
  deps: Pick<ServiceDeps, 'store'>,
  tenant: string,
  date: string,
): Promise<{ planId: string; versions: number } | null> {
  const planId = await deps.store.dayPlan(tenant, date);
  if (planId === null) return null;
  const record = await deps.store.getRecord(tenant, planId);
  return { planId, versions: record?.versions ?? 0 };
}

/**
 * A re-plan: the changes applied to the problem and plan of the plan's latest version (built and
 * validated in the checker's threads), stored as the plan's next problem and queued at the
 * re-planning priority.
 */
export async function replanPlan(
  deps: ServiceDeps,
  tenant: string,
  planId: string,
  changes: ChangesAsGiven,
  solve: SolveRequest,
): Promise<
  | Invalid
  | { status: 'not-found' }
  | { status: 'not-solved' }
  | { status: 'busy'; jobId: string }
  | { status: 'queued'; jobId: string }
> {
  const { store, checker } = deps;
  const record = await store.getRecord(tenant, planId);
  if (record === null) return { status: 'not-found' };
  const latest = await store.getVersion(tenant, planId);
  if (latest === null) return { status: 'not-solved' };
  // An applied option not written yet: a re-plan of the version before it would drop its visits.
  const job = record.jobId === null ? null : asSolveJob(await deps.queue.getJob(record.jobId));
  if (job !== null && job.data.kind === 'apply' && IN_FLIGHT.has(await job.getState()))
    return { status: 'busy', jobId: record.jobId! };
  const base = await store.getProblemText(tenant, planId, latest.problem);
  if (base === null) return { status: 'not-found' };
  const checked = await checker.replan(base.text, latest.plan, changes);
  if (!checked.ok) return { status: 'invalid', message: checked.message, issues: checked.issues };
  const staged = await stageAndQueue(
    deps,
    tenant,
    { mode: 'add', planId },
    checked.text ?? '',
    checkedSolve(tenant, 'reoptimize', solve),
  );
  if (staged.status === 'missing') return { status: 'not-found' };
  return { status: 'queued', jobId: staged.jobId };
}

/** A plan's record, its latest version as stored (JSON text; null before its first solve) and the job of its latest request. */
export async function findPlan(
  deps: Pick<ServiceDeps, 'store' | 'queue'>,
  tenant: string,
  planId: string,
): Promise<{ record: PlanRecord; versionText: string | null; job: JobLike<SolveJobData> | null } | null> {
  const record = await deps.store.getRecord(tenant, planId);
  if (record === null) return null;
  const versionText = await deps.store.getVersionText(tenant, planId);
  const job = record.jobId === null ? null : asSolveJob(await deps.queue.getJob(record.jobId));
  return { record, versionText, job };
}
