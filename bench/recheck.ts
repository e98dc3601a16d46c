/**
 * Re-checks the plans a quality run saved (visit order per nurse) with the independent
 * checker: the plan is rebuilt from those orders and its every figure recomputed.
 *
 *   node --import tsx bench/recheck.ts bench/results/<label>.json
 */
import { readFileSync } from 'node:fs';
import { checkPlan, formatViolations } from '../solver/check/check-plan.ts';
import { parseSolomon } from '../solver/io/solomon.ts';
import { buildPlan } from '../solver/plan/plan.ts';
import { ProblemData } from '../solver/structures/problem-data.ts';
import { Solution } from '../solver/structures/solution.ts';
import type { InstanceResult } from './report.ts';
import { loadSuite, type SuiteName } from './suites.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: recheck.ts <results.json>');
const { settings, results } = JSON.parse(readFileSync(file, 'utf8')) as {
  settings: { suites: SuiteName[]; objective: 'distance' | 'vehicles' };
  results: InstanceResult[];
};
const files = new Map(settings.suites.flatMap(loadSuite).map((i) => [`${i.suite}/${i.name}`, i.file]));
let bad = 0;
let checked = 0;
for (const r of results) {
  if (!r.plan) continue;
  const input = parseSolomon(readFileSync(files.get(`${r.suite}/${r.name}`)!, 'utf8'));
  const data = new ProblemData(input, { objective: settings.objective });
  const nurseIndex = new Map(input.nurses.map((n, k) => [n.id, k]));
  const visitNode = new Map(input.visits.map((v, k) => [v.id, data.numDepots + k]));
  const perVehicle: number[][] = input.nurses.map(() => []);
  for (const [vehicle, ...visits] of r.plan)
    perVehicle[nurseIndex.get(vehicle)!] = visits.map((v) => visitNode.get(v)!);
  const sol = new Solution(data);
  sol.setRoutes(perVehicle);
  const report = checkPlan(input, buildPlan(data, sol));
  checked++;
  const sameDistance = Math.abs(report.recomputed.distance - (r.distance ?? NaN)) < 1e-6;
  if (!report.feasible || !sameDistance || report.recomputed.unassigned > 0) {
    bad++;
    console.log(
      `${r.name} seed ${r.seed}: ${sameDistance ? '' : `distance ${report.recomputed.distance} vs ${r.distance}; `}${formatViolations(report)}`,
    );
  }
}
console.log(`${checked} plans re-checked, ${bad} with a problem`);
process.exitCode = bad > 0 ? 1 : 0;
