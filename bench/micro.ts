/**
 * Micro-benchmarks (tinybench): the inner loops the search lives in, in nanoseconds per
 * operation and operations per second. The core's tasks sweep a fixed list of (U, V) pairs of a
 * solved Solomon instance (ns/op = task time / pairs); the home-care tasks evaluate one visit's
 * insertion at every position of a 600-visit day, validate that day, serialize its plan.
 *
 *   npm run bench:micro [-- --instance fixtures/solomon/r101.txt] [--json] [--json-out FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { defaultOperators } from '../solver/core/core-move-space.ts';
import { bestInsertionInRoute, type Insertion } from '../solver/core/recreate.ts';
import { ruinRecreateSearch } from '../solver/core/core-search.ts';
import { parseSolomon } from '../solver/io/solomon.ts';
import type { Operator } from '../solver/core/operators/operator.ts';
import { ProblemData } from '../solver/core/problem-data.ts';
import { Segment } from '../solver/core/segment.ts';
import { createStop } from '../solver/search/stop.ts';
import { CareData } from '../solver/care/care-data.ts';
import { careSearch } from '../solver/care/care-search.ts';
import { restoreSnapshot, takeSnapshot } from '../solver/care/snapshot.ts';
import { findProblemIssues } from '../solver/model/validate.ts';
import { solve } from '../solver/solve.ts';

/** Operations one run of a task performs (default: the neighbour pairs of a sweep). */
const opsPerRun = new Map<string, number>();

const { values } = parseArgs({
  options: {
    instance: {
      type: 'string',
      default: fileURLToPath(new URL('../fixtures/solomon/r101.txt', import.meta.url)),
    },
    time: { type: 'string', default: '300' },
    json: { type: 'boolean', default: false },
    'json-out': { type: 'string' },
  },
});

const data = new ProblemData(parseSolomon(readFileSync(values.instance as string, 'utf8')), {
  objective: 'distance',
});
// A good solution, as the local search sees it late in a run (deterministic: fixed iterations).
const { best: sol } = ruinRecreateSearch(data, { seed: 1, stop: createStop({ iterations: 300 }) });

// Every (U, V) pair of the granular neighbourhood with both visits routed.
const pairs: number[] = [];
for (let U = data.numDepots; U < data.numNodes; U++)
  for (const V of data.neighbours[U - data.numDepots])
    if (sol.routeOf[U] >= 0 && sol.routeOf[V] >= 0) pairs.push(U, V);
const numPairs = pairs.length / 2;

function sweep(op: Operator): number {
  let acc = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    const U = pairs[i];
    const V = pairs[i + 1];
    const d = op.evaluate(sol, sol.routeOf[U], sol.posOf[U], sol.routeOf[V], sol.posOf[V]);
    if (d < 0) acc++;
  }
  return acc;
}

const operators: Operator[] = defaultOperators(data);

const bench = new Bench({ time: Number(values.time), warmup: true });
let sink = 0;
for (const op of operators) bench.add(`evaluate ${op.name}`, () => void (sink += sweep(op)));

// Best feasible position of a visit in one route (the recreate step's inner loop).
const best: Insertion = { route: -1, pos: -1, delta: Infinity };
bench.add('insertion: best position in a route', () => {
  for (let i = 0; i < pairs.length; i += 2) {
    best.delta = Infinity;
    bestInsertionInRoute(sol, sol.routeOf[pairs[i + 1]], pairs[i], null, best);
    if (best.pos > 0) sink++;
  }
});

// One duration-segment concatenation (Vidal et al.'s O(1) time-window check).
const seg = new Segment();
bench.add('segment concat', () => {
  for (let i = 0; i < pairs.length; i += 2) {
    seg.set(0, 0, 0, 1e9);
    seg.concat(pairs[i], 10, 0, pairs[i + 1], 1e6);
    if (seg.tw > 0) sink++;
  }
});

