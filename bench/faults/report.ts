/**
 * The end of a fault-injection run: what became of every accepted plan, read from Redis (the
 * plan record, its versions and `:jobs` hash, the BullMQ job) and through the API, sorted into
 * complete, duplicated, lost and unfinished; and the summary table.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ApiClient, SubmissionResult } from './client.ts';

export interface PlanOutcome {
  planId: string;
  jobId: string;
  tenant: string;
  key: string;
  size: string;
  timeLimit: number;
  /** The plan record's `versions` field, the `:v:<n>` keys, the `:jobs` hash. */
  versions: number;
  versionKeys: number;
  jobsHash: Record<string, string>;
  recordExists: boolean;
  jobState: string;
  failedReason: string | null;
  attemptsMade: number;
  attemptsStarted: number;
  stalledCounter: number;
  resumedFrom: number | null;
  checkpointLeft: boolean;
  versionStatus: string | null;
  api: { status: number | 'ERR'; versions?: number; planStatus?: string; jobState?: string };
  verdict: 'ok' | 'duplicate' | 'lost' | 'unfinished' | 'odd';
  why: string;
}

/** Reads every accepted plan and sorts it (see PlanOutcome.verdict). */
export async function accountPlans(
  redis: Redis,
  queue: Queue,
  api: ApiClient,
  prefix: string,
  accepted: SubmissionResult[],
  keyOfTenant: (tenant: string) => string,
): Promise<PlanOutcome[]> {
  const out: PlanOutcome[] = [];
  for (const s of accepted) {
    const planId = s.planId!;
    const jobId = s.jobId!;
    const rec = `${prefix}:t:${s.tenant}:plan:${planId}`;
    const h = await redis.hgetall(rec);
    const jobsHash = await redis.hgetall(`${rec}:jobs`);
    const versionKeys = (await scanKeys(redis, `${rec}:v:*`)).length;
    const checkpointLeft = (await redis.exists(`${rec}:ckpt:${jobId}`)) === 1;
    const job = await queue.getJob(jobId);
    const jobState = job === undefined ? 'missing' : await job.getState();
    const progress = (job?.progress ?? null) as { resumedFrom?: number } | null;
    const latest = h.versions && Number(h.versions) > 0 ? await redis.get(`${rec}:v:${h.versions}`) : null;
    const apiAnswer = await api.request('GET', `/v1/plans/${planId}`, '/v1/plans/:id', {
      key: keyOfTenant(s.tenant),
      timeoutMs: 10_000,
    });
    const ab = (apiAnswer.body ?? {}) as { versions?: number; status?: string; job?: { state?: string } };
    const versions = Number(h.versions ?? 0);
    const distinctJobs = Object.keys(jobsHash).length;
    const o: PlanOutcome = {
      planId,
      jobId,
      tenant: s.tenant,
      key: s.key,
      size: s.size,
      timeLimit: s.timeLimit,
      versions,
      versionKeys,
      jobsHash,
      recordExists: h.createdAt !== undefined,
      jobState,
      failedReason: job?.failedReason ?? null,
      attemptsMade: job?.attemptsMade ?? 0,
      attemptsStarted: job?.attemptsStarted ?? 0,
      stalledCounter: job?.stalledCounter ?? 0,
      resumedFrom: typeof progress?.resumedFrom === 'number' ? progress.resumedFrom : null,
      checkpointLeft,
      versionStatus: latest === null ? null : ((JSON.parse(latest) as { status?: string }).status ?? null),
      api: {
        status: apiAnswer.status,
        ...(typeof ab.versions === 'number' && { versions: ab.versions }),
        ...(ab.status !== undefined && { planStatus: ab.status }),
        ...(ab.job?.state !== undefined && { jobState: ab.job.state }),
      },
      verdict: 'ok',
      why: '',
    };
    if (!o.recordExists) [o.verdict, o.why] = ['lost', 'the plan record is gone'];
    else if (versions > Math.max(1, distinctJobs) || versionKeys > Math.max(1, distinctJobs))
      [o.verdict, o.why] = [
        'duplicate',
        `${versions} versions (${versionKeys} version keys) from ${distinctJobs} job(s)`,
      ];
    else if (Object.values(jobsHash).some((v, _i, all) => all.indexOf(v) !== all.lastIndexOf(v)))
      [o.verdict, o.why] = ['duplicate', 'two jobs point at one version'];
    else if (versions === 0 && (jobState === 'failed' || jobState === 'missing'))
      [o.verdict, o.why] = [
        'lost',
        `no version and the job is ${jobState}${o.failedReason ? `: ${o.failedReason}` : ''}`,
      ];
    else if (versions === 0 && jobState === 'completed')
      [o.verdict, o.why] = ['lost', 'the job completed but wrote no version'];
    else if (versions === 0) [o.verdict, o.why] = ['unfinished', `no version yet, job ${jobState}`];
    else if (versions === 1 && jobsHash[jobId] === '1' && jobState === 'completed')
      [o.verdict, o.why] = ['ok', 'one version, job completed'];
    else
      [o.verdict, o.why] = [
        'odd',
        `versions ${versions}, jobs ${JSON.stringify(jobsHash)}, job ${jobState}${o.failedReason ? `: ${o.failedReason}` : ''}`,
      ];
    if (o.verdict === 'ok' && typeof o.api.versions === 'number' && o.api.versions !== versions)
      [o.verdict, o.why] = ['odd', `the API says ${o.api.versions} versions, Redis ${versions}`];
    out.push(o);
  }
  return out;
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/**
 * Plans in Redis that no accepted submission names (a submission whose answer was lost and whose
 * retry made another plan would show here), and idempotency keys that point at another plan than
 * the one their submission got.
 */
export async function strayPlans(
  redis: Redis,
  prefix: string,
  submissions: SubmissionResult[],
): Promise<{
  orphans: { tenant: string; planId: string; versions: number }[];
  keyMismatches: string[];
  pending: number;
}> {
  const known = new Set(submissions.flatMap((s) => s.planIds));
  const orphans: { tenant: string; planId: string; versions: number }[] = [];
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:t:([^:]+):plan:([^:]+)$`);
  for (const key of await scanKeys(redis, `${prefix}:t:*:plan:*`)) {
    const m = pattern.exec(key);
    if (m === null || known.has(m[2])) continue;
    orphans.push({ tenant: m[1], planId: m[2], versions: Number((await redis.hget(key, 'versions')) ?? 0) });
  }
  const keyMismatches: string[] = [];
  for (const s of submissions) {
    if (s.planIds.length > 1) keyMismatches.push(`${s.key}: answers named plans ${s.planIds.join(', ')}`);
    if (s.outcome !== 'accepted') continue;
    const hash = createHash('sha256').update(s.key).digest('hex');
    const text = await redis.get(`${prefix}:t:${s.tenant}:idem:${hash}`);
    const idemPlan = text === null ? null : (JSON.parse(text) as { planId: string }).planId;
    if (idemPlan !== s.planId)
      keyMismatches.push(`${s.key}: got plan ${s.planId}, the key names ${idemPlan}`);
  }
  const pending = await redis.zcard(`${prefix}:pending`);
  return { orphans, keyMismatches, pending };
}

export const stats = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { n: s.length, min: s[0], median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
};

/** A two-column table. */
export function table(rows: [string, string | number][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

/** A table with a header row. */
export function grid(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
