/**
 * `npm run bench`: the whole benchmark suite, one step after another (so no timing shares the
 * machine with another), each step printing its tables and writing JSON under bench/results/;
 * then the report (report.md, report.html and the SVG pictures) built from them.
 *
 *   micro    tinybench inner loops                       → micro.json
 *   quality  each suite with a time limit per instance   → quality-<suite>.json / .md, plans of the care suite
 *   scale    generated days of 500…3000 visits           → scale.json / .md
 *   week     the medium week: planned at once vs day by day → week-had-week-60n-400p.json
 *   api      route pulls with and without a solve (Redis) → api.json
 *
 *   npm run bench [-- --time-limit 2] [--care-time-limit 30] [--suites solomon,mankowska,…]
 *                 [--sizes 500,1000,2000,3000] [--scale-time-limit 30] [--week-time-limit 60]
 *                 [--skip api,scale,week] [--quick]
 * --quick: Solomon and the care days only, scale 500 and 1000 visits at 10 s, the small week at
 * 10 s, API 5 s (about 4 min).
 * The full run takes about 15 minutes on 2 cores.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadSuite, SUITES, type SuiteName } from './suites.ts';

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string' },
    'care-time-limit': { type: 'string' },
    suites: { type: 'string' },
    sizes: { type: 'string' },
    'scale-time-limit': { type: 'string' },
    'week-time-limit': { type: 'string' },
    skip: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
  },
});
const quick = values.quick;
const out = values.out.endsWith('/') ? values.out : `${values.out}/`;
const skip = new Set(values.skip.split(',').filter(Boolean));
for (const s of skip)
  if (!['micro', 'quality', 'scale', 'week', 'api'].includes(s)) {
    process.stderr.write(`bench: --skip takes micro, quality, scale, week, api (got ${s})\n`);
    process.exit(2);
  }
const suites = (values.suites ?? (quick ? 'solomon,care' : SUITES.join(','))).split(',');
for (const s of suites)
  if (!(SUITES as readonly string[]).includes(s)) {
    process.stderr.write(`bench: unknown suite ${s}; use ${SUITES.join(', ')}\n`);
    process.exit(2);
  }
mkdirSync(out, { recursive: true });
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/** Runs one step in its own process; a failed step is reported and the others still run. */
const failed: string[] = [];
function step(title: string, script: string, args: string[]): Promise<void> {
  process.stdout.write(`\n=== ${title} ===\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here(script), ...args], { stdio: 'inherit' });
    child.on('exit', (code) => {
      if (code !== 0) failed.push(`${title} (exit ${code})`);
      resolve();
    });
  });
}
const available = (suite: SuiteName) => {
  try {
    return loadSuite(suite).length > 0;
  } catch {
    return false;
  }
};

const t0 = performance.now();
if (!skip.has('micro')) await step('micro', './micro.ts', ['--json-out', `${out}micro.json`]);
if (!skip.has('quality')) {
  for (const suite of suites) {
    if (!available(suite as SuiteName)) {
      process.stdout.write(
        `\n=== quality ${suite}: skipped, ../shared/benchmarks not found ($HHC_BENCHMARKS) ===\n`,
      );
      continue;
    }
    const limit =
      suite === 'care'
        ? (values['care-time-limit'] ?? (quick ? '5' : '30'))
        : (values['time-limit'] ?? (quick ? '1' : '2'));
    await step(`quality ${suite}, ${limit} s per instance`, './quality.ts', [
      '--suite',
      suite,
      '--time-limit',
      limit,
      // Generated days have no published value: three seeds give the reference and the spread.
      ...(suite === 'care' ? ['--seeds', quick ? '1,2' : '1,2,3'] : []),
      '--label',
      `quality-${suite}`,
      '--out',
      out,
    ]);
  }
}
if (!skip.has('scale'))
  await step('scale', './scale.ts', [
    '--sizes',
    values.sizes ?? (quick ? '500,1000' : '500,1000,2000,3000'),
    '--time-limit',
    values['scale-time-limit'] ?? (quick ? '10' : '30'),
    '--out',
    out,
  ]);
if (!skip.has('week'))
  await step('week', './week.ts', [
    '--week',
    here(`../fixtures/care/had-week-${quick ? '8n-40p' : '60n-400p'}.json`),
    '--time-limit',
    values['week-time-limit'] ?? (quick ? '10' : '60'),
    '--out',
    out,
  ]);
if (!skip.has('api')) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  const up = await redis
    .connect()
    .then(() => redis.ping())
    .then(() => true)
    .catch(() => false);
  redis.disconnect();
  if (up) await step('api', './api-load.ts', ['--seconds', quick ? '5' : '10', '--out', `${out}api.json`]);
  else process.stdout.write('\n=== api: skipped, Redis is not reachable (REDIS_URL) ===\n');
}
await step('report', './report-build.ts', ['--out', out]);
process.stdout.write(`bench: done in ${Math.round((performance.now() - t0) / 1000)} s\n`);
if (failed.length > 0) {
  process.stderr.write(`bench: failed steps: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
