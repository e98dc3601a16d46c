/**
 * Paired screen: two checkouts of the engine, A and B, solve the same instances and seeds, the
 * two solves of a pair at once (one per core, pinned with `taskset` where it exists, the cores
 * swapped from one pair to the next), and each class gets the mean of B − A over its pairs with
 * its standard error. Two solves that share the machine's speed of the moment are a fairer pair
 * than two benchmark runs an hour apart: one 30 s run of a Gehring-Homberger instance varies by
 * some 0.3 points from one run to the next, and this VM's steal time moves step counts too
 * (docs/benchmarks.md).
 *
 *   npm run bench:paired -- --a ../hhc-before [--b .] --suite homberger400 [--filter '^(c2|r2)_']
 *        [--seeds 1,2] [--time-limit 30 | --iterations N] [--objective distance] [--label NAME]
 *
 * --a, --b: repository checkouts with dist/ built (npm ci or npm run build), e.g.
 *   git worktree add ../hhc-before HEAD~1 && (cd ../hhc-before && npm ci)
 * --b defaults to this checkout. Instances are solved in their best known values' convention,
 * as bench:quality does by default. Writes bench/results/paired-<label>.json and prints a
 * markdown table; exits 1 when a solve failed or a plan was infeasible, 2 on bad arguments.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gapPercent, type InstanceResult } from './report.ts';
import { pairedSummary, type PairedSummary } from './paired-stats.ts';
import { type BenchInstance, loadSuite, resultMeta, SUITES, type SuiteName } from './suites.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  process.stderr.write(`bench:paired: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: ROOT },
    suite: { type: 'string', default: 'homberger400' },
    filter: { type: 'string' },
    seeds: { type: 'string', default: '1' },
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    objective: { type: 'string' },
    label: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
  },
});

const runnerOf = (dir: string | undefined, side: string): string => {
  if (!dir) fail(`--${side}: the checkout to compare (a directory with dist/ built) is required`);
  const runner = join(resolve(dir), 'dist', 'bench', 'run-instance.js');
  if (!existsSync(runner)) fail(`--${side} ${dir}: no ${runner}; run npm ci (or npm run build) there first`);
  return runner;
};
const runners = { a: runnerOf(values.a, 'a'), b: runnerOf(values.b, 'b') };
const suites = values.suite.split(',') as SuiteName[];
for (const s of suites)
  if (!SUITES.includes(s) || s === 'care')
    fail(`--suite: one of ${SUITES.filter((x) => x !== 'care').join(', ')}, not ${s}`);
if (values['time-limit'] === undefined && values.iterations === undefined)
  fail('--time-limit or --iterations is required');
const budget = values['time-limit'] ?? values.iterations!;
if (!(Number(budget) > 0))
  fail(`--${values['time-limit'] ? 'time-limit' : 'iterations'}: a positive number, not ${budget}`);
const seeds = values.seeds.split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s)))
  fail(`--seeds: whole numbers separated by commas, not ${values.seeds}`);
const filter = values.filter ? new RegExp(values.filter) : null;
const instances = suites.flatMap(loadSuite).filter((i) => !filter || filter.test(i.name));
if (instances.length === 0) fail('no instance matches --suite and --filter');
const distanceObjective = (values.objective ?? 'distance') === 'distance';
const label =
  values.label ??
  `${suites.join('+')}-${values['time-limit'] ? `${values['time-limit']}s` : `${values.iterations}it`}`;
// Pinning each solve to a core keeps the pair from sharing one (where taskset and two cores exist).
const pin = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;

function solve(runner: string, inst: BenchInstance, seed: number, core: number): Promise<InstanceResult> {
  const args = [runner, inst.file, '--seed', String(seed)];
  if (values.objective) args.push('--objective', values.objective);
  if (inst.suite !== 'mankowska')
    args.push('--convention', inst.bestConvention === 'trunc1' && distanceObjective ? 'dimacs' : 'double');
  if (values['time-limit']) args.push('--time-limit', values['time-limit']);
  else args.push('--iterations', values.iterations!);
  const [cmd, argv] = pin
    ? ['taskset', ['-c', String(core), process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((done) => {
    execFile(cmd, argv, { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err) done({ ...resultMeta(inst, seed), error: (stderr || err.message).slice(0, 500) });
      else done({ ...resultMeta(inst, seed), ...JSON.parse(stdout.trim().split('\n').pop()!) });
    });
  });
}

interface Pair {
  name: string;
  group: string;
  seed: number;
  a: InstanceResult;
  b: InstanceResult;
  gapA: number | null;
  gapB: number | null;
}

const pairs: Pair[] = [];
const total = seeds.length * instances.length;
for (const seed of seeds)
  for (const inst of instances) {
    const k = pairs.length;
    const [a, b] = await Promise.all([
      solve(runners.a, inst, seed, k % 2),
      solve(runners.b, inst, seed, 1 - (k % 2)),
    ]);
    const usable = (r: InstanceResult) => (!r.error && r.feasible !== false ? gapPercent(r) : null);
    const pair = { name: inst.name, group: inst.group, seed, a, b, gapA: usable(a), gapB: usable(b) };
    pairs.push(pair);
    const show = (g: number | null, r: InstanceResult) =>
      g === null ? (r.error ? 'ERROR' : 'no gap') : `${g.toFixed(3)}% (${r.routes} routes)`;
    process.stderr.write(
      `[${k + 1}/${total}] ${inst.name} seed ${seed}: A ${show(pair.gapA, a)}, B ${show(pair.gapB, b)}` +
        (pair.gapA !== null && pair.gapB !== null ? `, B − A ${(pair.gapB - pair.gapA).toFixed(3)}` : '') +
        '\n',
    );
  }

const complete = pairs.filter((p) => p.gapA !== null && p.gapB !== null);
const summarize = (ps: Pair[]) => pairedSummary(ps.map((p) => ({ a: p.gapA!, b: p.gapB! })));
const groups = [...new Set(complete.map((p) => p.group))].sort();
const summaries: Record<string, PairedSummary> = {};
for (const g of groups) summaries[g] = summarize(complete.filter((p) => p.group === g));
summaries.all = summarize(complete);

const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(3)}%` : '');
const lines = [
  `# Paired screen: ${label}`,
  '',
  `A: ${resolve(values.a!)}  `,
  `B: ${resolve(values.b)}  `,
  `${values['time-limit'] ? `${values['time-limit']} s` : `${values.iterations} iterations`} per solve, seeds ${seeds.join(',')}, the two solves of a pair at once${pin ? ' (pinned to a core each)' : ''}; B − A < 0: B better.`,
  '',
  '| class | pairs | A | B | B − A | standard error | B better | B worse |',
  '| ----- | ----- | - | - | ----- | -------------- | -------- | ------- |',
  ...[...groups, 'all'].map((g) => {
    const s = summaries[g];
    return `| ${g} | ${s.n} | ${pct(s.meanA)} | ${pct(s.meanB)} | ${s.meanDiff >= 0 ? '+' : ''}${s.meanDiff.toFixed(3)} | ${s.standardError.toFixed(3)} | ${s.better} | ${s.worse} |`;
  }),
];
const broken = pairs.filter((p) => p.gapA === null || p.gapB === null);
if (broken.length > 0)
  lines.push(
    '',
    `Left out (a solve failed, was infeasible or left visits out): ${broken.map((p) => `${p.name} seed ${p.seed}`).join(', ')}`,
  );
mkdirSync(values.out, { recursive: true });
const settings = {
  a: resolve(values.a!),
  b: resolve(values.b),
  suites,
  filter: values.filter ?? null,
  seeds,
  timeLimit: values['time-limit'] ? Number(values['time-limit']) : null,
  iterations: values.iterations ? Number(values.iterations) : null,
  objective: values.objective ?? null,
  pinned: pin,
};
writeFileSync(
  join(values.out, `paired-${label}.json`),
  JSON.stringify({ settings, summaries, pairs }, null, 1) + '\n',
);
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = pairs.some(
  (p) => p.a.error || p.b.error || p.a.feasible === false || p.b.feasible === false,
)
  ? 1
  : 0;
