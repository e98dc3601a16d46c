/**
 * Fault injection against real processes (issue 11, "Prove it"): a Redis of its own (append-only
 * file, fsync always, noeviction) in a temporary directory, one API process and W solve worker
 * processes (WORKER_LOCK_MS unset: the service's default lock, unless --lock-ms). It submits P
 * plans (had-5n-40v and had-60n-600v, time limits 4-8 s) with an Idempotency-Key each, retried
 * with the same key after a 503, 429 or timeout; meanwhile it SIGKILLs worker processes holding
 * an active job (a replacement starts 1-2 s later), one long job three times in a row, and
 * restarts Redis (SIGTERM, a few seconds down, started again on the same files) while jobs run,
 * probing POST /v1/plans and GET /readyz during each outage (503 within 1 s). At the end (every
 * job completed or failed) it reads every plan from Redis and through the API: one version per
 * job, none lost, none duplicated; and for each kill the takeover time (kill to the job active
 * again under another worker) and whether the run resumed from the job's checkpoint.
 * Prints a summary, writes bench/results/faults.json; exit code 1 on a loss or a duplicate.
 * Every child process and the temporary directory are removed at the end, also on failure or ^C
 * (with a finding, the logs are copied to bench/results/faults-logs/ first).
 *   node --import tsx bench/faults.ts [--workers 3] [--plans 30] [--kills 20] [--redis-restarts 3]
 *     [--lock-ms N] [--redis-port 6391] [--api-port N] [--final-timeout 900] [--seed 1]
 *     [--out bench/results/faults.json] [--keep-logs]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createApiKey } from '../service/api-keys.ts';
import { DEFAULT_LOCK_MS, JOB_ATTEMPTS, redisConnection, SOLVE_QUEUE } from '../service/solve-queue.ts';
import { ApiClient, type SubmissionResult } from './faults/client.ts';
import { type Child, Cluster, freePort, sleep, tail } from './faults/cluster.ts';
import { accountPlans, grid, type PlanOutcome, stats, strayPlans, table } from './faults/report.ts';
import { type ActiveJob, Watcher } from './faults/watch.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '3' },
    plans: { type: 'string', default: '30' },
    kills: { type: 'string', default: '20' },
    'redis-restarts': { type: 'string', default: '3' },
    'lock-ms': { type: 'string' },
    'redis-port': { type: 'string', default: '6391' },
    'api-port': { type: 'string' },
    'final-timeout': { type: 'string', default: '900' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(root, 'bench/results/faults.json') },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const int = (name: string, text: string | undefined, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`faults: --${name} must be an integer >= ${min}, not '${text}'\n`);
    process.exit(2);
  }
  return n;
};
const W = int('workers', values.workers, 1);
const P = int('plans', values.plans, 1);
const K = int('kills', values.kills, 0);
const R = int('redis-restarts', values['redis-restarts'], 0);
const lockOption = values['lock-ms'] === undefined ? undefined : int('lock-ms', values['lock-ms'], 1000);
const lockMs = lockOption ?? DEFAULT_LOCK_MS;
const finalTimeoutMs = int('final-timeout', values['final-timeout'], 10) * 1000;
const outFile = values.out!;
const logsCopy = join(dirname(outFile), 'faults-logs');

/** Its own Redis: the service's own key prefix and queue name. */
const prefix = 'hhc';
const queueName = SOLVE_QUEUE;

