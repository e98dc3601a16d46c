import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFuzzKeys,
  formatFailure,
  FUZZ_LIMITS,
  type FuzzKeys,
  type FuzzReport,
  REGRESSIONS,
  runFuzz,
} from './fuzz/fuzz-requests.ts';
import { DEFAULT_SERVICE_LIMITS } from './limits.ts';
import { startTestService, type TestService } from './test-service.ts';

// The CI slice of the API fuzzer (api/fuzz/fuzz-requests.ts; the long run is `npm run bench:fuzz`):
// generated and mutated requests to every route, on real Redis, with a worker-less service so
// accepted submissions only queue. Fixed seeds: a failure here replays exactly.

const failuresOf = (report: FuzzReport) =>
  report.failureKinds.map((k) => `${k.count} × ${formatFailure(k.first)}`);

describe('API fuzzing: no 5xx, every 400 names its fields, refused requests leave nothing behind', () => {
  let svc: TestService;
  let keys: FuzzKeys;

  beforeAll(async () => {
    // A small cap on queued jobs, so that the slice also meets tenants over it (429, staged writes undone).
    svc = await startTestService({ worker: false, tenantLimits: { maxQueued: 25, maxRunning: 2 } });
    keys = await createFuzzKeys(svc);
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('1,500 generated requests (seed 20261127)', async () => {
    const app = await svc.app({ limits: FUZZ_LIMITS });
    const report = await runFuzz({ runs: 1500, seed: 20261127, app, svc, keys, resetEvery: 500, log: null });
    expect(failuresOf(report)).toEqual([]);
    expect(report.requests).toBe(1500);
    // The slice reaches past validation: accepted submissions, refusals of every kind.
    for (const status of [200, 202, 400, 401, 403, 404, 413, 415])
      expect(report.byStatus[status], `status ${status}`).toBeGreaterThan(0);
    expect(Object.keys(report.byRoute).length).toBeGreaterThanOrEqual(13);
  });

  // Defects the fuzzer found, each as its smallest request (api/fuzz/fuzz-requests.ts, REGRESSIONS).
  it.each(REGRESSIONS.map((r) => [r.name, r] as const))('regression: %s', async (_name, regression) => {
    const app = await svc.app({ limits: FUZZ_LIMITS });
    const report = await runFuzz({
      runs: 1,
      seed: 1,
      app,
      svc,
      keys,
      replay: regression.requests,
      log: null,
    });
    expect(failuresOf(report)).toEqual([]);
  });
});

describe('API fuzzing under rate limits', () => {
  let svc: TestService;

  beforeAll(async () => {
    // A service of its own: failed authentications are counted per address, across the prefix.
    svc = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('429s are refusals like the others: no 5xx, nothing left behind', async () => {
    const limited = await svc.app({
      limits: { ...DEFAULT_SERVICE_LIMITS, requestsPerMinute: 40, authFailuresPerMinute: 15 },
    });
    const keys = await createFuzzKeys(svc, { tenant: 'fuzz-rl-a', otherTenant: 'fuzz-rl-b' });
    const report = await runFuzz({
      runs: 250,
      seed: 7,
      app: limited,
      svc,
      keys,
      resetEvery: 10_000,
      log: null,
    });
    expect(failuresOf(report)).toEqual([]);
    expect(report.byStatus[429]).toBeGreaterThan(0);
  });
});
