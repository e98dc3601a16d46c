import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { requestCancel } from '../service/cancel.ts';
import { solveJobOptions } from '../service/enqueue.ts';
import { PlanStore } from '../service/plan-store.ts';
import {
  type QueueJobData,
  redisConnection,
  type SolveJobData,
  type SolveJobResult,
} from '../service/solve-queue.ts';
import { startWorker, type WorkerHandle } from './start-worker.ts';

const run = randomBytes(4).toString('hex');
const prefix = `hhctest:${run}`;
const queueName = `hhc-solve-test-${run}`;
const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const big = readFileSync(new URL('../fixtures/care/had-60n-600v.json', import.meta.url), 'utf8');
const redis = new Redis(connection as never);
const store = new PlanStore(redis, prefix);
const queue = new Queue<QueueJobData, SolveJobResult>(queueName, { connection });
const children: ChildProcess[] = [];
let rescuer: WorkerHandle | null = null;

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rescuer?.close();
  await queue.obliterate({ force: true });
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const until = async <T>(f: () => Promise<T>, ok: (x: T) => boolean, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const x = await f();
    if (ok(x) || Date.now() > end) return x;
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A plan stored and its solve queued, as the API does it (`validated`: stored as the API's checker returned it). */
async function submit(problem: string, timeLimit: number, validated = false) {
  const staged = await store.stage('had-lille', { mode: 'new' }, problem);
  const data: SolveJobData = {
    tenant: 'had-lille',
    planId: staged.planId,
    kind: 'solve',
    timeLimit,
    seed: 1,
    problem: 1,
    ...(validated && { validated: true }),
  };
  await queue.add('solve', data, {
    ...solveJobOptions(data, staged.jobId),
    backoff: { type: 'fixed', delay: 100 },
  });
  await store.commit(staged.ticket);
  return staged;
}

const workerProcess = () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))],
    {
      env: { ...process.env, HHC_QUEUE: queueName, HHC_PREFIX: prefix, WORKER_LOCK_MS: '2000' },
      stdio: 'ignore',
    },
  );
  children.push(child);
  return child;
};
const kill = async (child: ChildProcess) => {
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
};

describe('worker processes killed mid-solve', () => {
  it('the same job killed twice is taken over each time, goes on from its checkpoint, and ends with exactly one version', async () => {
    const { planId, jobId } = await submit(big, 8);
    let lastSpent = 0;
    for (let death = 1; death <= 2; death++) {
      const child = workerProcess();
      // Running here, with a checkpoint newer than the last one (saved every 3 s).
      const checkpoint = await until(
        () => store.getCheckpoint('had-lille', planId, jobId),
        (c) => c !== null && c.elapsedMs > lastSpent + 500,
        40_000,
      );
      expect(checkpoint).not.toBeNull();
      lastSpent = checkpoint!.elapsedMs;
      await kill(child);
    }
    rescuer = await startWorker({ connection, store, queueName, lockDuration: 2000, log: () => undefined });
    const state = await until(
      () => queue.getJob(jobId).then((j) => j?.getState()),
      (s) => s === 'completed' || s === 'failed',
      60_000,
    );
    expect(state).toBe('completed');
    const job = await queue.getJob(jobId);
    expect(job?.stalledCounter).toBeGreaterThanOrEqual(2);
    // The last run started from the checkpoint and only had the time left.
    expect((job?.progress as { resumedFrom?: number }).resumedFrom).toBeGreaterThan(0);
    const record = await store.getRecord('had-lille', planId);
    expect(record?.versions).toBe(1);
    const version = await store.getVersion('had-lille', planId);
    expect(version).toMatchObject({ version: 1, status: 'solved', jobId });
    expect(version!.plan.summary.cost).toBeLessThanOrEqual(
      (job?.progress as { resumedFrom: number }).resumedFrom + 1e-6,
    );
    expect(await store.getCheckpoint('had-lille', planId, jobId)).toBeNull();
  });
});