// A small seeded generator (mulberry32): the same choices for the same seed and timings.
let seedState = int('seed', values.seed, 0) >>> 0;
const rng = () => {
  seedState = (seedState + 0x6d2b79f5) >>> 0;
  let t = seedState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const t0 = Date.now();
const secs = (ms: number) => (ms / 1000).toFixed(1);
const log = (line: string) => process.stdout.write(`[${secs(Date.now() - t0).padStart(6)} s] ${line}\n`);
const short = (jobId: string) => jobId.slice(0, 8);

const SMALL = 'had-5n-40v';
const BIG = 'had-60n-600v';
const bodies: Record<string, string> = {
  [SMALL]: readFileSync(join(root, `fixtures/care/${SMALL}.json`), 'utf8'),
  [BIG]: readFileSync(join(root, `fixtures/care/${BIG}.json`), 'utf8'),
};
const TENANTS = ['had-lille', 'had-nord', 'had-sud'];
const PROBE_TENANT = 'faults-probe';
const runTag = `${process.pid}-${t0.toString(36)}`;
interface Spec {
  index: number;
  key: string;
  tenant: string;
  size: string;
  timeLimit: number;
  body: string;
}
// Two in five are the 60-nurse day; time limits 4, 7, 5, 8, 6 s in turn (plan 3 is a long big one).
const specs: Spec[] = Array.from({ length: P }, (_, i) => {
  const size = i % 5 === 1 || i % 5 === 3 ? BIG : SMALL;
  return {
    index: i,
    key: `faults-${runTag}-${i}`,
    tenant: TENANTS[i % TENANTS.length],
    size,
    timeLimit: 4 + ((i * 3) % 5),
    body: bodies[size],
  };
});

const redisPort = await freePort(int('redis-port', values['redis-port'], 1));
const apiPort = await freePort(
  values['api-port'] === undefined ? undefined : int('api-port', values['api-port'], 1),
);
const cluster = new Cluster({
  root,
  redisPort,
  apiPort,
  ...(lockOption !== undefined && { lockMs: lockOption }),
  env: { HHC_PREFIX: prefix, HHC_QUEUE: queueName, RATE_LIMIT: '100000' },
});
const client = new ApiClient(cluster.apiUrl);

// State of the run.
let aborted = false;
let stopping = false;
let outage = false;
let kickSubmitter = false;
let submitterDone = false;
const submissions: SubmissionResult[] = [];
const byJob = new Map<string, SubmissionResult>();
const background: Promise<unknown>[] = [];
const unexpected: { name: string; exit: Child['exit']; log: string; at: number }[] = [];

interface KillRecord {
  n: number;
  kind: 'random' | 'triple';
  jobId: string;
  size: string;
  timeLimit: number;
  worker: string;
  pid: number;
  killedAt: number;
  activeForMs: number;
  stalledBefore: number;
  checkpointElapsedMs: number | null;
  outcome: 'pending' | 'taken-over' | 'finished' | 'none';
  takeoverMs?: number;
  /** Kill to the queue's 'stalled' event (the job moved back to wait). */
  stalledEventMs?: number;
  by?: string;
  /** The taken-over run's progress: resumedFrom (the checkpoint's cost), null when it started afresh, undefined when not seen. */
  resumedFrom?: number | null;
}
const kills: KillRecord[] = [];
const killsOf = new Map<string, number>();
const killing = new Set<number>();

interface RestartRecord {
  n: number;
  stoppedAt: number;
  plannedDownMs: number;
  downMs: number;
  activeAtStop: string[];
  probes: {
    post: { status: number | 'ERR'; ms: number }[];
    readyz: { status: number | 'ERR'; ms: number }[];
  };
  readyAgainMs: number | null;
  /** What /readyz said last before it was ready again. */
  notReady?: string;
  locksLost?: string[];
}
const restarts: RestartRecord[] = [];
const triple = {
  jobId: null as string | null,
  inProgress: false,
  done: false,
  gaveUp: false,
  kills: [] as KillRecord[],
};

let watcher: Watcher;
let queue: Queue;
let admin: Redis;
const apiKeys = new Map<string, string>();

let exiting = false;
const onSignal = (signal: string) => {
  if (exiting) return;
  exiting = true;
  aborted = true;
  process.stderr.write(`\nfaults: ${signal}: stopping every child process and removing ${cluster.dir}\n`);
  void Promise.race([teardown(false, 2000), sleep(30_000)]).finally(() => process.exit(130));
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('exit', () => cluster.killAllNow());

async function teardown(keepLogs = false, graceMs = 5000): Promise<void> {
  stopping = true;
  const bounded = (p: Promise<unknown> | undefined) =>
    Promise.race([(p ?? Promise.resolve()).catch(() => undefined), sleep(3000)]);
  await bounded(watcher?.close());
  await bounded(queue?.close());
  admin?.disconnect();
  await cluster.cleanup(keepLogs ? logsCopy : undefined, graceMs);
}

const holderOf = (job: ActiveJob): Child | null => {
  const pid = watcher.pidOf(job);
  if (pid === undefined || killing.has(pid)) return null;
  const w = cluster.workerByPid(pid);
  return w !== undefined && w.exit === null ? w : null;
};

function startReplacement(): void {
  if (stopping) return;
  const w = cluster.startWorker();
  log(`started ${w.name} (pid ${w.pid})`);
}

/** SIGKILLs the worker holding `job`, starts a replacement 1-2 s later, and waits for the takeover. */
async function kill(job: ActiveJob, kind: KillRecord['kind']): Promise<KillRecord> {
  const w = holderOf(job)!;
  killing.add(w.pid);
  w.expected = true;
  const s = byJob.get(job.jobId)!;
  const jobKey = queue.toKey(job.jobId);
  const ckptKey = `${prefix}:t:${s.tenant}:plan:${s.planId}:ckpt:${job.jobId}`;
  const [ckpt, progressAtKill] = await Promise.all([
    watcher.fast.get(ckptKey).catch(() => null),
    watcher.fast.hget(jobKey, 'progress').catch(() => null),
  ]);
  const killedAt = Date.now();
  w.child.kill('SIGKILL');
  const rec: KillRecord = {
    n: kills.length + 1,
    kind,
    jobId: job.jobId,
    size: s.size,
    timeLimit: s.timeLimit,
    worker: w.name,
    pid: w.pid,
    killedAt: killedAt - t0,
    activeForMs: killedAt - job.since,
    stalledBefore: job.stalled,
    checkpointElapsedMs: ckpt === null ? null : (JSON.parse(ckpt) as { elapsedMs: number }).elapsedMs,
    outcome: 'pending',
  };
  kills.push(rec);
  killsOf.set(job.jobId, (killsOf.get(job.jobId) ?? 0) + 1);
  watcher.note(job.jobId, 'killed', `${w.name} pid ${w.pid} (${kind})`);
  log(
    `kill #${rec.n}${kind === 'triple' ? ` (same job, ${triple.kills.length + 1} of 3)` : ''}: ${w.name} holding ${short(job.jobId)} (${s.size}, ${s.timeLimit} s), active ${secs(rec.activeForMs)} s, checkpoint ${rec.checkpointElapsedMs === null ? 'none' : `${secs(rec.checkpointElapsedMs)} s of search`}`,
  );
  background.push(sleep(1000 + Math.floor(rng() * 1000)).then(startReplacement));
  const t = await watcher.watchTakeover(job.jobId, job.uuid, killedAt, 240_000);
  rec.outcome = t.outcome;
  if (t.outcome === 'taken-over') {
    rec.takeoverMs = t.at - killedAt;
    const end = Date.now() + 8000;
    while (Date.now() < end) {
      const p = await watcher.fast.hget(jobKey, 'progress').catch(() => null);
      if (p !== null && p !== progressAtKill) {
        const parsed = JSON.parse(p) as { resumedFrom?: number };
        rec.resumedFrom = typeof parsed.resumedFrom === 'number' ? parsed.resumedFrom : null;
        break;
      }
      if (watcher.finished.has(job.jobId)) break;
      await sleep(200);
    }
    const pid = t.uuid === undefined ? undefined : watcher.uuidPid.get(t.uuid);
    rec.by = pid === undefined ? undefined : cluster.workerByPid(pid)?.name;
  }
  const stalled = (watcher.timeline.get(job.jobId) ?? []).find(
    (e) => e.event === 'stalled' && e.t >= rec.killedAt,
  );
  if (stalled !== undefined) rec.stalledEventMs = stalled.t - rec.killedAt;
  log(
    `kill #${rec.n}: ${short(job.jobId)} ${rec.outcome}${rec.takeoverMs === undefined ? '' : ` after ${secs(rec.takeoverMs)} s`}${rec.by ? ` by ${rec.by}` : ''}${rec.resumedFrom === undefined ? '' : rec.resumedFrom === null ? ', started afresh' : `, resumed from checkpoint (cost ${rec.resumedFrom.toFixed(1)})`}`,
  );
  return rec;
}

/** Stops Redis, probes the API while it is down, starts it again on the same files. */
async function restartRedis(plannedDownMs: number): Promise<void> {
  const rec: RestartRecord = {
    n: restarts.length + 1,
    stoppedAt: 0,
    plannedDownMs,
    downMs: 0,
    activeAtStop: [...watcher.active.keys()],
    probes: { post: [], readyz: [] },
    readyAgainMs: null,
  };
  restarts.push(rec);
  outage = true;
  kickSubmitter = true;
  log(
    `redis restart #${rec.n}: stopping (SIGTERM) with ${rec.activeAtStop.length} job(s) active, down ~${secs(plannedDownMs)} s`,
  );
  await cluster.stopRedis();
  const downAt = Date.now();
  rec.stoppedAt = downAt - t0;
  let i = 0;
  while (Date.now() - downAt < plannedDownMs) {
    const [p, r] = await Promise.all([
      client.request('POST', '/v1/plans?timeLimit=4', '/v1/plans', {
        key: apiKeys.get(PROBE_TENANT)!,
        body: bodies[SMALL],
        headers: { 'idempotency-key': `probe-${runTag}-${rec.n}-${i++}` },
        timeoutMs: 5000,
      }),
      client.request('GET', '/readyz', '/readyz', { timeoutMs: 5000 }),
    ]);
    rec.probes.post.push({ status: p.status, ms: Math.round(p.ms) });
    rec.probes.readyz.push({ status: r.status, ms: Math.round(r.ms) });
    if (p.status === 202) {
      const b = p.body as { planId: string; jobId: string };
      const probe: SubmissionResult = {
        index: -1,
        key: `probe-${runTag}-${rec.n}-${i - 1}`,
        tenant: PROBE_TENANT,
        size: SMALL,
        timeLimit: 4,
        outcome: 'accepted',
        planId: b.planId,
        jobId: b.jobId,
        status: 'queued',
        planIds: [b.planId],
        attempts: 1,
        retryReasons: [],
        startedAt: Date.now(),
      };
      submissions.push(probe);
      byJob.set(b.jobId, probe);
      watcher.track(b.jobId);
    }
    await sleep(250);
  }
  await cluster.startRedis();
  const upAt = Date.now();
  rec.downMs = upAt - downAt;
  outage = false;
  const end = upAt + 60_000;
  while (Date.now() < end) {
    const r = await client.request('GET', '/readyz', '/readyz (after Redis is up)', { timeoutMs: 2000 });
    if (r.status === 200) {
      rec.readyAgainMs = Date.now() - upAt;
      break;
    }
    rec.notReady = (r.body as { redis?: string } | null)?.redis ?? String(r.status);
    await sleep(100);
  }
  const worst = (xs: { ms: number }[]) => Math.max(0, ...xs.map((x) => x.ms));
  const codes = (xs: { status: number | 'ERR' }[]) => [...new Set(xs.map((x) => x.status))].join('/');
  log(
    `redis restart #${rec.n}: up again after ${secs(rec.downMs)} s; probes POST ${codes(rec.probes.post)} (max ${worst(rec.probes.post)} ms), /readyz ${codes(rec.probes.readyz)} (max ${worst(rec.probes.readyz)} ms); API ready again ${rec.readyAgainMs === null ? 'NOT within 60 s' : `${secs(rec.readyAgainMs)} s after`}`,
  );
}

/** Submits the plans, a few open at a time (and one at once when an outage starts), each retried with its key. */
async function submitter(): Promise<void> {
  const running: Promise<void>[] = [];
  let inflight = 0;
  for (const spec of specs) {
    while (!aborted && !kickSubmitter && watcher.openJobs() + inflight >= W + 3) await sleep(200);
    if (aborted) break;
    kickSubmitter = false;
    inflight++;
    running.push(
      client.submit(spec, apiKeys.get(spec.tenant)!).then((r) => {
        inflight--;
        submissions.push(r);
        if (r.outcome === 'accepted') {
          byJob.set(r.jobId!, r);
          watcher.track(r.jobId!);
        }
        log(
          `plan ${spec.index} (${spec.size}, ${spec.timeLimit} s, ${spec.tenant}): ${r.outcome}${r.jobId ? ` job ${short(r.jobId)}` : ''}${r.status === 'existing' ? ' (existing)' : ''} after ${r.attempts} attempt(s)${r.retryReasons.length ? ` [${r.retryReasons.join(', ')}]` : ''}`,
        );
      }),
    );
    await sleep(1000);
  }
  await Promise.all(running);
  submitterDone = true;
}

/** Milliseconds of search in a job's checkpoint (null: none yet). */
async function checkpointOf(jobId: string): Promise<number | null> {
  const s = byJob.get(jobId);
  if (s === undefined) return null;
  const text = await watcher.fast
    .get(`${prefix}:t:${s.tenant}:plan:${s.planId}:ckpt:${jobId}`)
    .catch(() => null);
  return text === null ? null : (JSON.parse(text) as { elapsedMs: number }).elapsedMs;
}

/**
 * The same job killed three times in a row: a 60-nurse job of 8 s, killed once it has a
 * checkpoint, again once the run that took it over saved a newer one, and a third time 1.5 s into
 * the next run (before it saves any). Tries another job when one ends before its third kill.
 */
async function tripleKill(): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; attempt < 3 && !aborted && !triple.done; attempt++) {
    let job: ActiveJob | undefined;
    while (!aborted && job === undefined) {
      if (!outage) {
        const now = Date.now();
        const pool = [...watcher.active.values()].filter((j) => {
          const s = byJob.get(j.jobId);
          if (s === undefined || (killsOf.get(j.jobId) ?? 0) > 0 || j.stalled > 0 || holderOf(j) === null)
            return false;
          return now - started > 120_000 ? s.timeLimit >= 6 : s.size === BIG && s.timeLimit === 8;
        });
        for (const j of pool) if (job === undefined && (await checkpointOf(j.jobId)) !== null) job = j;
      }
      if (job === undefined) {
        if (submitterDone && watcher.openJobs() === 0) {
          triple.gaveUp = true;
          return;
        }
        await sleep(100);
      }
    }
    if (job === undefined) return;
    triple.jobId = job.jobId;
    triple.kills = [];
    triple.inProgress = true;
    try {
      for (let k = 0; k < 3 && !aborted; k++) {
        if (k > 0) {
          const before = triple.kills[k - 1].checkpointElapsedMs ?? 0;
          let next: ActiveJob | undefined;
          const end = Date.now() + 240_000;
          while (!aborted && Date.now() < end && next === undefined) {
            const j = watcher.active.get(triple.jobId);
            if (j !== undefined && !outage && holderOf(j) !== null) {
              const age = Date.now() - j.since;
              if (k === 2 ? age >= 1500 : ((await checkpointOf(j.jobId)) ?? 0) > before || age >= 6000)
                next = j;
            }
            if (next === undefined) {
              if (watcher.finished.has(triple.jobId)) break;
              await sleep(100);
            }
          }
          if (next === undefined) break;
          job = next;
        }
        triple.kills.push(await kill(job, 'triple'));
      }
    } finally {
      triple.inProgress = false;
      triple.done = triple.kills.length === 3;
    }
    if (!triple.done)
      log(
        `the same-job sequence on ${short(triple.jobId)} stopped after ${triple.kills.length} kill(s): trying another job`,
      );
  }
  if (!triple.done) triple.gaveUp = true;
}

