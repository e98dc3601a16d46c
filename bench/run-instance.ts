/**
 * Solves one benchmark instance in its own process and prints one JSON line of results.
 * Used by bench/quality.ts and bench/paired.ts (through bench/run-one.ts) so that every timed solve
 * has a core (and a fresh heap) to itself.
 *   node --import tsx bench/run-instance.ts <file> [--time-limit S] [--iterations N] [--seed N] [--objective O]
 *     [--recombine EVERY --pool SIZE] [--plan-out FILE] [--convention double|dimacs]
 * <file>: Solomon / Gehring-Homberger text, Mankowska text, or a native JSON problem.
 * --convention dimacs (Solomon-format files): solved, planned and checked with every leg's
 * distance and time truncated to one decimal (dimacsProblem), the convention of the
 * Gehring-Homberger distance-only best known values; double (default): in double precision.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  createStop,
  looksLikeMankowska,
  ProblemData,
  solveData,
  type SolveOptions,
  type ObjectiveName,
  parseMankowska,
  parseSolomon,
  solve,
  validateProblem,
} from '../solver/index.ts';
import { MANDATORY_PENALTY } from '../solver/care/care-data.ts';
import { usesCareModel } from '../solver/care/uses-care-model.ts';
import { DIMACS_TRIANGLE_SLACK, dimacsDistance, dimacsProblem } from './dimacs-distance.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    seed: { type: 'string', default: '1' },
    objective: { type: 'string' },
    recombine: { type: 'string' },
    pool: { type: 'string' },
    'plan-out': { type: 'string' },
    convention: { type: 'string', default: 'double' },
  },
});
const file = positionals[0];
const text = readFileSync(file, 'utf8');
const native = file.endsWith('.json');
const input = native
  ? validateProblem(JSON.parse(text))
  : looksLikeMankowska(text)
    ? parseMankowska(text)
    : parseSolomon(text);
const convention = values.convention;
if (convention !== 'double' && convention !== 'dimacs')
  throw new Error(`--convention: double or dimacs, not ${convention}`);
if (convention === 'dimacs' && (native || looksLikeMankowska(text)))
  throw new Error('--convention dimacs: for Solomon-format files only');
const timeLimitMs = values['time-limit'] ? Number(values['time-limit']) * 1000 : undefined;
const iterations = values.iterations ? Number(values.iterations) : undefined;
const t0 = performance.now();
/**
 * Every improvement of the best plan: [ms since start, cost, visits left out, mandatory
 * left out]. A home-care search prices a mandatory visit left out at MANDATORY_PENALTY and an
 * unplaced break at ten times that (so one counts ten here); the trace gives that count apart
 * and the cost without those penalties, so a curve compares only equally complete plans. (The
 * final repair of a degenerate run, which places missing breaks, is not traced.)
 */
const care = usesCareModel(input);
const trace: [number, number, number, number][] = [];
// Time-window benchmarks default to distance; a JSON or Mankowska problem keeps its own objective.
const objective = (values.objective ?? (native || looksLikeMankowska(text) ? undefined : 'distance')) as
  ObjectiveName | undefined;
const options: SolveOptions = {
  seed: Number(values.seed),
  objective,
  recombine: values.recombine
    ? { every: Number(values.recombine), poolSize: Number(values.pool ?? 150) }
    : undefined,
  stop: createStop({ timeLimitMs, iterations, now: () => performance.now() }),
  onImprovement: (e) => {
    const k = care ? Math.floor(e.cost / MANDATORY_PENALTY) : e.unassigned;
    trace.push([
      Math.round(performance.now() - t0),
      care ? e.cost - k * MANDATORY_PENALTY : e.cost,
      e.unassigned,
      k,
    ]);
  },
};
// The problem solved and checked: the file's, or its DIMACS form (legs truncated, as a matrix),
// built within the time limit as solve() validates within it.
const solved = convention === 'dimacs' ? validateProblem(dimacsProblem(input)) : input;
// The DIMACS form's matrix keeps the triangle inequality to within the truncation: said so, a
// search without local search gives up hopeless steps there as it does on coordinates.
const outcome =
  convention === 'dimacs'
    ? solveData(
        new ProblemData(solved, { objective, validated: true, triangleSlack: DIMACS_TRIANGLE_SLACK }),
        options,
      )
    : solve(input, options);
const timeMs = performance.now() - t0;
const { checkPlan } = await import('../solver/check/check-plan.ts').catch(() => ({
  checkPlan: () => ({ feasible: null, violations: [] as unknown[] }),
}));
const report = checkPlan(solved, outcome.plan);
const { summary } = outcome.plan;
const optional = new Set(input.visits.filter((v) => v.optional).map((v) => v.id));
const routesOut = outcome.plan.routes.map((r) => [r.vehicle, ...r.stops.map((s) => s.visit)]);
if (values['plan-out']) writeFileSync(values['plan-out'], JSON.stringify(outcome.plan) + '\n');
process.stdout.write(
  JSON.stringify({
    convention,
    distance: summary.distance,
    // Solomon-format instances: the same plan's distance with every arc truncated to 1 decimal.
    ...(native || looksLikeMankowska(text) ? {} : { distanceTrunc1: dimacsDistance(input, routesOut) }),
    cost: summary.cost,
    travelTime: summary.travelTime,
    routes: summary.routes,
    unassigned: summary.unassigned,
    leftOutMandatory: outcome.plan.unassigned.filter((u) => !optional.has(u.visit)).length,
    feasible: report.feasible,
    violations: report.violations.length,
    // The first few, so a failed check can be read from the results without re-running.
    violationSamples: report.violations.slice(0, 5),
    iterations: outcome.iterations,
    timeMs: Math.round(timeMs),
    // Peak resident memory of this process (kB → MB), the problem and search included.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    trace,
    // The visit ids of each route, so a run can be re-checked later (bench/recheck.ts).
    plan: routesOut,
  }) + '\n',
);
