/**
 * Solves one benchmark instance in its own process and prints one JSON line of results.
 * Used by bench/quality.ts so that every timed solve has a core (and a fresh heap) to itself.
 *   node --import tsx bench/run-instance.ts <file> [--time-limit S] [--iterations N] [--seed N] [--objective O]
 *     [--recombine EVERY --pool SIZE]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  createStop,
  looksLikeMankowska,
  type ObjectiveName,
  parseMankowska,
  parseSolomon,
  solve,
} from '../solver/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    seed: { type: 'string', default: '1' },
    objective: { type: 'string', default: 'distance' },
    recombine: { type: 'string' },
    pool: { type: 'string' },
  },
});
const file = positionals[0];
const text = readFileSync(file, 'utf8');
const input = looksLikeMankowska(text) ? parseMankowska(text) : parseSolomon(text);
const timeLimitMs = values['time-limit'] ? Number(values['time-limit']) * 1000 : undefined;
const iterations = values.iterations ? Number(values.iterations) : undefined;
const t0 = performance.now();
const trace: [number, number][] = [];
const outcome = solve(input, {
  seed: Number(values.seed),
  objective: values.objective as ObjectiveName,
  recombine: values.recombine
    ? { every: Number(values.recombine), poolSize: Number(values.pool ?? 150) }
    : undefined,
  stop: createStop({ timeLimitMs, iterations, now: () => performance.now() }),
  onImprovement: (e) => trace.push([Math.round(performance.now() - t0), e.cost]),
});
const timeMs = performance.now() - t0;
const { checkPlan } = await import('../solver/check/check-plan.ts').catch(() => ({
  checkPlan: () => ({ feasible: null, violations: [] as unknown[] }),
}));
const report = checkPlan(input, outcome.plan);
const { summary } = outcome.plan;
process.stdout.write(
  JSON.stringify({
    distance: summary.distance,
    cost: summary.cost,
    routes: summary.routes,
    unassigned: summary.unassigned,
    feasible: report.feasible,
    violations: report.violations.length,
    iterations: outcome.iterations,
    timeMs: Math.round(timeMs),
    trace,
    // The visit ids of each route, so a run can be re-checked later (bench/recheck.ts).
    plan: outcome.plan.routes.map((r) => [r.vehicle, ...r.stops.map((s) => s.visit)]),
  }) + '\n',
);
