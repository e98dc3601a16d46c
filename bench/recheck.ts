/**
 * Re-checks the plans a quality run saved (visit order per nurse) with the independent
 * checker: the plan is rebuilt from those orders and its every figure recomputed.
 *
 *   node --import tsx bench/recheck.ts bench/results/<label>.json
 */
import { readFileSync } from 'node:fs';
import { CareData } from '../solver/care/care-data.ts';
import { buildCarePlan } from '../solver/care/care-plan.ts';
import { Schedule } from '../solver/care/schedule.ts';
import { checkPlan, formatViolations } from '../solver/check/check-plan.ts';
import { parseMankowska } from '../solver/io/mankowska.ts';
import { parseSolomon } from '../solver/io/solomon.ts';
import { buildPlan } from '../solver/core/core-plan.ts';
import { ProblemData } from '../solver/core/problem-data.ts';
import { Solution } from '../solver/core/solution.ts';
import { dimacsDistance, dimacsProblem } from './dimacs-distance.ts';
import { verifyMankowska } from './mankowska-verify.ts';
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
  if (r.suite === 'mankowska') {
    checked++;
    const problem = recheckMankowska(r, readFileSync(files.get(`${r.suite}/${r.name}`)!, 'utf8'));
    if (problem !== null) {
      bad++;
      console.log(`${r.name} seed ${r.seed}: ${problem}`);
    }
    continue;
  }
  const fileInput = parseSolomon(readFileSync(files.get(`${r.suite}/${r.name}`)!, 'utf8'));
  // A plan solved in the DIMACS convention is checked on the legs it was solved on.
  const input = r.convention === 'dimacs' ? dimacsProblem(fileInput) : fileInput;
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
  // The truncated figure a Gehring-Homberger gap is taken on (a plan feasible in double
  // precision is feasible under truncation too).
  const trunc1 = r.distanceTrunc1 === undefined ? undefined : dimacsDistance(fileInput, r.plan);
  const sameTrunc1 = trunc1 === undefined || Math.abs(trunc1 - r.distanceTrunc1!) < 1e-6;
  if (!report.feasible || !sameDistance || !sameTrunc1 || report.recomputed.unassigned > 0) {
    bad++;
    console.log(
      `${r.name} seed ${r.seed}: ${sameDistance ? '' : `distance ${report.recomputed.distance} vs ${r.distance}; `}${sameTrunc1 ? '' : `truncated distance ${trunc1} vs ${r.distanceTrunc1}; `}${formatViolations(report)}`,
    );
  }
}
console.log(`${checked} plans re-checked, ${bad} with a problem`);
process.exitCode = bad > 0 ? 1 : 0;

/** Rebuilds a Mankowska plan from its visit orders, checks it with the checker and the raw-file verifier. */
function recheckMankowska(r: InstanceResult, text: string): string | null {
  const input = parseMankowska(text);
  const data = new CareData(input);
  const nurse = new Map(input.nurses.map((n, k) => [n.id, k]));
  const visit = new Map(input.visits.map((v, k) => [v.id, k]));
  const routes: number[][] = input.nurses.map(() => []);
  for (const [vehicle, ...visits] of r.plan!) routes[nurse.get(vehicle)!] = visits.map((v) => visit.get(v)!);
  const sched = new Schedule(data);
  if (!sched.setRoutes(routes)) return 'the visit orders admit no schedule';
  const plan = buildCarePlan(data, sched);
  const report = checkPlan(input, plan);
  const raw = verifyMankowska(text, plan);
  const problems = [...(report.feasible ? [] : [formatViolations(report)]), ...raw.errors];
  if (Math.abs(raw.z - (r.cost ?? NaN)) > 1e-6 * Math.max(1, raw.z))
    problems.push(`Z ${raw.z} vs reported ${r.cost}`);
  return problems.length > 0 ? problems.join('; ') : null;
}
