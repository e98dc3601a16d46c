/**
 * Quality benchmark: solves every instance of the chosen suites, one process per instance
 * (at most --parallel at once), and writes JSON results and a markdown table of gaps to the
 * best known values under bench/results/.
 *
 *   npm run bench:quality -- --suite solomon --time-limit 2 [--seeds 1,2] [--objective vehicles]
 *                            [--iterations N] [--filter r2] [--parallel 2] [--convention double|dimacs]
 *
 * --convention: how Solomon-format instances are solved and checked. Default: dimacs (every
 * leg truncated to one decimal, bench/dimacs-distance.ts) where the best known values are in
 * that convention (Gehring-Homberger, distance objective), double precision elsewhere; dimacs
 * is refused with another objective (their best known values are in double precision).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { nodeArgs } from '../cli/launch.js';
import { type BenchInstance, loadSuite, SUITES, type SuiteName } from './suites.ts';
import { runOne } from './run-one.ts';
import { gapPercent, markdownReport, type InstanceResult } from './report.ts';

const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: 'solomon' },
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    seeds: { type: 'string', default: '1' },
    objective: { type: 'string' },
    filter: { type: 'string' },
    parallel: { type: 'string', default: String(Math.min(2, cpus().length)) },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
    label: { type: 'string' },
    recombine: { type: 'string' },
    pool: { type: 'string' },
    convention: { type: 'string' },
  },
});
if (values.convention !== undefined && values.convention !== 'double' && values.convention !== 'dimacs')
  throw new Error(`--convention: double or dimacs, not ${values.convention}`);
// Truncated legs are the convention of the Gehring-Homberger distance-only values only: the
// hierarchical (vehicles) and Solomon values are in double precision.
const distanceObjective = (values.objective ?? 'distance') === 'distance';
if (values.convention === 'dimacs' && !distanceObjective)
  throw new Error(
    '--convention dimacs: with the distance objective only (the other best known values are in double precision)',
  );
const suites = (values.suite as string).split(',') as SuiteName[];
for (const s of suites)
  if (!SUITES.includes(s)) throw new Error(`unknown suite ${s}; use ${SUITES.join(', ')}`);
if (values['time-limit'] === undefined && values.iterations === undefined) values['time-limit'] = '2';
const seeds = (values.seeds as string).split(',').map(Number);
const filter = values.filter ? new RegExp(values.filter as string) : null;
const instances = suites.flatMap(loadSuite).filter((i) => !filter || filter.test(i.name));
const doublePrecision = instances.find(
  (i) => i.suite !== 'care' && i.suite !== 'mankowska' && i.bestConvention !== 'trunc1',
);
if (values.convention === 'dimacs' && doublePrecision)
  throw new Error(`--convention dimacs: ${doublePrecision.name}'s best known value is in double precision`);
// Compiled (dist/) when built from the current sources: a 2 s solve pays no second of start-up.
const runner = nodeArgs('bench/run-instance.ts');
const label =
  (values.label as string | undefined) ??
  `${suites.join('+')}-${values.objective ?? 'default'}-${values['time-limit'] ? `${values['time-limit']}s` : `${values.iterations}it`}`;
const plansDir = `${values.out}plans/${label}/`;
if (suites.includes('care')) mkdirSync(plansDir, { recursive: true });

function runInstance(inst: BenchInstance, seed: number): Promise<InstanceResult> {
  return runOne([process.execPath, ...runner], inst, seed, {
    timeLimit: values['time-limit'],
    iterations: values.iterations,
    objective: values.objective,
    convention: values.convention as 'double' | 'dimacs' | undefined,
    recombine: values.recombine ? { every: values.recombine, pool: values.pool ?? '150' } : undefined,
    // Home-care plans are kept whole, for the report's maps and timelines.
    planFile: inst.suite === 'care' ? `${plansDir}${inst.name}-s${seed}.json` : undefined,
  });
}

const jobs = instances.flatMap((inst) => seeds.map((seed) => () => runInstance(inst, seed)));
const results: InstanceResult[] = new Array(jobs.length);
let next = 0;
let done = 0;
const t0 = performance.now();
async function worker() {
  while (next < jobs.length) {
    const k = next++;
    results[k] = await jobs[k]();
    done++;
    const r = results[k];
    const gap = r.error ? 'ERROR' : r.bestDistance ? `${(gapPercent(r) ?? NaN).toFixed(2)}%` : '';
    process.stderr.write(
      `[${done}/${jobs.length}] ${r.name} seed ${r.seed}: ${r.error ? r.error : `${(r.metric === 'cost' ? r.cost : r.distance)?.toFixed(2)} (${r.routes} routes) gap ${gap} ${r.feasible ? '' : 'INFEASIBLE'}`}\n`,
    );
  }
}
await Promise.all(Array.from({ length: Math.max(1, Number(values.parallel)) }, worker));

const settings = {
  suites,
  objective: values.objective ?? 'default',
  timeLimit: values['time-limit'] ? Number(values['time-limit']) : null,
  iterations: values.iterations ? Number(values.iterations) : null,
  recombine: values.recombine ? { every: Number(values.recombine), pool: Number(values.pool ?? 150) } : null,
  seeds,
  // Solomon-format instances; null: by the best known values' convention (dimacs for Gehring-Homberger).
  convention: values.convention ?? null,
  parallel: Number(values.parallel),
  wallSeconds: Math.round((performance.now() - t0) / 1000),
};
mkdirSync(values.out as string, { recursive: true });
writeFileSync(`${values.out}${label}.json`, JSON.stringify({ settings, results }, null, 1) + '\n');
const md = markdownReport(label, settings, results);
writeFileSync(`${values.out}${label}.md`, md);
process.stdout.write(md);
