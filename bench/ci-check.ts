/**
 * The short deterministic benchmark CI runs on every change: fixtures solved with a fixed seed
 * and iteration count (so costs are reproducible on any machine): Solomon instances (distance
 * and vehicles), a Mankowska instance and generated hospital-at-home days (the weighted
 * home-care objective, `summary.cost`). Each plan is re-checked by the independent checker,
 * each cost compared with the threshold recorded in bench/ci-thresholds.json; a home-care plan
 * must also leave no mandatory visit out. Prints a table; exits 1 when a plan is infeasible or
 * a cost is above its threshold. `--record` rewrites the thresholds from this run (+0.5% slack).
 *
 *   npm run bench:ci [-- --record]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { checkPlan } from '../solver/check/check-plan.ts';
import {
  createStop,
  parseMankowska,
  parseSolomon,
  type ProblemInput,
  solve,
  validateProblem,
} from '../solver/index.ts';

interface Threshold {
  /** `weighted`: a home-care fixture, compared on summary.cost. */
  objective: 'distance' | 'vehicles' | 'weighted';
  /** The fixture, relative to fixtures/ (default solomon/<name>.txt). */
  file?: string;
  iterations: number;
  seed: number;
  /** Distance (weighted: cost) recorded when the threshold was set, and the most this run may reach. */
  recorded: number;
  maxDistance: number;
  maxRoutes: number;
  /** Best known value, when one is published (Mankowska Z). */
  best?: number;
}

const { values } = parseArgs({ options: { record: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixtures = `${root}solomon/`;
const load = (file: string): ProblemInput => {
  const text = readFileSync(`${root}${file}`, 'utf8');
  if (file.endsWith('.json')) return validateProblem(JSON.parse(text));
  return file.startsWith('mankowska/') ? parseMankowska(text) : parseSolomon(text);
};
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
  const weighted = t.objective === 'weighted';
  const input = load(t.file ?? `solomon/${name}.txt`);
  const t0 = performance.now();
  const { plan, iterations } = solve(input, {
    seed: t.seed,
    objective: weighted ? undefined : (t.objective as 'distance' | 'vehicles'),
    stop: createStop({ iterations: t.iterations }),
  });
  const ms = performance.now() - t0;
  const report = checkPlan(input, plan);
  const { routes } = plan.summary;
  const distance = weighted ? plan.summary.cost : plan.summary.distance;
  const mandatoryOut = plan.unassigned.filter((u) => !input.visits.find((v) => v.id === u.visit)?.optional);
  const ok =
    values.record ||
    (report.feasible &&
      distance <= t.maxDistance + 1e-9 &&
      routes <= t.maxRoutes &&
      mandatoryOut.length === 0);
  if (!ok || !report.feasible) failed++;
  if (values.record) {
    t.recorded = Math.round(distance * 100) / 100;
    t.maxDistance = Math.round(distance * 1.005 * 100) / 100;
    t.maxRoutes = weighted ? input.nurses.length : routes;
  }
  rows.push({
    run: key,
    iterations,
    distance: Math.round(distance * 100) / 100,
    threshold: t.maxDistance,
    routes,
    // Distance mode: against the best distance-only value; vehicles mode: the hierarchical one.
    gapToBest: weighted
      ? t.best === undefined
        ? ''
        : `${((distance / t.best - 1) * 100).toFixed(2)}%`
      : `${((distance / (t.objective === 'vehicles' ? bks[name].distance : bks[name].distance_only_double_best) - 1) * 100).toFixed(2)}%`,
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