/** Random kills of workers holding an active job, and Redis restarts spread among them. */
async function faultLoop(): Promise<{ outOfWork: boolean }> {
  const pending: Promise<KillRecord>[] = [];
  const outages = [4000, 7000, 10_000, 5000, 8000, 3000, 9000, 6000];
  const restartDue = (r: number) => Math.round(((r + 1) * K) / (R + 1));
  let outOfWork = false;
  while (!aborted) {
    const tripleLeft = triple.done || triple.gaveUp ? 0 : 3 - triple.kills.length;
    if (kills.length >= K && restarts.length >= R && tripleLeft === 0) break;
    if (submitterDone && watcher.openJobs() === 0) {
      outOfWork = true;
      break;
    }
    await sleep(1500 + Math.floor(rng() * 1500));
    if (aborted) break;
    if (
      restarts.length < R &&
      kills.length >= Math.min(K, restartDue(restarts.length)) &&
      !triple.inProgress &&
      watcher.active.size > 0
    ) {
      // Takeovers of earlier kills settle first, so that their times are not an outage's.
      const until = Date.now() + 15_000;
      while (watcher.pendingTakeovers() > 0 && Date.now() < until && !triple.inProgress) await sleep(200);
      if (!triple.inProgress && watcher.active.size > 0) {
        await restartRedis(outages[restarts.length % outages.length]);
        continue;
      }
    }
    if (kills.length + tripleLeft >= K || outage) continue;
    const now = Date.now();
    const minActive = 1000 + rng() * 5000;
    const candidates = [...watcher.active.values()].filter(
      (j) =>
        byJob.has(j.jobId) &&
        j.jobId !== triple.jobId &&
        (killsOf.get(j.jobId) ?? 0) < 2 &&
        j.stalled <= 1 &&
        now - j.since >= minActive &&
        holderOf(j) !== null,
    );
    if (candidates.length === 0) continue;
    pending.push(kill(candidates[Math.floor(rng() * candidates.length)], 'random'));
  }
  await Promise.all(pending);
  return { outOfWork };
}

