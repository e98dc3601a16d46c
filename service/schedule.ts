import { CronExpressionParser } from 'cron-parser';
import { upsertNightly } from './nightly.ts';
import { type JobQueue, NIGHTLY_DEFAULT, NIGHTLY_TIME_LIMIT } from './solve-queue.ts';

/** A tenant's nightly re-optimization as a request sets it: a cron pattern, an IANA time zone, seconds of search per day. */
export interface Schedule {
  cron: string;
  timezone: string;
  timeLimit?: number;
}

/** What a schedule may ask (docs/service.md, "Limits"): least minutes between two runs, most seconds of search per day. */
export interface ScheduleLimits {
  minMinutes: number;
  maxTimeLimit: number;
}

/** The least difference between consecutive values of a cron field, counting the wrap to the next period. */
function leastStep(values: readonly number[], period: number): number {
  const v = [...new Set(values)].sort((a, b) => a - b);
  if (v.length < 2) return period;
  let least = period - v[v.length - 1] + v[0];
  for (let k = 1; k < v.length; k++) least = Math.min(least, v[k] - v[k - 1]);
  return least;
}

/**
 * A lower bound of the gap, in minutes, between two runs of a cron pattern, from its second,
 * minute and hour fields alone (no iteration over future runs, so no pattern can make it slow):
 * several seconds run within a minute, several minutes within an hour, else runs are at least
 * the least step between its hours apart. Throws on a pattern cron-parser refuses.
 */
export function shortestGapMinutes(cron: string, tz: string): number {
  const { fields } = CronExpressionParser.parse(cron, { tz });
  const seconds: readonly number[] = fields.second.values;
  const minutes: readonly number[] = fields.minute.values;
  if (new Set(seconds).size > 1) return leastStep(seconds, 60) / 60;
  if (new Set(minutes).size > 1) return leastStep(minutes, 60);
  return 60 * leastStep(fields.hour.values, 24);
}

/** What is wrong with a schedule (the field's pointer, a code and a sentence), or null. */
export function scheduleIssue(
  schedule: Schedule,
  limits: ScheduleLimits,
): { pointer: string; code: string; message: string } | null {
  const { cron, timezone, timeLimit } = schedule;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    return { pointer: '/timezone', code: 'E_RANGE', message: `'${timezone}' is not an IANA time zone` };
  }
  let gap: number;
  try {
    gap = shortestGapMinutes(cron, timezone);
  } catch (e) {
    return { pointer: '/cron', code: 'E_FORMAT', message: e instanceof Error ? e.message : String(e) };
  }
  if (gap < limits.minMinutes)
    return {
      pointer: '/cron',
      code: 'E_LIMIT',
      message: `may run every ${gap < 1 ? `${Math.round(gap * 60)} seconds` : `${gap} minutes`}; at least ${limits.minMinutes} minutes between runs (limit HHC_SCHEDULE_MIN_MINUTES)`,
    };
  if (timeLimit !== undefined && timeLimit > limits.maxTimeLimit)
    return {
      pointer: '/timeLimit',
      code: 'E_LIMIT',
      message: `at most ${limits.maxTimeLimit} seconds of search per day (limit HHC_SCHEDULE_MAX_TIME_LIMIT)`,
    };
  return null;
}

/** Sets a tenant's nightly run (a schedule scheduleIssue accepted); returns it with its time limit. */
export async function setSchedule(
  queue: Pick<JobQueue, 'upsertJobScheduler'>,
  tenant: string,
  schedule: Schedule,
): Promise<Required<Schedule>> {
  const { cron, timezone, timeLimit } = schedule;
  await upsertNightly(queue, tenant, { pattern: cron, tz: timezone }, timeLimit);
  return { cron, timezone, timeLimit: timeLimit ?? NIGHTLY_TIME_LIMIT };
}

/** A tenant's nightly run: its cron, time zone, interval and next run, or the default it would get with its first stored day. */
export async function readSchedule(queue: Pick<JobQueue, 'getJobScheduler'>, tenant: string) {
  const s = await queue.getJobScheduler(`nightly:${tenant}`);
  if (s === undefined) return { cron: null, timezone: null, default: NIGHTLY_DEFAULT };
  return {
    cron: s.pattern ?? null,
    timezone: s.tz ?? null,
    every: s.every ?? null,
    next: s.next ? new Date(s.next).toISOString() : null,
  };
}