describe('a version is written once per job, and only under its lock', () => {
  it('a second write of the same job returns the first version; a run without the lock writes nothing', async () => {
    const staged = await store.stage('had-lille', { mode: 'new' }, big);
    await store.commit(staged.ticket);
    const plan = { summary: { cost: 1 }, routes: [], unassigned: [] } as never;
    const body = { status: 'solved' as const, jobId: staged.jobId, plan, problem: 1 };
    const lockKey = `${prefix}:lock-of-test`;
    await redis.set(lockKey, 'token-a');
    expect(await store.addVersion('had-lille', staged.planId, body, { lockKey, token: 'token-b' })).toEqual({
      status: 'lost-lock',
    });
    expect(await store.addVersion('had-lille', staged.planId, body, { lockKey, token: 'token-a' })).toEqual({
      status: 'written',
      version: 1,
    });
    expect(await store.addVersion('had-lille', staged.planId, body, { lockKey, token: 'token-a' })).toEqual({
      status: 'existing',
      version: 1,
    });
    expect((await store.getRecord('had-lille', staged.planId))?.versions).toBe(1);
  });
});

describe('failures', () => {
  it('an invalid stored problem fails at once, without retries', async () => {
    const { jobId } = await submit(JSON.stringify({ nurses: [], visits: [] }), 1);
    rescuer ??= await startWorker({ connection, store, queueName, lockDuration: 2000, log: () => undefined });
    const state = await until(
      () => queue.getJob(jobId).then((j) => j?.getState()),
      (s) => s === 'failed',
      20_000,
    );
    expect(state).toBe('failed');
    const failed = await queue.getJob(jobId);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/invalid problem/);
  });

  it('a stored problem taken as validated that is somehow invalid fails at once with its issues, without retries, and the worker lives on', async () => {
    // Not even nurses: the solver, told the problem was validated, cannot read it.
    const { jobId } = await submit(JSON.stringify({ nurses: 5, visits: [] }), 1, true);
    rescuer ??= await startWorker({ connection, store, queueName, lockDuration: 2000, log: () => undefined });
    const state = await until(
      () => queue.getJob(jobId).then((j) => j?.getState()),
      (s) => s === 'failed',
      20_000,
    );
    expect(state).toBe('failed');
    const failed = await queue.getJob(jobId);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/invalid problem.*\/nurses/);
    // The same worker solves the next job.
    const next = await submit(JSON.stringify(JSON.parse(big)), 1, true);
    expect(
      await until(
        () => queue.getJob(next.jobId).then((j) => j?.getState()),
        (s) => s === 'completed' || s === 'failed',
        30_000,
      ),
    ).toBe('completed');
  });

  it('a job cancelled while no worker ran it (its worker died) stops at once when a worker takes it: its plan is kept, marked cancelled', async () => {
    const staged = await store.stage('had-lille', { mode: 'new' }, big, queue.toKey(''));
    await requestCancel(redis, prefix, queueName, staged.jobId);
    const data: SolveJobData = {
      tenant: 'had-lille',
      planId: staged.planId,
      kind: 'solve',
      timeLimit: 60,
      seed: 1,
      problem: 1,
    };
    await queue.add('solve', data, solveJobOptions(data, staged.jobId));
    await store.commit(staged.ticket);
    rescuer ??= await startWorker({ connection, store, queueName, lockDuration: 2000, log: () => undefined });
    const started = Date.now();
    const state = await until(
      () => queue.getJob(staged.jobId).then((j) => j?.getState()),
      (s) => s === 'completed' || s === 'failed',
      30_000,
    );
    expect(state).toBe('completed');
    expect(Date.now() - started).toBeLessThan(20_000); // not its 60 s
    expect(await store.getVersion('had-lille', staged.planId)).toMatchObject({
      status: 'cancelled',
      version: 1,
    });
  });
});
