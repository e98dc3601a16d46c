/**
 * Scale benchmark: how solve time, memory and plan cost grow with the size of a hospital-at-home
 * day. For each size, a generated day (one nurse per ten visits, seed 1) is solved in its own
 * process, one at a time so each timing has the machine to itself. Reported: the time to the
 * first plan (construction), the times to come within 5% and 1% of the final cost, iterations
 * per second, the final cost (per visit), travel per visit, mandatory visits left out and the
 * peak resident memory of the solving process.
 *
 *   npm run bench:scale [-- --sizes 500,1000,2000,3000] [--time-limit 30 | --iterations N] [--seed 1]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateHadDay } from '../fixtures/generator/had-day.ts';
import { nodeArgs } from '../cli/launch.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '500,1000,2000,3000' },
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
  },
});
if (values['time-limit'] === undefined && values.iterations === undefined) values['time-limit'] = '30';
const sizes = values.sizes.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 10)) {
  process.stderr.write('scale: --sizes must be integers of at least 10, comma-separated\n');
  process.exit(2);
}
const out = values.out.endsWith('/') ? values.out : `${values.out}/`;
mkdirSync(`${out}scale/`, { recursive: true });
// Compiled (dist/) when built from the current sources, else the source through tsx.
const runner = nodeArgs('bench/run-instance.ts');

export interface ScaleRow {
  visits: number;
  nurses: number;
  constructionS: number;
  within5pctS: number;
  within1pctS: number;
  solveS: number;
  iterations: number;
  iterationsPerS: number;
  cost: number;
  costPerVisit: number;
  travelMinPerVisit: number;
  leftOutMandatory: number;
  peakRssMb: number;
  feasible: boolean;
  violations?: { code: string; message: string }[];
}

function run(file: string): Promise<Record<string, any>> {
  const args = [...runner, file, '--seed', values.seed, '--plan-out', file.replace(/\.json$/, '.plan.json')];
  if (values['time-limit']) args.push('--time-limit', values['time-limit']);
  if (values.iterations) args.push('--iterations', values.iterations);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 1 << 28 }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout.trim().split('\n').pop()!)),
    ),
  );
}

const rows: ScaleRow[] = [];
const failures: string[] = [];
for (const visits of sizes) {
  const nurses = Math.max(2, Math.round(visits / 10));
  const file = `${out}scale/had-${nurses}n-${visits}v.json`;
  writeFileSync(file, JSON.stringify(generateHadDay({ nurses, visits, seed: Number(values.seed) })));
  const r = await run(file).catch((e: Error) => {
    // One failed size is reported; the others still run.
    failures.push(`${visits} visits: ${e.message.split('\n').slice(-3).join(' ')}`);
    return null;
  });
  if (r === null) continue;
  // Trace costs leave out the mandatory-visit penalties; compare only equally complete plans.
  const trace = r.trace as [number, number, number, number][];
  const [, finalCost, , finalOut] = trace[trace.length - 1];
  const within = (share: number) =>
    trace.find(([, c, , k]) => k === finalOut && c <= finalCost * (1 + share))![0] / 1000;
  const row: ScaleRow = {
    visits,
    nurses,
    constructionS: trace[0][0] / 1000,
    within5pctS: within(0.05),
    within1pctS: within(0.01),
    solveS: r.timeMs / 1000,
    iterations: r.iterations,
    iterationsPerS: Math.round(r.iterations / Math.max(1e-3, (r.timeMs - trace[0][0]) / 1000)),
    cost: Math.round(r.cost),
    costPerVisit: Math.round((r.cost / visits) * 100) / 100,
    travelMinPerVisit: 0,
    leftOutMandatory: r.leftOutMandatory,
    peakRssMb: r.peakRssMb,
    feasible: r.feasible,
    violations: r.violationSamples,
  };
  row.travelMinPerVisit = Math.round(((r.travelTime ?? 0) / visits) * 100) / 100;
  rows.push(row);
  process.stderr.write(`scale ${visits} visits: ${JSON.stringify(row)}\n`);
}

const settings = {
  sizes,
  timeLimit: values['time-limit'] ? Number(values['time-limit']) : null,
  iterations: values.iterations ? Number(values.iterations) : null,
  seed: Number(values.seed),
};
writeFileSync(`${out}scale.json`, JSON.stringify({ settings, rows }, null, 1) + '\n');
const md = [
  `# Scale: generated hospital-at-home days, one nurse per ten visits`,
  '',
  '```',
  JSON.stringify(settings),
  '```',
  '',
  '| visits | nurses | first plan s | within 5% of final s | within 1% of final s | solve s | iterations/s | cost | cost per visit | travel min per visit | mandatory left out | peak RSS MB | checker |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.visits} | ${r.nurses} | ${r.constructionS.toFixed(2)} | ${r.within5pctS.toFixed(2)} | ${r.within1pctS.toFixed(2)} | ${r.solveS.toFixed(2)} | ${r.iterationsPerS} | ${r.cost} | ${r.costPerVisit} | ${r.travelMinPerVisit} | ${r.leftOutMandatory} | ${r.peakRssMb} | ${r.feasible ? 'ok' : 'VIOLATIONS'} |`,
  ),
  '',
  ...rows
    .filter((r) => !r.feasible)
    .map(
      (r) =>
        `Checker at ${r.visits} visits: ${(r.violations ?? []).map((v) => `${v.code}: ${v.message}`).join('; ')}\n`,
    ),
  ...failures.map((f) => `Failed at ${f}\n`),
].join('\n');
writeFileSync(`${out}scale.md`, md);
process.stdout.write(md);
if (failures.length > 0) process.exitCode = 1;
