/**
 * Paired screen: two checkouts of the engine, A and B, solve the same instances and seeds, the
 * two solves of a pair at once (each pinned to a core of its own where `taskset` and two
 * allowed cores exist, the two swapped from one pair to the next), and each class gets the
 * mean of B − A over its pairs with its standard error. Two solves that share the machine's
 * speed of the moment are a fairer pair than two benchmark runs an hour apart: one 30 s run
 * of a Gehring-Homberger instance varies by some 0.3 points from one run to the next, and this
 * VM's steal time moves step counts too (docs/benchmarks.md).
 *
 *   npm run bench:paired -- --a ../hhc-before [--b .] [--suite homberger400] [--filter '^(c2|r2)_']
 *        [--seeds 1,2] (--time-limit 30 | --iterations N) [--label NAME]
 *
 * --a, --b: repository checkouts with dist/ built from their sources (npm ci or npm run build),
 * e.g. `git worktree add ../hhc-before HEAD~1 && (cd ../hhc-before && npm ci)`; --b defaults to
 * this checkout; relative paths are taken from where npm was started. Suites with published
 * best known values (not `care`), each under its default objective and in its best known
 * values' convention, as bench:quality solves them by default. Writes
 * bench/results/paired-<label>.json and prints a markdown table; exits 1 when a solve failed,
 * was infeasible or left a visit out (the pair is then listed and left out of the figures),
 * 2 on bad arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { staleness } from '../cli/launch.js';
import { gapPercent, type InstanceResult } from './report.ts';
import { pairedSummary, type PairedSummary } from './paired-stats.ts';
import { runOne } from './run-one.ts';
import { type BenchInstance, loadSuite, SUITES, type SuiteName } from './suites.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// npm runs scripts from the package root: relative paths are the user's, from where npm started.
const CWD = process.env.INIT_CWD ?? process.cwd();

function fail(message: string): never {
  process.stderr.write(`bench:paired: ${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      a: { type: 'string' },
      b: { type: 'string' },
      suite: { type: 'string', default: 'homberger400' },
      filter: { type: 'string' },
      seeds: { type: 'string', default: '1' },
      'time-limit': { type: 'string' },
      iterations: { type: 'string' },
      label: { type: 'string' },
      out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
    },
  });
} catch (e) {
  fail((e as Error).message);
}
const { values } = parsed;

/** A checkout's root and runner, its dist/ built from its sources (a copy of dist/ alone is taken as it is). */
function checkout(dir: string | undefined, side: 'a' | 'b'): { root: string; runner: string } {
  if (dir === undefined)
    fail(`--${side}: the checkout to compare (a directory with dist/ built) is required`);
  const root = resolve(CWD, dir);
  const runner = join(root, 'dist', 'bench', 'run-instance.js');
  if (!existsSync(runner)) fail(`--${side} ${dir}: no ${runner}; run npm ci (or npm run build) there first`);
  if (existsSync(join(root, 'solver'))) {
    const stale = staleness(root);
    if (stale !== null)
      fail(`--${side} ${dir}: its dist/ is out of date (${stale}); run npm run build there first`);
  }
  return { root, runner };
}
const sides = { a: checkout(values.a, 'a'), b: checkout(values.b ?? ROOT, 'b') };

const suites = values.suite.split(',') as SuiteName[];
for (const s of suites)
  if (!SUITES.includes(s) || s === 'care')
    fail(`--suite: one or more of ${SUITES.filter((x) => x !== 'care').join(', ')}, not ${s}`);
const budgetName = values['time-limit'] !== undefined ? 'time-limit' : 'iterations';
if ((values['time-limit'] === undefined) === (values.iterations === undefined))
  fail('one of --time-limit (seconds) and --iterations, not both');
const budget = values['time-limit'] ?? values.iterations!;
if (!(Number(budget) > 0)) fail(`--${budgetName}: a positive number, not '${budget}'`);
const seeds = values.seeds.split(',').map((s) => (/^\d+$/.test(s.trim()) ? Number(s) : NaN));
if (seeds.some((s) => !Number.isInteger(s)) || new Set(seeds).size !== seeds.length)
  fail(`--seeds: distinct whole numbers separated by commas, not '${values.seeds}'`);
let filter: RegExp | null = null;
try {
  filter = values.filter ? new RegExp(values.filter) : null;
} catch (e) {
  fail(`--filter: ${(e as Error).message}`);
}
let instances: BenchInstance[] = [];
try {
  instances = suites.flatMap(loadSuite).filter((i) => !filter || filter.test(i.name));
} catch (e) {
  fail((e as Error).message);
}
if (instances.length === 0) fail('no instance matches --suite and --filter');
const label =
  values.label ??
  [
    suites.join('+'),
    values.filter?.replace(/[^A-Za-z0-9]+/g, '') || null,
    `${budget}${values['time-limit'] ? 's' : 'it'}`,
  ]
    .filter(Boolean)
    .join('-');

