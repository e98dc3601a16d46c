/**
 * The long fuzz run of the API (issue 11): generated and mutated requests to every /v1 route
 * through `app.inject()` on a real-Redis, worker-less test service, with the invariants of
 * api/fuzz/fuzz-requests.ts checked on each answer (no 5xx; every 400 names its fields; a
 * refused request leaves the store and the queue as they were). Prints counts by route and
 * status, the failures (each kind once, with its request) and requests per second; writes
 * bench/results/fuzz.json. Needs Redis (REDIS_URL). Exit code 1 when an invariant failed.
 *   node --import tsx bench/fuzz-api.ts [--runs 100000] [--seed 1] [--reset-every 1000] [--max-queued 40]
 *     [--out bench/results/fuzz.json]
 * The store is emptied and seeded again every --reset-every requests; a tenant may have --max-queued
 * jobs waiting (past it, submissions are refused 429 and their staged writes undone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createFuzzKeys,
  type FuzzReport,
  formatFailure,
  FUZZ_LIMITS,
  runFuzz,
} from '../api/fuzz/fuzz-requests.ts';
import { startTestService } from '../api/test-service.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'reset-every': { type: 'string', default: '1000' },
    'max-queued': { type: 'string', default: '40' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/fuzz.json', import.meta.url)) },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const resetEvery = Number(values['reset-every']);
const maxQueued = Number(values['max-queued']);
for (const [name, v] of [
  ['--runs', runs],
  ['--seed', seed],
  ['--reset-every', resetEvery],
  ['--max-queued', maxQueued],
] as const)
  if (!Number.isInteger(v) || v < (name === '--seed' ? -(2 ** 31) : 1)) {
    console.error(`fuzz-api: ${name} must be an integer${name === '--seed' ? '' : ' ≥ 1'}`);
    process.exit(2);
  }

// Fastify's autoload loads the routes' .ts files through tsx's loader (as api/server.ts does).
process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1';
const preview = (body: string | Buffer | undefined) =>
  body === undefined ? null : (Buffer.isBuffer(body) ? body.toString('latin1') : body).slice(0, 500);

const svc = await startTestService({ worker: false, tenantLimits: { maxQueued, maxRunning: 2 } });
let report: FuzzReport;
try {
  const app = await svc.app({ limits: FUZZ_LIMITS });
  const keys = await createFuzzKeys(svc);
  console.log(`fuzzing the API: ${runs} requests, seed ${seed}, prefix ${svc.prefix}`);
  report = await runFuzz({
    runs,
    seed,
    app,
    svc,
    keys,
    resetEvery,
    log: (line) => console.log(line),
    onProgress: (done, r) =>
      console.log(
        `  ${done} requests, ${r.failureCount} failures, ${r.requestsPerSecond.toFixed(0)} requests/s`,
      ),
  });
} finally {
  await svc.close();
}

const statuses = [...new Set(Object.values(report.byRoute).flatMap((s) => Object.keys(s).map(Number)))].sort(
  (a, b) => a - b,
);
const routes = Object.keys(report.byRoute).sort();
const width = Math.max(5, ...routes.map((r) => r.length));
const cell = (s: string | number) => String(s).padStart(7);
console.log();
console.log(['route'.padEnd(width), ...statuses.map(cell), cell('total')].join(' '));
for (const route of [...routes, 'total']) {
  const counts = route === 'total' ? report.byStatus : report.byRoute[route];
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log([route.padEnd(width), ...statuses.map((s) => cell(counts[s] ?? '')), cell(total)].join(' '));
}
console.log();
console.log(
  `${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s: ${report.requestsPerSecond.toFixed(0)} requests/s, ${report.resets} resets of the store`,
);
console.log(`invariant failures: ${report.failureCount} (${report.failureKinds.length} kinds)`);
for (const kind of report.failureKinds) console.log(`\n${kind.count} × ${formatFailure(kind.first)}`);
if (report.slow.length > 0) {
  const slowest = [...report.slow].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(`\nanswers slower than 1 s (not an invariant): ${report.slow.length}; the slowest:`);
  for (const s of slowest)
    console.log(
      `  ${s.ms.toFixed(0)} ms ${s.status} ${s.request.method} ${s.request.url.slice(0, 120)} ${preview(s.request.body)?.slice(0, 160) ?? ''}`,
    );
}

const failureJson = (f: FuzzReport['failures'][number]) => ({
  invariant: f.invariant,
  route: f.route,
  run: f.run,
  status: f.status,
  detail: f.detail,
  request: { ...f.request, body: preview(f.request.body) },
  response: f.response.slice(0, 500),
});
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(
  values.out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      seed,
      runs,
      requests: report.requests,
      durationMs: Math.round(report.durationMs),
      requestsPerSecond: Math.round(report.requestsPerSecond),
      resets: report.resets,
      maxQueued,
      resetEvery,
      byStatus: report.byStatus,
      byRoute: report.byRoute,
      failureCount: report.failureCount,
      failureKinds: report.failureKinds.map((k) => ({
        key: k.key,
        count: k.count,
        first: failureJson(k.first),
      })),
      failures: report.failures.map(failureJson),
      slow: report.slow.map((s) => ({
        ...s,
        ms: Math.round(s.ms),
        request: { ...s.request, body: preview(s.request.body) },
      })),
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${values.out}`);
process.exit(report.failureCount === 0 ? 0 : 1);
