/**
 * The store's staged writes on real Redis: what an undo leaves, and what concurrent requests
 * with one Idempotency-Key or one day end with (issue 11; cases found by review and fuzzing).
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { stageAndQueue, TenantBusyError } from './enqueue.ts';
import { PlanStore } from './plan-store.ts';
import { type QueueJobData, redisConnection, type SolveJobResult } from './solve-queue.ts';
import { redisTenantSlots, unlimitedSlots } from './tenant-slots.ts';

const run = randomBytes(4).toString('hex');
const prefix = `hhctest:${run}`;
const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const redis = new Redis(connection as never);
const store = new PlanStore(redis, prefix);
const queue = new Queue<QueueJobData, SolveJobResult>(`hhc-solve-test-${run}`, { connection });
const problem = JSON.stringify({ nurses: [{ id: 'a', start: { x: 0, y: 0 } }], visits: [] });
const solve = (s: { planId: string; problem: number }) => ({
  tenant: 't',
  planId: s.planId,
  kind: 'solve' as const,
  timeLimit: 1,
  seed: 1,
  problem: s.problem,
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('undoing a staged write', () => {
  it('a refused re-plan gives its problem number back and the plan its job', async () => {
    const first = await store.stage('t', { mode: 'new' }, problem, queue.toKey(''));
    await store.commit(first.ticket);
    const replan = await store.stage('t', { mode: 'add', planId: first.planId }, problem, queue.toKey(''));
    expect(replan.problem).toBe(2);
    expect(await store.unstage(replan.ticket)).toBe('removed');
    const record = await redis.hgetall(`${prefix}:t:t:plan:${first.planId}`);
    expect(record).toMatchObject({ problems: '1', current: '1', jobId: first.jobId });
    expect(await store.getProblemText('t', first.planId, 2)).toBeNull();
  });

  it('the undo of a day whose plan a later request added to keeps the plan and the day', async () => {
    const died = await store.stage('t', { mode: 'day', day: '2027-01-04' }, problem, queue.toKey(''));
    const retry = await store.stage('t', { mode: 'day', day: '2027-01-04' }, problem, queue.toKey(''));
    expect(retry.planId).toBe(died.planId);
    await store.commit(retry.ticket);
    expect(await store.unstage(died.ticket)).toBe('removed'); // what the sweep does
    expect(await store.dayPlan('t', '2027-01-04')).toBe(died.planId);
    expect(await store.getRecord('t', died.planId)).not.toBeNull();
    expect((await store.getProblemText('t', died.planId))?.number).toBe(2);
  });

  it('an undo after the job was queued commits instead', async () => {
    const staged = await store.stage('t', { mode: 'new' }, problem, queue.toKey(''));
    await queue.add('solve', solve(staged), { jobId: staged.jobId });
    expect(await store.unstage(staged.ticket)).toBe('committed');
    expect((await store.getProblemText('t', staged.planId))?.number).toBe(1);
  });
});

describe('one Idempotency-Key under concurrency', () => {
  it('a replay while the first request fails waits, then makes the plan itself: never 202 for a plan that is gone', async () => {
    const idempotency = { key: `race-${run}`, fingerprint: 'f' };
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slowFailing = Object.assign(Object.create(queue) as typeof queue, {
      add: async () => {
        await gate;
        throw new Error('Connection is closed.');
      },
    });
    const first = stageAndQueue(
      { store, queue: slowFailing, slots: unlimitedSlots },
      't',
      { mode: 'new', idempotency },
      problem,
      solve,
    );
    await new Promise((r) => setTimeout(r, 50));
    const replay = stageAndQueue(
      { store, queue, slots: unlimitedSlots },
      't',
      { mode: 'new', idempotency },
      problem,
      solve,
    );
    await new Promise((r) => setTimeout(r, 100));
    release();
    await expect(first).rejects.toThrow(/Connection is closed/);
    const second = await replay;
    expect(second.status).toBe('created');
    expect(await store.getRecord('t', second.planId)).not.toBeNull();
    expect(await queue.getJob(second.jobId)).toBeDefined();
  });
});

describe('a replay after its first request died between its two steps', () => {
  it('settles the abandoned stage itself and makes the plan, instead of answering 409 until the sweep', async () => {
    const idempotency = { key: `abandoned-${run}`, fingerprint: 'f' };
    const died = await store.stage('t', { mode: 'new', idempotency }, problem, queue.toKey(''));
    // Staged 20 s ago by Redis's clock, never queued nor undone.
    const [seconds] = await redis.time();
    await redis.zadd(`${prefix}:pending`, 'XX', Number(seconds) * 1000 - 20_000, died.ticket);
    const replay = await stageAndQueue(
      { store, queue, slots: unlimitedSlots },
      't',
      { mode: 'new', idempotency },
      problem,
      solve,
    );
    expect(replay.status).toBe('created');
    expect(replay.planId).not.toBe(died.planId);
    expect(await store.getRecord('t', died.planId)).toBeNull();
    expect(await queue.getJob(replay.jobId)).toBeDefined();
  });
});

describe('tenant caps', () => {
  it('reservations made at once count each other before their jobs exist', async () => {
    const slots = redisTenantSlots(redis, {
      prefix,
      jobKeyPrefix: queue.toKey(''),
      limits: { maxQueued: 1, maxRunning: 1 },
    });
    const got = await Promise.all(['j1', 'j2', 'j3'].map((j) => slots.reserveQueued('capped', j)));
    expect(got.filter(Boolean)).toHaveLength(1);
  });

  it('a submission over the cap leaves nothing', async () => {
    const slots = redisTenantSlots(redis, {
      prefix,
      jobKeyPrefix: queue.toKey(''),
      limits: { maxQueued: 0, maxRunning: 1 },
    });
    const before = (await redis.keys(`${prefix}:t:full:*`)).sort();
    await expect(
      stageAndQueue({ store, queue, slots }, 'full', { mode: 'new' }, problem, solve),
    ).rejects.toThrow(TenantBusyError);
    expect((await redis.keys(`${prefix}:t:full:*`)).sort()).toEqual(before);
  });
});

describe('a version that must follow another', () => {
  it('is written only while the plan has that latest version (an applied option), in Redis and in memory', async () => {
    const { MemoryPlanStore } = await import('./memory-store.ts');
    for (const s of [store, new MemoryPlanStore()]) {
      const staged = await stageAndQueue(
        { store: s, queue, slots: unlimitedSlots },
        't',
        { mode: 'new' },
        problem,
        solve,
      );
      const plan = { summary: {}, routes: [], unassigned: [] } as never;
      const v = (jobId: string) => ({ status: 'solved' as const, jobId, plan, problem: 1 });
      expect(await s.addVersion('t', staged.planId, v('j1'))).toEqual({ status: 'written', version: 1 });
      expect(await s.addVersion('t', staged.planId, v('apply-a'), undefined, 1)).toEqual({
        status: 'written',
        version: 2,
      });
      // A second option chosen on version 1 comes too late: nothing is written.
      expect(await s.addVersion('t', staged.planId, v('apply-b'), undefined, 1)).toEqual({ status: 'stale' });
      expect((await s.getRecord('t', staged.planId))!.versions).toBe(2);
    }
  });
});

describe('the index of plans', () => {
  it('lists a tenant’s plans newest first, those stored before the index too (once), none of another tenant', async () => {
    const base = `${prefix}:t:idx`;
    // A plan stored before the index existed: its record only.
    await redis.hset(
      `${base}:plan:old-one`,
      'createdAt',
      '2026-11-30T08:00:00.000Z',
      'versions',
      1,
      'problems',
      1,
      'current',
      1,
    );
    await redis.set(`${base}:plan:old-one:problem:1`, problem);
    const made = await store.stage('idx', { mode: 'new' }, problem, queue.toKey(''));
    await store.commit(made.ticket);
    await store.stage('other', { mode: 'new' }, problem, queue.toKey(''));
    const ids = (await store.listPlans('idx', 10)).map((p) => p.id);
    expect(ids).toEqual([made.planId, 'old-one']);
    expect(await redis.get(`${base}:plans:indexed`)).toBe('1');
    // Once: a later plan without the index is not looked for again.
    await redis.hset(`${base}:plan:late-one`, 'createdAt', '2026-11-29T08:00:00.000Z');
    expect((await store.listPlans('idx', 10)).map((p) => p.id)).toEqual([made.planId, 'old-one']);
    expect((await store.listPlans('idx', 1)).map((p) => p.id)).toEqual([made.planId]);
  });
});
