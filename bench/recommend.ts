/**
 * Recommendation benchmark: how long a coordinator waits for "where does this new patient fit?"
 * on the generated days, and whether what is offered holds.
 *
 * For each day, a plan is solved once (fixed seed and iterations: the figures do not depend on
 * its quality), then `--visits` new visits drawn with a fixed seed near the day's patients (a
 * random window, duration and skill of the day's) are asked for, each timed end to end as the
 * service runs it: the problem with the visit validated, the engine's arrays built, the plan's
 * routes scheduled again, every position of every nurse-day evaluated, the best 5 described.
 * Also timed: slot offers (2-hour slots over the day) and `explainPlan` (why each left-out visit
 * is out, and its verified suggestions). The first option of every fifth visit is applied and
 * re-checked with the independent checker.
 *
 *   npm run bench:recommend [-- --visits 20] [--label NAME] [--out DIR]
 * Prints a table; writes <out>/recommend-<label>.json (default bench/results/).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkPlan } from '../solver/check/check-plan.ts';
import { applyRecommendation } from '../solver/explain/apply-recommendation.ts';
import { explainPlan } from '../solver/explain/explain-plan.ts';
import { recommend } from '../solver/explain/recommend.ts';
import { applyNeed, recommendNeed } from '../solver/explain/recommend-need.ts';
import { offerSlots } from '../solver/explain/slots.ts';
import type { ProblemInput, VisitInput } from '../solver/model/input.ts';
import { validateProblem } from '../solver/model/validate.ts';
import { Rng } from '../solver/search/rng.ts';
import { createStop } from '../solver/search/stop.ts';
import { solve } from '../solver/solve.ts';

const { values } = parseArgs({
  options: {
    visits: { type: 'string', default: '20' },
    label: { type: 'string', default: 'local' },
    out: { type: 'string', default: new URL('./results/', import.meta.url).pathname },
  },
});
const count = Number(values.visits);
const DAYS = [
  { name: 'had-60n-600v', iterations: 2000 },
  { name: 'had-300n-3000v', iterations: 500 },
];

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (t0: number) => performance.now() - t0;

function newVisit(day: ProblemInput, rng: Rng, k: number): VisitInput {
  const near = day.visits[rng.int(day.visits.length)];
  const at = near.location as { lon: number; lat: number };
  const open = 480 + 30 * rng.int(16);
  const skills = day.visits[rng.int(day.visits.length)].skills;
  return {
    id: `bench-new-${k}`,
    location: { lon: at.lon + (rng.next() - 0.5) * 0.04, lat: at.lat + (rng.next() - 0.5) * 0.04 },
    duration: 15 + 5 * rng.int(10),
    timeWindows: [{ start: open, end: open + 60 + 30 * rng.int(6) }],
    ...(skills !== undefined && { skills }),
  };
}

const rows: object[] = [];
for (const { name, iterations } of DAYS) {
  const day = validateProblem(
    JSON.parse(readFileSync(new URL(`../fixtures/care/${name}.json`, import.meta.url), 'utf8')),
  );
  const { plan } = solve(day, { seed: 1, stop: createStop({ iterations }) });
  const rng = new Rng(7);
  const times: number[] = [];
  let placed = 0;
  let checked = 0;
  let feasible = 0;
  for (let k = 0; k < count; k++) {
    const visit = newVisit(day, rng, k);
    const t0 = performance.now();
    const found = recommend(day, plan, { visit, count: 5 });
    times.push(ms(t0));
    if (found.options.length > 0) placed++;
    if (k % 5 === 0 && found.options.length > 0) {
      const o = found.options[0];
      const applied = applyRecommendation(day, plan, {
        visit,
        nurse: o.nurse,
        shift: o.shift,
        after: o.after,
      });
      checked++;
      if (checkPlan(applied.problem, applied.plan).feasible) feasible++;
    }
  }
  const slotTimes: number[] = [];
  for (let k = 0; k < Math.min(5, count); k++) {
    const visit = { ...newVisit(day, rng, 1000 + k), timeWindows: undefined };
    const t0 = performance.now();
    offerSlots(day, plan, { visit, length: 120, step: 60, count: 5 });
    slotTimes.push(ms(t0));
  }
  const t0 = performance.now();
  const explained = explainPlan(day, plan);
  const explainMs = ms(t0);
  const row = {
    day: name,
    visits: day.visits.length,
    nurses: day.nurses.length,
    asked: count,
    placed,
    recommendMedianMs: quantile(times, 0.5),
    recommendP90Ms: quantile(times, 0.9),
    recommendMaxMs: Math.max(...times),
    slotsMedianMs: quantile(slotTimes, 0.5),
    leftOut: explained.length,
    withSuggestions: explained.filter((u) => (u.suggestions?.length ?? 0) > 0).length,
    explainMs,
    appliedChecked: checked,
    appliedFeasible: feasible,
  };
  rows.push(row);
  console.log(
    `${name}: recommend median ${row.recommendMedianMs.toFixed(0)} ms, p90 ${row.recommendP90Ms.toFixed(0)} ms, ` +
      `max ${row.recommendMaxMs.toFixed(0)} ms (${placed}/${count} placed); slots median ${row.slotsMedianMs.toFixed(0)} ms; ` +
      `explain ${explainMs.toFixed(0)} ms (${row.withSuggestions}/${row.leftOut} left out with suggestions); ` +
      `applied ${feasible}/${checked} feasible`,
  );
}
// A patient's recurring need in a week plan: a new patient with a dressing three times a week.
{
  const name = 'had-week-60n-400p';
  const week = validateProblem(
    JSON.parse(readFileSync(new URL(`../fixtures/care/${name}.json`, import.meta.url), 'utf8')),
  );
  const { plan } = solve(week, { seed: 1, stop: createStop({ iterations: 300 }) });
  const rng = new Rng(5);
  const times: number[] = [];
  let placed = 0;
  let feasible = 0;
  for (let k = 0; k < Math.min(count, 10); k++) {
    const near = week.visits[rng.int(week.visits.length)].location as { lon: number; lat: number };
    const need = {
      patient: { id: `bench-patient-${k}`, location: { lon: near.lon + 0.01, lat: near.lat } },
      care: {
        id: 'dressing',
        per: 'week' as const,
        times: 3,
        minDaysApart: 1,
        window: { start: '08:00', end: '12:00' },
        duration: 30,
      },
    };
    const t0 = performance.now();
    const found = recommendNeed(week, plan, { ...need, count: 3 });
    times.push(ms(t0));
    if (found.options.length > 0) {
      placed++;
      const applied = applyNeed(week, plan, { ...need, first: found.options[0].first });
      if (checkPlan(applied.problem, applied.plan).feasible) feasible++;
    }
  }
  const row = {
    day: name,
    visits: week.visits.length,
    nurses: week.nurses.length,
    need: 'dressing 3 times a week (new patient)',
    asked: times.length,
    placed,
    recommendMedianMs: quantile(times, 0.5),
    recommendMaxMs: Math.max(...times),
    appliedFeasible: feasible,
  };
  rows.push(row);
  console.log(
    `${name} (${week.visits.length} visits): need recommend median ${row.recommendMedianMs.toFixed(0)} ms, ` +
      `max ${row.recommendMaxMs.toFixed(0)} ms (${placed}/${times.length} placed); applied ${feasible}/${placed} feasible`,
  );
}
mkdirSync(values.out!, { recursive: true });
const file = `${values.out}/recommend-${values.label}.json`;
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2) + '\n');
console.log(`wrote ${file}`);
