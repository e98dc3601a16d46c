/**
 * Robust plans against nominal ones on the same sampled days.
 *
 * Each generated day gets uncertain times (seeded): each visit's `durationP90` is its duration
 * times a factor drawn from [1.1, 1.5] (dressings and first visits overrun, insulin does not
 * much), and travel a `travelSpread` of 0.2. The nominal plan is solved as if times were sure
 * (no `confidence`); the robust one with `confidence` (default 0.9), the same seed and
 * iterations. Both are re-checked with the independent checker, then replayed on the same
 * `--scenarios` sampled days (one seed: each visit's care time and each leg's travel depend on
 * the day, not on the plan). Printed: on-time rate, overtime risk, expected lateness, travel,
 * visits left out.
 *
 *   npm run bench:robust [-- --days had-60n-600v] [--iterations 4000] [--confidence 0.9] [--scenarios 1000]
 *                        [--label NAME] [--out DIR]
 * Writes <out>/robust-<label>.json (default bench/results/).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkPlan } from '../solver/check/check-plan.ts';
import type { ProblemInput } from '../solver/model/input.ts';
import { validateProblem } from '../solver/model/validate.ts';
import { simulatePlan } from '../solver/robust/simulate.ts';
import { Rng } from '../solver/search/rng.ts';
import { createStop } from '../solver/search/stop.ts';
import { solve } from '../solver/solve.ts';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: 'had-5n-40v,had-60n-600v' },
    iterations: { type: 'string', default: '4000' },
    confidence: { type: 'string', default: '0.9' },
    scenarios: { type: 'string', default: '1000' },
    label: { type: 'string', default: 'local' },
    out: { type: 'string', default: new URL('./results/', import.meta.url).pathname },
  },
});
const iterations = Number(values.iterations);
const confidence = Number(values.confidence);
const scenarios = Number(values.scenarios);

/** The day with seeded uncertain times. */
function uncertain(raw: ProblemInput): ProblemInput {
  const rng = new Rng(11);
  return {
    ...raw,
    travelSpread: 0.2,
    visits: raw.visits.map((v) =>
      v.duration === undefined
        ? v
        : { ...v, durationP90: Math.round(v.duration * (1.1 + 0.4 * rng.next()) * 10) / 10 },
    ),
  };
}

const rows = [];
for (const name of values.days!.split(',')) {
  const raw = uncertain(
    JSON.parse(readFileSync(new URL(`../fixtures/care/${name}.json`, import.meta.url), 'utf8')),
  );
  const result: Record<string, unknown> = { day: name, iterations, confidence, scenarios };
  for (const kind of ['nominal', 'robust'] as const) {
    const problem = validateProblem(kind === 'robust' ? { ...raw, confidence } : raw);
    const t0 = performance.now();
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations }) });
    const seconds = (performance.now() - t0) / 1000;
    const feasible = checkPlan(problem, plan).feasible;
    const sim = simulatePlan(problem, plan, { scenarios, seed: 2026 });
    const row = {
      onTimeRate: sim.onTimeRate,
      overtimeRisk: sim.overtimeRisk,
      expectedOvertime: sim.nurses.reduce((s, n) => s + n.expectedOvertime, 0),
      expectedLateness: sim.expectedLateness,
      travelTime: plan.summary.travelTime,
      unassigned: plan.summary.unassigned,
      cost: plan.summary.cost,
      seconds,
      feasible,
    };
    result[kind] = row;
    console.log(
      `${name} ${kind.padEnd(7)}: on time ${(100 * row.onTimeRate).toFixed(1)}%, overtime risk ${(100 * row.overtimeRisk).toFixed(1)}%, ` +
        `expected overtime ${row.expectedOvertime.toFixed(0)} min, lateness ${row.expectedLateness.toFixed(0)} min, ` +
        `travel ${row.travelTime.toFixed(0)} min, ${row.unassigned} left out, ${seconds.toFixed(1)} s, ${feasible ? 'feasible' : 'INFEASIBLE'}`,
    );
  }
  rows.push(result);
}
mkdirSync(values.out!, { recursive: true });
const file = `${values.out}/robust-${values.label}.json`;
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2) + '\n');
console.log(`wrote ${file}`);