// Home care, on the generated 60-nurse / 600-visit day: one insertion evaluation across routes
// (the worklist propagation), validating the whole problem, and serializing its plan.
const had = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/care/had-60n-600v.json', import.meta.url)), 'utf8'),
);
const careData = new CareData(had);
const careBest = careSearch(careData, { seed: 1, stop: createStop({ iterations: 300 }) }).best;
const probe = careBest.routes.find((r) => r.length > 2)![1];
careBest.remove([probe]);
let positions = 0;
for (let r = 0; r < careData.V; r++) positions += careBest.routes[r].length + 1;
opsPerRun.set('care: evaluate an insertion (600 visits)', positions);
bench.add('care: evaluate an insertion (600 visits)', () => {
  for (let r = 0; r < careData.V; r++)
    for (let p = 0; p <= careBest.routes[r].length; p++) if (careBest.evaluateInsert(probe, r, p) < 0) sink++;
});
// A search step's bookkeeping: a rejected step that changed two routes is undone, then two
// accepted ones are kept (each changing the same two routes): only changed routes are copied.
const careKept = takeSnapshot(careBest);
const twoRoutes = careBest.routes
  .map((route, r) => [route.length, r])
  .sort((a, b) => b[0] - a[0])
  .slice(0, 2)
  .map(([, r]) => r);
const changeTwo = () => {
  for (const r of twoRoutes) {
    careBest.routes[r].reverse();
    careBest.sequenceChanged(r);
  }
};
opsPerRun.set('care: undo a step, keep two (600 visits)', 1);
bench.add('care: undo a step, keep two (600 visits)', () => {
  changeTwo();
  restoreSnapshot(careBest, careKept);
  changeTwo();
  takeSnapshot(careBest, careKept);
  changeTwo();
  takeSnapshot(careBest, careKept);
});
opsPerRun.set('validate a 600-visit problem', 1);
bench.add('validate a 600-visit problem', () => void (sink += findProblemIssues(had).length));
const { plan: hadPlan } = solve(had, { seed: 1, stop: createStop({ iterations: 200 }) });
opsPerRun.set('JSON of a 600-visit plan', 1);
bench.add('JSON of a 600-visit plan', () => void (sink += JSON.stringify(hadPlan).length));

// The large committed day (300 nurses, 3000 visits): validation, the whole setup (travel
// matrix, nearest lists), and its plan (construction only) as JSON.
const large = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/care/had-300n-3000v.json', import.meta.url)), 'utf8'),
);
opsPerRun.set('validate a 3000-visit problem', 1);
bench.add('validate a 3000-visit problem', () => void (sink += findProblemIssues(large).length));
// Too slow for tinybench's 64-sample minimum: five samples after one warm-up.
const heavy = new Bench({ time: 0, iterations: 5, warmup: true, warmupIterations: 1, warmupTime: 0 });
opsPerRun.set('care setup of a 3000-visit problem', 1);
heavy.add('care setup of a 3000-visit problem', () => void (sink += new CareData(large).n));
const { plan: largePlan } = solve(large, { seed: 1, stop: createStop({ iterations: 1 }) });
opsPerRun.set('JSON of a 3000-visit plan', 1);
bench.add('JSON of a 3000-visit plan', () => void (sink += JSON.stringify(largePlan).length));

await bench.run();
await heavy.run();

const rows = [...bench.tasks, ...heavy.tasks].map((t) => {
  const r = t.result as { latency?: { mean: number }; period?: number } | undefined;
  const meanMs = r?.latency?.mean ?? r?.period ?? NaN;
  const ns = (meanMs * 1e6) / (opsPerRun.get(t.name) ?? numPairs);
  return {
    task: t.name,
    nsPerOp: Math.round(ns * 10) / 10,
    opsPerSec: Math.round(1e9 / ns),
    samples: t.runs,
  };
});
const json = JSON.stringify({ instance: values.instance, pairs: numPairs, rows }) + '\n';
if (values['json-out']) writeFileSync(values['json-out'], json);
if (values.json) process.stdout.write(json);
else {
  console.log(
    `instance ${values.instance}: ${numPairs} neighbour pairs per sweep (sink ${sink > 0 ? 'ok' : '0'})`,
  );
  console.table(rows);
}
