/**
 * The short deterministic benchmark CI runs on every change: the Solomon fixtures solved with
 * a fixed seed and iteration count (so costs are reproducible on any machine), each plan
 * re-checked by the independent checker, each distance compared with the threshold recorded
 * in bench/ci-thresholds.json. Prints a table; exits 1 when a plan is infeasible or a cost is
 * above its threshold. `--record` rewrites the thresholds from this run (+0.5% slack).
 *
 *   npm run bench:ci [-- --record]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { checkPlan } from '../solver/check/check-plan.ts';
import { createStop, parseSolomon, solve } from '../solver/index.ts';

interface Threshold {
  objective: 'distance' | 'vehicles';
  iterations: number;
  seed: number;
  /** Distance recorded when the threshold was set, and the most this run may reach. */
  recorded: number;
  maxDistance: number;
  maxRoutes: number;
}

const { values } = parseArgs({ options: { record: { type: 'boolean', default: false } } });
const fixtures = fileURLToPath(new URL('../fixtures/solomon/', import.meta.url));
const thresholdsFile = fileURLToPath(new URL('./ci-thresholds.json', import.meta.url));
const thresholds = JSON.parse(readFileSync(thresholdsFile, 'utf8')) as Record<string, Threshold>;
const bks = JSON.parse(readFileSync(`${fixtures}bks.json`, 'utf8')) as Record<
  string,
  { distance: number; distance_only_double_best: number }
>;

let failed = 0;
const rows = [];
for (const [key, t] of Object.entries(thresholds)) {
  const name = key.split(':')[0];
  const input = parseSolomon(readFileSync(`${fixtures}${name}.txt`, 'utf8'));
  const t0 = performance.now();
  const { plan, iterations } = solve(input, {
    seed: t.seed,
    objective: t.objective,
    stop: createStop({ iterations: t.iterations }),
  });
  const ms = performance.now() - t0;
  const report = checkPlan(input, plan);
  const { distance, routes } = plan.summary;
  const ok =
    values.record ||
    (report.feasible &&
      distance <= t.maxDistance + 1e-9 &&
      routes <= t.maxRoutes &&
      plan.unassigned.length === 0);
  if (!ok || !report.feasible) failed++;
  if (values.record) {
    t.recorded = Math.round(distance * 100) / 100;
    t.maxDistance = Math.round(distance * 1.005 * 100) / 100;
    t.maxRoutes = routes;
  }
  rows.push({
    run: key,
    iterations,
    distance: Math.round(distance * 100) / 100,
    threshold: t.maxDistance,
    routes,
    // Distance mode: against the best distance-only value; vehicles mode: the hierarchical one.
    gapToBest: `${((distance / (t.objective === 'vehicles' ? bks[name].distance : bks[name].distance_only_double_best) - 1) * 100).toFixed(2)}%`,
    feasible: report.feasible,
    ms: Math.round(ms),
    status: values.record ? 'recorded' : ok ? 'ok' : 'FAIL',
  });
}
console.table(rows);
if (values.record) {
  writeFileSync(thresholdsFile, JSON.stringify(thresholds, null, 2) + '\n');
  console.log(`thresholds recorded in ${thresholdsFile}`);
} else if (failed > 0) {
  console.error(`${failed} run(s) infeasible or above threshold`);
  process.exitCode = 1;
}
