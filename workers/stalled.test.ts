import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { PlanStore } from './plan-store.ts';
import { type QueueJobData, redisConnection, type SolveJobData, type SolveJobResult } from './solve-queue.ts';
import { startWorker, type WorkerHandle } from './start-worker.ts';

const run = randomBytes(4).toString('hex');
const prefix = `hhctest:${run}`;
const queueName = `hhc-solve-test-${run}`;
const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const day = JSON.parse(readFileSync(new URL('../fixtures/care/had-5n-40v.json', import.meta.url), 'utf8'));
const redis = new Redis(connection as never);
const queue = new Queue<QueueJobData, SolveJobResult>(queueName, { connection });
let child: ChildProcess | null = null;
let rescuer: WorkerHandle | null = null;

afterAll(async () => {
  child?.kill('SIGKILL');
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

describe('a worker process killed mid-solve', () => {
  it('leaves a stalled job that another worker takes over and finishes; no plan is lost', async () => {
    const store = new PlanStore(redis, prefix);
    const { id: planId } = await store.createPlan('had-lille', day);
    const data: SolveJobData = { tenant: 'had-lille', planId, kind: 'solve', timeLimit: 3, seed: 1 };
    const job = await queue.add('solve', data, { attempts: 3 });
    child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))],
      {
        env: { ...process.env, HHC_QUEUE: queueName, HHC_PREFIX: prefix, WORKER_LOCK_MS: '2000' },
        stdio: 'ignore',
      },
    );
    const active = await until(
      () => queue.getJob(job.id!).then((j) => j?.getState()),
      (s) => s === 'active',
      20_000,
    );
    expect(active).toBe('active');
    await new Promise((r) => setTimeout(r, 500)); // mid-solve
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = null;
    rescuer = await startWorker({ connection, store, queueName, lockDuration: 2000 });
    const state = await until(
      () => queue.getJob(job.id!).then((j) => j?.getState()),
      (s) => s === 'completed',
      30_000,
    );
    expect(state).toBe('completed');
    const version = await store.getVersion('had-lille', planId);
    expect(version).toMatchObject({ version: 1, status: 'solved' });
    expect(version!.plan.summary.unassigned).toBeGreaterThanOrEqual(0);
    const finished = await queue.getJob(job.id!);
    expect((finished?.stalledCounter ?? 0) + (finished?.attemptsMade ?? 0)).toBeGreaterThan(0);
  });
});

describe('failures', () => {
  it('an invalid stored problem fails at once, without retries', async () => {
    const store = new PlanStore(redis, prefix);
    const { id: planId } = await store.createPlan('had-lille', { nurses: [], visits: [] } as never);
    const job = await queue.add(
      'solve',
      { tenant: 'had-lille', planId, kind: 'solve', timeLimit: 1, seed: 1 },
      { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
    );
    rescuer ??= await startWorker({ connection, store, queueName, lockDuration: 2000 });
    const state = await until(
      () => queue.getJob(job.id!).then((j) => j?.getState()),
      (s) => s === 'failed',
      20_000,
    );
    expect(state).toBe('failed');
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/invalid problem/);
  });
});
