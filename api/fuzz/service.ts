/** The service under test, its API keys, and the fixtures requests are made of. */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createStop, type Plan, solve, type ProblemInput } from '../../solver/index.ts';
import type { PlanStore } from '../../service/plan-store.ts';
import type { SolveQueue } from '../../service/solve-queue.ts';
import { createApiKey, revokeApiKey } from '../../service/api-keys.ts';
import { DEFAULT_SERVICE_LIMITS, type ServiceLimits } from '../limits.ts';

/** What the fuzzer needs of the service (api/test-service.ts gives it; use `worker: false`). */
export interface FuzzService {
  prefix: string;
  queueName: string;
  redis: Redis;
  store: Pick<PlanStore, 'addVersion'>;
  queue: Pick<SolveQueue, 'getJobCounts' | 'obliterate' | 'toKey'>;
}

/** The app's limits for fuzzing: the service's own, with rate limits out of the way. */
export const FUZZ_LIMITS: ServiceLimits = {
  ...DEFAULT_SERVICE_LIMITS,
  requestsPerMinute: 1e9,
  authFailuresPerMinute: 1e9,
};

/** API keys of two tenants: a coordinator and a nurse of the first, a coordinator of the second, a revoked key. */
export interface FuzzKeys {
  tenant: string;
  otherTenant: string;
  coordinator: string;
  nurse: string;
  /** The nurse's id in the fixtures (example-day.json). */
  nurseId: string;
  other: string;
  revoked: string;
}

export async function createFuzzKeys(
  svc: Pick<FuzzService, 'redis' | 'prefix'>,
  tenants: { tenant: string; otherTenant: string } = { tenant: 'fuzz-a', otherTenant: 'fuzz-b' },
): Promise<FuzzKeys> {
  const { redis, prefix } = svc;
  const { tenant, otherTenant } = tenants;
  const nurseId = 'claire';
  const revoked = await createApiKey(redis, { tenant, role: 'coordinator' }, prefix);
  await revokeApiKey(redis, revoked, prefix);
  return {
    tenant,
    otherTenant,
    coordinator: await createApiKey(redis, { tenant, role: 'coordinator' }, prefix),
    nurse: await createApiKey(redis, { tenant, role: 'nurse', nurse: nurseId }, prefix),
    nurseId,
    other: await createApiKey(redis, { tenant: otherTenant, role: 'coordinator' }, prefix),
    revoked,
  };
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const fixture = (name: string): JsonObject =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/care/${name}.json`, import.meta.url), 'utf8'),
  ) as JsonObject;

export const BASES = { 'example-day': fixture('example-day'), 'had-5n-40v': fixture('had-5n-40v') };
export type BaseName = keyof typeof BASES;
export const DAY = BASES['example-day'];
export const DAY_TEXT = JSON.stringify(DAY);
export const DAY_NURSES = (DAY.nurses as JsonObject[]).map((n) => String(n.id));
export const DAY_VISITS = (DAY.visits as JsonObject[]).map((v) => String(v.id));

export let solvedDay: Plan | null = null;
/** A plan of example-day.json, solved once per process (a short deterministic search). */
export function solvedPlan(): Plan {
  solvedDay ??= solve(DAY as unknown as ProblemInput, { seed: 1, stop: createStop({ iterations: 30 }) }).plan;
  return solvedDay;
}