/** The first two cores this process may run on, or null (pinning then left out). */
function twoCores(): [number, number] | null {
  if (spawnSync('taskset', ['-V']).status !== 0) return null;
  let list: string | undefined;
  try {
    list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  } catch {
    return null;
  }
  const cores: number[] = [];
  for (const part of list?.split(',') ?? []) {
    const [lo, hi = lo] = part.split('-').map(Number);
    for (let c = lo; c <= hi && cores.length < 2; c++) cores.push(c);
  }
  return cores.length === 2 ? [cores[0], cores[1]] : null;
}
const cores = twoCores();
const commandOn = (runner: string, core: number | undefined) =>
  core === undefined ? [process.execPath, runner] : ['taskset', '-c', String(core), process.execPath, runner];

interface Pair {
  name: string;
  group: string;
  seed: number;
  gapA: number | null;
  gapB: number | null;
  a: InstanceResult;
  b: InstanceResult;
}

/** The gap of a complete, feasible plan; null otherwise. */
const gapOf = (r: InstanceResult) => (r.error || r.feasible === false ? null : gapPercent(r));
const why = (r: InstanceResult) =>
  r.error
    ? 'failed'
    : r.feasible === false
      ? 'infeasible'
      : r.unassigned
        ? `${r.unassigned} left out`
        : 'no gap';

const pairs: Pair[] = [];
const total = seeds.length * instances.length;
const opts = values['time-limit'] ? { timeLimit: values['time-limit'] } : { iterations: values.iterations };
for (const [si, seed] of seeds.entries())
  for (const [ii, inst] of instances.entries()) {
    // Cores swapped from one pair to the next, and from one seed to the next for the same instance.
    const swap = (ii + si) % 2;
    const [a, b] = await Promise.all([
      runOne(commandOn(sides.a.runner, cores?.[swap]), inst, seed, opts),
      runOne(commandOn(sides.b.runner, cores?.[1 - swap]), inst, seed, opts),
    ]);
    const pair: Pair = { name: inst.name, group: inst.group, seed, gapA: gapOf(a), gapB: gapOf(b), a, b };
    pairs.push(pair);
    const show = (g: number | null, r: InstanceResult) =>
      g === null ? why(r).toUpperCase() : `${g.toFixed(3)}% (${r.routes} routes)`;
    process.stderr.write(
      `[${pairs.length}/${total}] ${inst.name} seed ${seed}: A ${show(pair.gapA, a)}, B ${show(pair.gapB, b)}` +
        (pair.gapA !== null && pair.gapB !== null ? `, B − A ${(pair.gapB - pair.gapA).toFixed(3)}` : '') +
        '\n',
    );
  }

const complete = pairs.filter((p) => p.gapA !== null && p.gapB !== null);
const leftOut = pairs.filter((p) => p.gapA === null || p.gapB === null);
const summarize = (ps: Pair[]) => pairedSummary(ps.map((p) => ({ a: p.gapA!, b: p.gapB! })));
const groups = [...new Set(complete.map((p) => p.group))].sort();
const summaries: Record<string, PairedSummary> = {};
for (const g of groups) summaries[g] = summarize(complete.filter((p) => p.group === g));
summaries.all = summarize(complete);

const num = (x: number, unit = '') => (Number.isFinite(x) ? `${x.toFixed(3)}${unit}` : '–');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(3)}` : '–');
const lines = [
  `# Paired screen: ${label}`,
  '',
  `A: ${sides.a.root}  `,
  `B: ${sides.b.root}  `,
  `${values['time-limit'] ? `${budget} s` : `${budget} iterations`} per solve, seeds ${seeds.join(',')}, ` +
    `the two solves of a pair at once${cores ? ` (on cores ${cores.join(' and ')}, swapped per pair)` : ' (not pinned)'}; ` +
    'B − A < 0: B better.',
  '',
  '| class | pairs | A | B | B − A | standard error | B better | B worse |',
  '| ----- | ----- | - | - | ----- | -------------- | -------- | ------- |',
  ...[...groups, 'all'].map((g) => {
    const s = summaries[g];
    return `| ${g} | ${s.n} | ${num(s.meanA, '%')} | ${num(s.meanB, '%')} | ${signed(s.meanDiff)} | ${num(s.standardError)} | ${s.better} | ${s.worse} |`;
  }),
];
if (leftOut.length > 0)
  lines.push(
    '',
    `Left out of the figures: ${leftOut
      .map(
        (p) =>
          `${p.name} seed ${p.seed} (${[
            p.gapA === null && `A ${why(p.a)}`,
            p.gapB === null && `B ${why(p.b)}`,
          ]
            .filter(Boolean)
            .join(', ')})`,
      )
      .join('; ')}`,
  );
const settings = {
  a: sides.a.root,
  b: sides.b.root,
  suites,
  filter: values.filter ?? null,
  seeds,
  timeLimit: values['time-limit'] ? Number(budget) : null,
  iterations: values.iterations ? Number(budget) : null,
  cores,
};
const out = resolve(CWD, values.out);
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, `paired-${label}.json`),
  JSON.stringify({ settings, summaries, pairs }, null, 1) + '\n',
);
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = leftOut.length > 0 || complete.length === 0 ? 1 : 0;