/** Lines of the logs that name `needle` (the API's only from warnings up), at most `max`. */
function excerpt(needle: string, max = 25): string[] {
  const lines: string[] = [];
  for (const file of readdirSync(cluster.logDir).sort()) {
    const text = readFileSync(join(cluster.logDir, file), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.includes(needle)) continue;
      if (file === 'api.log' && /"level":(10|20|30)\b/.test(line)) continue;
      lines.push(`${file}: ${line.slice(0, 400)}`);
      if (lines.length >= max) return lines;
    }
  }
  return lines;
}

/** The workers' own lines (not stack frames) and the API's warnings and errors, job ids made alike, with counts. */
function logLines(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of readdirSync(cluster.logDir).sort()) {
    if (file === 'redis.log') continue;
    for (const line of readFileSync(join(cluster.logDir, file), 'utf8').split('\n')) {
      if (line.trim() === '' || /^\s/.test(line) || line === '}' || line.includes('taking jobs')) continue;
      let text = line;
      if (file === 'api.log') {
        if (!/"level":(40|50|60)\b/.test(line)) continue;
        try {
          const o = JSON.parse(line) as { msg?: string; err?: { message?: string } };
          text = `${o.msg ?? ''}: ${o.err?.message ?? ''}`;
        } catch {
          // not JSON: as it is
        }
      }
      const key = `${file === 'api.log' ? 'api' : 'worker'}: ${text
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.\d+)?/g, '<job>')
        .slice(0, 200)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

class Aborted extends Error {}

let exitCode = 0;
let keepLogs = values['keep-logs'];
try {
  log(
    `temporary directory ${cluster.dir}; Redis on ${redisPort}, API on ${apiPort}; ${W} workers, lock ${lockMs} ms${lockOption === undefined ? ' (default, WORKER_LOCK_MS unset)' : ''}`,
  );
  await cluster.startRedis();
  admin = new Redis(cluster.redisUrl, { maxRetriesPerRequest: null });
  admin.on('error', () => undefined);
  for (const tenant of [...TENANTS, PROBE_TENANT])
    apiKeys.set(tenant, await createApiKey(admin, { tenant, role: 'coordinator' }, prefix));
  await cluster.startApi();
  log(`API ready (pid ${cluster.api!.pid})`);
  queue = new Queue(queueName, { connection: redisConnection(cluster.redisUrl) });
  queue.on('error', () => undefined);
  watcher = new Watcher(
    cluster.redisUrl,
    queueName,
    (id) => queue.toKey(id),
    queue.toKey('active'),
    () => cluster.liveWorkers().map((w) => w.pid),
    t0,
  );
  await watcher.start();
  const first = Array.from({ length: W }, () => cluster.startWorker());
  const ready = await Promise.all(first.map((w) => cluster.workerReady(w)));
  if (ready.some((r) => !r))
    throw new Error(`a worker did not start:\n${first.map((w) => tail(w.log, 10)).join('\n')}`);
  log(`${W} workers ready (${first.map((w) => `${w.name} pid ${w.pid}`).join(', ')})`);

  // Children that die by themselves are findings; the run replaces them and goes on.
  const supervisor = setInterval(() => {
    for (const c of cluster.children) {
      if (c.exit === null || c.expected || unexpected.some((u) => u.name === c.name)) continue;
      unexpected.push({ name: c.name, exit: c.exit, log: tail(c.log, 30), at: c.exit.at - t0 });
      log(`UNEXPECTED: ${c.name} exited (${JSON.stringify(c.exit)})`);
      if (c.kind === 'worker') startReplacement();
      if (c.kind === 'api' && !stopping) background.push(cluster.startApi().catch(() => undefined));
    }
  }, 500);

  const submitting = submitter();
  const tripleDone = tripleKill();
  const { outOfWork } = await faultLoop();
  await tripleDone;
  await submitting;
  if (aborted) throw new Aborted();
  log(`faults done: ${kills.length} kills, ${restarts.length} Redis restarts; waiting for every job to end`);

  // Every accepted job completed or failed (through the API, as a client would see it).
  const finalStates = new Map<string, string>();
  const finalEnd = Date.now() + finalTimeoutMs;
  let lastReport = 0;
  for (;;) {
    const open = submissions.filter((s) => s.outcome === 'accepted' && !finalStates.has(s.jobId!));
    if (open.length === 0 || Date.now() > finalEnd || aborted) break;
    for (const s of open) {
      const a = await client.request('GET', `/v1/jobs/${s.jobId}`, '/v1/jobs/:id', {
        key: apiKeys.get(s.tenant)!,
        timeoutMs: 5000,
      });
      const state = (a.body as { state?: string } | null)?.state;
      if (a.status === 200 && (state === 'completed' || state === 'failed' || state === 'cancelled'))
        finalStates.set(s.jobId!, state);
    }
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      log(`${open.length} job(s) not ended yet`);
    }
    await sleep(2000);
  }
  await Promise.all(background);
  clearInterval(supervisor);
  if (aborted) throw new Aborted();
  const endedAt = Date.now();

  // The accounting.
  const accepted = submissions.filter((s) => s.outcome === 'accepted');
  const plans: PlanOutcome[] = await accountPlans(admin, queue, client, prefix, accepted, (t) =>
    apiKeys.get(t)!,
  );
  const stray = await strayPlans(admin, prefix, submissions);
  for (const r of restarts) {
    const from = r.stoppedAt - 1000;
    const to = r.stoppedAt + r.downMs + 2 * lockMs + 5000;
    r.locksLost = r.activeAtStop.filter((id) =>
      (watcher.timeline.get(id) ?? []).some((e) => e.event === 'stalled' && e.t >= from && e.t <= to),
    );
  }
  const count = (v: PlanOutcome['verdict']) => plans.filter((p) => p.verdict === v).length;
  const lost = plans.filter((p) => p.verdict === 'lost');
  const duplicated = plans.filter((p) => p.verdict === 'duplicate');
  const unfinished = plans.filter((p) => p.verdict === 'unfinished');
  const odd = plans.filter((p) => p.verdict === 'odd');
  const failedJobs = plans.filter((p) => p.jobState === 'failed');
  const ourSubs = submissions.filter((s) => s.index >= 0);
  const retries = ourSubs.reduce((n, s) => n + s.attempts - 1, 0);
  const reasons: Record<string, number> = {};
  for (const s of ourSubs) for (const why of s.retryReasons) reasons[why] = (reasons[why] ?? 0) + 1;
  const takeovers = kills.filter((k) => k.takeoverMs !== undefined).map((k) => k.takeoverMs!);
  const stallDetect = kills.filter((k) => k.stalledEventMs !== undefined).map((k) => k.stalledEventMs!);
  const takenOver = kills.filter((k) => k.outcome === 'taken-over');
  const withCheckpoint = takenOver.filter((k) => k.checkpointElapsedMs !== null);
  const resumed = takenOver.filter((k) => typeof k.resumedFrom === 'number');
  const allProbes = restarts.flatMap((r) => [
    ...r.probes.post.map((p) => ({ ...p, route: 'POST /v1/plans' })),
    ...r.probes.readyz.map((p) => ({ ...p, route: 'GET /readyz' })),
  ]);
  const badProbes = allProbes.filter((p) => p.status !== 503 || p.ms > 1000);
  const slowTakeovers = kills.filter((k) => k.takeoverMs !== undefined && k.takeoverMs > 2 * lockMs);
  const noTakeover = kills.filter((k) => k.outcome === 'none');

  // Findings, with evidence from the timelines and logs.
  const defects: { kind: string; what: string; evidence?: unknown }[] = [];
  // Jobs that became active while a killed job waited to be taken over (moved back, not yet active).
  const takenFirst = (k: KillRecord) => {
    if (k.stalledEventMs === undefined || k.takeoverMs === undefined) return [];
    const from = k.killedAt + k.stalledEventMs;
    const to = k.killedAt + k.takeoverMs - 150;
    const found: { jobId: string; activeAt: number; movedBackAt: number | null }[] = [];
    for (const [id, events] of watcher.timeline)
      for (const e of events)
        if (id !== k.jobId && e.event === 'active' && e.t > from && e.t < to) {
          const back = events.filter((x) => x.event === 'stalled' && x.t <= e.t).pop();
          found.push({ jobId: id, activeAt: e.t, movedBackAt: back?.t ?? null });
        }
    return found.sort((a, b) => a.activeAt - b.activeAt);
  };
  const jobEvidence = (jobId: string) => ({
    timeline: watcher.timeline.get(jobId) ?? [],
    kills: kills.filter((k) => k.jobId === jobId),
    logs: excerpt(jobId),
  });
  for (const p of lost)
    defects.push({
      kind: 'loss',
      what: `plan ${p.planId} (job ${p.jobId}): ${p.why}`,
      evidence: jobEvidence(p.jobId),
    });
  for (const p of duplicated)
    defects.push({
      kind: 'duplicate',
      what: `plan ${p.planId} (job ${p.jobId}): ${p.why}`,
      evidence: jobEvidence(p.jobId),
    });
  for (const p of unfinished)
    defects.push({
      kind: 'hang',
      what: `plan ${p.planId} (job ${p.jobId}): ${p.why} after ${finalTimeoutMs / 1000} s`,
      evidence: jobEvidence(p.jobId),
    });
  for (const p of odd)
    defects.push({
      kind: 'odd',
      what: `plan ${p.planId} (job ${p.jobId}): ${p.why}`,
      evidence: jobEvidence(p.jobId),
    });
  for (const p of failedJobs.filter((x) => x.verdict !== 'lost'))
    defects.push({
      kind: 'failed job',
      what: `job ${p.jobId}: ${p.failedReason}`,
      evidence: jobEvidence(p.jobId),
    });
  for (const e of client.serverErrors)
    defects.push({ kind: '5xx', what: `${e.route} answered ${e.status}`, evidence: e });
  for (const p of badProbes)
    defects.push({
      kind: 'outage answer',
      what: `${p.route} during a Redis outage: ${p.status} in ${p.ms} ms (wanted 503 within 1 s)`,
    });
  for (const k of slowTakeovers)
    defects.push({
      kind: 'slow takeover',
      what: `kill #${k.n} of ${k.jobId}: active again after ${secs(k.takeoverMs!)} s (> 2 x lock = ${secs(2 * lockMs)} s; moved back to wait after ${k.stalledEventMs === undefined ? '?' : secs(k.stalledEventMs)} s, then ${takenFirst(k).length} other job(s) were taken first)`,
      evidence: { ...jobEvidence(k.jobId), takenFirst: takenFirst(k) },
    });
  for (const k of noTakeover)
    defects.push({
      kind: 'no takeover',
      what: `kill #${k.n} of ${k.jobId}: not active again within 240 s`,
      evidence: jobEvidence(k.jobId),
    });
  for (const u of unexpected)
    defects.push({
      kind: 'process exit',
      what: `${u.name} exited by itself: ${JSON.stringify(u.exit)}`,
      evidence: u.log,
    });
  for (const s of ourSubs.filter((x) => x.outcome !== 'accepted'))
    defects.push({
      kind: 'submission',
      what: `plan ${s.index} (${s.key}): ${s.outcome}, last answer ${JSON.stringify(s.lastAnswer).slice(0, 300)}`,
    });
  for (const m of stray.keyMismatches) defects.push({ kind: 'idempotency', what: m });
  for (const o of stray.orphans)
    defects.push({
      kind: 'orphan plan',
      what: `plan ${o.planId} of ${o.tenant} (${o.versions} versions) was never answered to a client`,
    });
  for (const r of restarts.filter((x) => x.readyAgainMs === null))
    defects.push({ kind: 'recovery', what: `after Redis restart #${r.n} the API was not ready within 60 s` });

  const targets = {
    kills: kills.length >= K,
    redisRestarts: restarts.length >= R,
    tripleKill: triple.done,
  };
  const result = {
    when: new Date(t0).toISOString(),
    durationS: Math.round((endedAt - t0) / 1000),
    config: {
      workers: W,
      plans: P,
      kills: K,
      redisRestarts: R,
      lockMs,
      lockFromEnv: lockOption !== undefined,
      jobAttempts: JOB_ATTEMPTS,
      sizes: [SMALL, BIG],
      timeLimitsS: [...new Set(specs.map((s) => s.timeLimit))].sort(),
      tenants: TENANTS,
      seed: Number(values.seed),
      redis: 'appendonly yes, appendfsync always, save "", maxmemory-policy noeviction',
    },
    targets,
    outOfWork,
    submissions: {
      plans: ourSubs.length,
      accepted: ourSubs.filter((s) => s.outcome === 'accepted').length,
      acceptedExisting: ourSubs.filter((s) => s.status === 'existing').length,
      rejected: ourSubs.filter((s) => s.outcome === 'rejected').length,
      unanswered: ourSubs.filter((s) => s.outcome === 'unanswered').length,
      attempts: ourSubs.reduce((n, s) => n + s.attempts, 0),
      retries,
      retriedSubmissions: ourSubs.filter((s) => s.attempts > 1).length,
      retryReasons: reasons,
      probePlansAccepted: submissions.filter((s) => s.index < 0).length,
    },
    plans: {
      accepted: plans.length,
      ok: count('ok'),
      duplicated: duplicated.length,
      lost: lost.length,
      unfinished: unfinished.length,
      odd: odd.length,
      jobsFailed: failedJobs.length,
      failedReasons: failedJobs.map((p) => ({ jobId: p.jobId, reason: p.failedReason })),
      stalledCounters: Object.fromEntries(
        [...new Set(plans.map((p) => p.stalledCounter))]
          .sort()
          .map((n) => [n, plans.filter((p) => p.stalledCounter === n).length]),
      ),
      checkpointsLeft: plans.filter((p) => p.checkpointLeft).length,
      orphans: stray.orphans,
      stagedLeft: stray.pending,
    },
    kills: {
      total: kills.length,
      takenOver: takenOver.length,
      finishedBeforeTakeover: kills.filter((k) => k.outcome === 'finished').length,
      noTakeover: noTakeover.length,
      takeoverMs: stats(takeovers),
      stalledEventMs: stats(stallDetect),
      over2xLock: slowTakeovers.length,
      killedAfterCheckpoint: withCheckpoint.length,
      resumedFromCheckpoint: resumed.length,
      list: kills,
    },
    tripleKill: {
      jobId: triple.jobId,
      done: triple.done,
      takeoverMs: triple.kills.map((k) => k.takeoverMs ?? null),
      resumedFrom: triple.kills.map((k) => k.resumedFrom ?? null),
      plan: plans.find((p) => p.jobId === triple.jobId) ?? null,
      timeline: triple.jobId === null ? [] : (watcher.timeline.get(triple.jobId) ?? []),
    },
    redisRestarts: restarts.map((r) => ({
      n: r.n,
      atS: Number(secs(r.stoppedAt)),
      downMs: r.downMs,
      activeAtStop: r.activeAtStop.length,
      locksLost: r.locksLost?.length ?? 0,
      readyAgainMs: r.readyAgainMs,
      notReady: r.notReady,
      locksLostJobs: r.locksLost ?? [],
      post: {
        count: r.probes.post.length,
        statuses: [...new Set(r.probes.post.map((p) => p.status))],
        maxMs: Math.max(0, ...r.probes.post.map((p) => p.ms)),
      },
      readyz: {
        count: r.probes.readyz.length,
        statuses: [...new Set(r.probes.readyz.map((p) => p.status))],
        maxMs: Math.max(0, ...r.probes.readyz.map((p) => p.ms)),
      },
    })),
    apiAnswers: Object.fromEntries([...client.statuses.entries()].sort()),
    workerLogLines: logLines(),
    timelines: Object.fromEntries(watcher.timeline),
    monitor: {
      lines: watcher.monitorLines,
      workerTokensMapped: watcher.uuidPid.size,
      pollErrors: watcher.pollErrors,
    },
    defects,
    planList: plans.map((p) => ({
      planId: p.planId,
      jobId: p.jobId,
      tenant: p.tenant,
      size: p.size,
      timeLimit: p.timeLimit,
      verdict: p.verdict,
      versions: p.versions,
      jobState: p.jobState,
      attemptsStarted: p.attemptsStarted,
      stalled: p.stalledCounter,
      kills: killsOf.get(p.jobId) ?? 0,
      resumedFrom: p.resumedFrom,
    })),
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');

  // The summary.
  const st = (x: ReturnType<typeof stats>) =>
    x === null ? '-' : `${secs(x.min)} / ${secs(x.median)} / ${secs(x.p90)} / ${secs(x.max)} s (n=${x.n})`;
  const sub = result.submissions;
  const out: string[] = [];
  out.push(
    '',
    `Fault injection: ${W} worker processes, lock ${lockMs} ms${lockOption === undefined ? ' (default)' : ''}, ${P} plans, ${result.durationS} s`,
    '',
  );
  out.push(
    table([
      [
        'plans submitted / accepted (202)',
        `${sub.plans} / ${sub.accepted}${sub.acceptedExisting ? ` (${sub.acceptedExisting} answered 'existing' on a retry)` : ''}`,
      ],
      ['rejected / unanswered', `${sub.rejected} / ${sub.unanswered}`],
      [
        'POST attempts / retries (same key)',
        `${sub.attempts} / ${sub.retries} over ${sub.retriedSubmissions} submissions ${JSON.stringify(sub.retryReasons)}`,
      ],
      ['one version, job completed', `${result.plans.ok} of ${plans.length}`],
      ['duplicated', duplicated.length],
      ['lost', lost.length],
      ['unfinished (hang)', unfinished.length],
      [
        'jobs failed',
        `${failedJobs.length}${failedJobs.length ? ` ${JSON.stringify(result.plans.failedReasons)}` : ''}`,
      ],
      ['stalls per job (count: jobs)', JSON.stringify(result.plans.stalledCounters)],
      ['worker SIGKILLs (holding an active job)', `${kills.length} (target ${K})`],
      [
        'taken over on another worker',
        `${takenOver.length}; ended before: ${result.kills.finishedBeforeTakeover}; never: ${noTakeover.length}`,
      ],
      ['takeover kill->active min/med/p90/max', st(result.kills.takeoverMs)],
      ['kill->moved back to wait (stalled)', st(result.kills.stalledEventMs)],
      ['takeovers over 2 x lock', `${slowTakeovers.length} (limit ${secs(2 * lockMs)} s)`],
      [
        'resumed from checkpoint',
        `${resumed.length} of ${takenOver.length} taken over (${withCheckpoint.length} killed after a checkpoint)`,
      ],
      [
        'same job killed three times',
        triple.jobId === null
          ? 'not done'
          : `${short(triple.jobId)}: takeovers ${triple.kills.map((k) => (k.takeoverMs === undefined ? '-' : `${secs(k.takeoverMs)} s`)).join(', ')}; ${result.tripleKill.plan ? `${result.tripleKill.plan.jobState}, ${result.tripleKill.plan.versions} version(s), ${result.tripleKill.plan.stalledCounter} stalls` : '?'}`,
      ],
      [
        'Redis restarts (jobs active)',
        `${restarts.length} (target ${R}): ${restarts.map((r) => `${secs(r.downMs)} s down, ${r.activeAtStop.length} active, ${r.locksLost?.length ?? 0} locks lost`).join('; ')}`,
      ],
      [
        'outage probes POST /v1/plans',
        `${allProbes.filter((p) => p.route === 'POST /v1/plans').length}: ${[...new Set(allProbes.filter((p) => p.route === 'POST /v1/plans').map((p) => p.status))].join('/')}, max ${Math.max(0, ...allProbes.filter((p) => p.route === 'POST /v1/plans').map((p) => p.ms))} ms`,
      ],
      [
        'outage probes GET /readyz',
        `${allProbes.filter((p) => p.route === 'GET /readyz').length}: ${[...new Set(allProbes.filter((p) => p.route === 'GET /readyz').map((p) => p.status))].join('/')}, max ${Math.max(0, ...allProbes.filter((p) => p.route === 'GET /readyz').map((p) => p.ms))} ms`,
      ],
      [
        'API ready again after Redis up',
        restarts.map((r) => (r.readyAgainMs === null ? 'never' : `${secs(r.readyAgainMs)} s`)).join(', ') ||
          '-',
      ],
      ['orphan plans / staged writes left', `${stray.orphans.length} / ${stray.pending}`],
      ['API 5xx other than 503', client.serverErrors.length],
    ]),
  );
  out.push('', 'Kills:');
  out.push(
    grid(
      [
        '#',
        'kind',
        'job',
        'size',
        'limit',
        'worker',
        'active',
        'ckpt',
        'stalled@',
        'active@',
        'by',
        'resumed',
      ],
      kills.map((k) => [
        k.n,
        k.kind,
        short(k.jobId),
        k.size === BIG ? '600v' : '40v',
        `${k.timeLimit} s`,
        k.worker,
        `${secs(k.activeForMs)} s`,
        k.checkpointElapsedMs === null ? '-' : `${secs(k.checkpointElapsedMs)} s`,
        k.stalledEventMs === undefined ? '-' : `${secs(k.stalledEventMs)} s`,
        k.takeoverMs === undefined ? k.outcome : `${secs(k.takeoverMs)} s`,
        k.by ?? '-',
        k.resumedFrom === undefined ? '?' : k.resumedFrom === null ? 'no' : 'yes',
      ]),
    ),
  );
  out.push('', 'API answers:');
  out.push(table([...client.statuses.entries()].sort().map(([k, v]) => [k, v])));
  const noted = Object.entries(result.workerLogLines).sort((a, b) => b[1] - a[1]);
  if (noted.length > 0) {
    out.push('', 'Log lines of the API (warnings up) and workers (count):');
    out.push(table(noted.slice(0, 12).map(([k, v]) => [String(v).padStart(5), k])));
  }
  if (!targets.kills || !targets.redisRestarts || !targets.tripleKill)
    out.push(
      '',
      `TARGETS NOT REACHED ${JSON.stringify(targets)}${outOfWork ? ': every job ended first (more --plans)' : ''}`,
    );
  out.push('', defects.length === 0 ? 'Findings: none' : `Findings (${defects.length}):`);
  for (const d of defects) out.push(`  - ${d.kind}: ${d.what}`);
  out.push('', `Written ${outFile}`);
  process.stdout.write(out.join('\n') + '\n');
  if (lost.length > 0 || duplicated.length > 0) exitCode = 1;
  if (defects.length > 0) keepLogs = true;
} catch (e) {
  if (e instanceof Aborted || aborted) await new Promise(() => undefined); // the signal handler ends the process
  process.stderr.write(`faults: ${(e as Error).stack ?? String(e)}\n`);
  exitCode = 2;
  keepLogs = true;
} finally {
  if (!exiting) {
    exiting = true;
    await teardown(keepLogs);
    if (keepLogs) process.stdout.write(`logs kept in ${logsCopy}\n`);
  }
}
process.exit(exitCode);
