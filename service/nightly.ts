import type { Job } from 'bullmq';
import { Calendar } from '../solver/calendar/calendar.ts';
import { applyChanges, type ProblemInput, validateProblem } from '../solver/index.ts';
import { NO_LIMITS } from '../solver/model/limits.ts';

import { queueSolve, stageAndQueue, TenantBusyError } from './enqueue.ts';
import type { TenantSlots } from './tenant-slots.ts';
import type { PlanStoreApi } from './plan-store.ts';
import {
  type JobQueue,
  NIGHTLY_DEFAULT,
  NIGHTLY_TIME_LIMIT,
  PRIORITY,
  type ScanJobData,
  type SolveJobData,
  type SolveJobResult,
} from './solve-queue.ts';

/** Creates or updates a tenant's nightly re-optimization (a BullMQ job scheduler: cron pattern and time zone). */
export async function upsertNightly(
  queue: Pick<JobQueue, 'upsertJobScheduler'>,
  tenant: string,
  repeat: { pattern: string; tz?: string } | { every: number } = NIGHTLY_DEFAULT,
  timeLimit = NIGHTLY_TIME_LIMIT,
): Promise<void> {
  await queue.upsertJobScheduler(`nightly:${tenant}`, repeat, {
    name: 'nightly-scan',
    data: { kind: 'nightly-scan', tenant, timeLimit },
    opts: { priority: PRIORITY.nightly, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
  });
}

/**
 * The scan: one 'nightly' solve of each stored plan whose days are not all past (today in UTC;
 * a week plan counts until its horizon's last day), at the lowest priority. A plan with a
 * version is re-solved keeping what nurses were told: its problem becomes the re-plan of the
 * current version at the time of the scan (applyChanges: stops already begun are frozen, the
 * current plan is the `previousPlan` its `moved` and `shifted` weights hold to), stored as the
 * plan's next problem. A scan run again (its worker died) finds its job queued and queues
 * nothing twice.
 */
export async function runNightlyScan(
  job: Job<ScanJobData>,
  deps: { store: PlanStoreApi; queue: JobQueue; slots: TenantSlots },
  now: Date = new Date(),
): Promise<SolveJobResult> {
  const { store, queue } = deps;
  const tenant = job.data.tenant;
  const today = now.toISOString().slice(0, 10);
  const days = await store.days(tenant);
  const seen = new Set<string>();
  let scheduled = 0;
  for (const [date, planId] of Object.entries(days)) {
    if (seen.has(planId)) continue;
    seen.add(planId);
    const current = await store.getProblemText(tenant, planId);
    if (current === null) continue;
    const problem = JSON.parse(current.text) as ProblemInput;
    if (lastDate(problem, date) < today) continue;
    const scan = `${job.id ?? 'scan'}@${job.timestamp}`;
    const record = await store.getRecord(tenant, planId);
    const queued = record?.jobId ? await queue.getJob(record.jobId) : undefined;
    if (queued !== undefined && (queued.data as SolveJobData).scan === scan) continue;
    const data: SolveJobData = {
      tenant,
      planId,
      kind: 'nightly',
      timeLimit: job.data.timeLimit ?? NIGHTLY_TIME_LIMIT,
      seed: 1,
      scan,
    };
    const version = await store.getVersion(tenant, planId);
    if (version === null) {
      await queueSolve(queue, store, data, `${planId}.n${job.timestamp}`);
      scheduled++;
      continue;
    }
    let next: ProblemInput | null;
    try {
      // The stored problem was accepted under the service's limits: none are applied again. The
      // re-plan is stored as validation returns it, and solved without being validated again.
      const replan = applyChanges(
        problem,
        version.plan,
        Calendar.of(problem) === null ? {} : { now: now.toISOString() },
        { limits: NO_LIMITS },
      );
      next = validateProblem(replan, { limits: NO_LIMITS });
    } catch {
      next = null;
    }
    if (next === null) {
      // Not a problem a re-plan can be made of: the current one is solved again as it is.
      await queueSolve(queue, store, data, `${planId}.n${job.timestamp}`);
      scheduled++;
      continue;
    }
    try {
      await stageAndQueue(deps, tenant, { mode: 'add', planId }, JSON.stringify(next), (s) => ({
        ...data,
        problem: s.problem,
        validated: true,
      }));
      scheduled++;
    } catch (e) {
      if (!(e instanceof TenantBusyError)) throw e; // the tenant is at its cap: tomorrow's scan
    }
  }
  return { scheduled, planId: '', version: 0, cancelled: false, cost: 0, iterations: 0 };
}

/** The last day a stored plan covers: its horizon's last day, its `date`, or the day it is stored under. */
function lastDate(problem: ProblemInput, stored: string): string {
  const calendar = Calendar.of(problem);
  return calendar === null ? stored : calendar.dateOfDay(calendar.days - 1);
}
