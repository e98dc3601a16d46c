/**
 * Week benchmark: one plan of the whole week against seven days planned one by one.
 *
 * (a) The week plan: one `solve` of the whole horizon (contracts, rest, consecutive days, the
 *     days of weekly care and continuity over the week are the solver's to weigh).
 * (b) Day by day, under the same rules, the way a planner without a horizon works: each day is a
 *     one-day problem with that day's shifts only; a nurse's hours for the day are what her
 *     contract has left after the days before, her shift starts late enough to keep her rest
 *     after her last return (contract.minRest, 11 h by default), her days off and most days in a
 *     row are kept; weekly care is given its days beforehand (occurrence k of n on evenly spaced
 *     candidate days at least minDaysApart apart, the pattern rotated from one patient to the
 *     next so the days are evenly loaded), daily care stays on its day; nurses who saw a patient
 *     on an earlier day become known to her (her history) for the later days. Each day gets the
 *     time limit / days, so both plans get the same total time.
 *
 * Both plans are measured alike on the week problem (the day plans are put together into one
 * week plan, every time moved onto the week's axis) and re-checked with checkPlan: the week plan
 * against the week, each day plan against its day problem, and the put-together week against the
 * week (its summary is recomputed with the checker's own terms, so only its routes, contracts,
 * rest, days, spacing and patients' rules are checked there).
 *
 *   npm run bench:week [-- --week FILE] [--time-limit 60] [--seed 1] [--label NAME] [--out DIR]
 * Writes <out>/week-<label>.json (default bench/results/, label: the week file's name).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Calendar } from '../solver/calendar/calendar.ts';
import { recurringRules } from '../solver/calendar/resolve-times.ts';
import { DEFAULT_MIN_REST_MINUTES } from '../solver/calendar/resolve-times.ts';
import { careTerms } from '../solver/check/check-care.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import type {
  DependencyInput,
  NurseInput,
  PatientInput,
  ProblemInput,
  VisitInput,
} from '../solver/model/input.ts';
import { validateProblem } from '../solver/model/validate.ts';
import type { Plan, PlanRoute } from '../solver/model/plan.ts';
import { solve } from '../solver/solve.ts';
import { createStop } from '../solver/search/stop.ts';
import { measureWeekPlan } from './week-measures.ts';

const { values } = parseArgs({
  options: {
    week: {
      type: 'string',
      default: fileURLToPath(new URL('../fixtures/care/had-week-60n-400p.json', import.meta.url)),
    },
    'time-limit': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    label: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
  },
});
const timeLimitS = Number(values['time-limit']);
const seed = Number(values.seed);
if (!(timeLimitS > 0) || !Number.isInteger(seed)) {
  process.stderr.write('week: --time-limit must be a positive number of seconds, --seed an integer\n');
  process.exit(2);
}
const out = values.out.endsWith('/') ? values.out : `${values.out}/`;
const label = values.label ?? basename(values.week).replace(/\.json$/, '');
mkdirSync(out, { recursive: true });

const raw = JSON.parse(readFileSync(values.week, 'utf8')) as ProblemInput;
const input = validateProblem(raw);
const calendar = Calendar.of(input);
if (calendar === null) throw new Error('week: the problem has no horizon');
const days = calendar.days;
const dates = Array.from({ length: days }, (_, d) => calendar.dateOfDay(d));
const visitById = new Map(input.visits.map((v) => [v.id, v]));
const mandatory = new Set(input.visits.filter((v) => v.optional !== true).map((v) => v.id));
const now = () => performance.now();

// ---------------------------------------------------------------------------------------------
// (a) The week plan.

process.stderr.write(
  `week ${label}: ${input.nurses.length} nurses, ${input.patients?.length ?? 0} patients, ` +
    `${input.visits.length} visits (${mandatory.size} mandatory) over ${days} days; ${timeLimitS} s each\n`,
);
const weekT0 = now();
let firstCompleteMs: number | null = null;
let firstPlanMs: number | null = null;
let firstCompleteIteration: number | null = null;
const weekOutcome = solve(raw, {
  seed,
  stop: createStop({ timeLimitMs: timeLimitS * 1000, now }),
  onImprovement: (e) => {
    firstPlanMs ??= now() - weekT0;
    // The cost counts 1e9 per mandatory visit left out: below it, every mandatory visit is in.
    if (firstCompleteMs === null && e.cost < 1e9) {
      firstCompleteMs = now() - weekT0;
      firstCompleteIteration = e.iteration;
    }
  },
});
const weekMs = now() - weekT0;
const weekPlan = weekOutcome.plan;
const weekCheck = checkPlan(raw, weekPlan);
const week = measureWeekPlan(input, calendar, weekPlan);
process.stderr.write(`week plan: ${JSON.stringify(week)}\n`);

// ---------------------------------------------------------------------------------------------
// (b) Day by day.

/** Each visit's day in the day-by-day plan: daily care on its day, weekly care spread beforehand. */
const dayOfVisit = new Map<string, number>();
const windowDay = (w: { start: number }) => calendar.dayOf(w.start);
for (const v of input.visits)
  if ((v.timeWindows?.length ?? 0) > 0) dayOfVisit.set(v.id, windowDay(v.timeWindows![0]));
/** Round-robin offsets per weekly pattern (times, candidate days): patients take turns. */
const turns = new Map<string, number>();
for (const rule of recurringRules(raw)) {
  if (rule.per !== 'week') continue;
  for (const ids of rule.periods) {
    // Candidate days: those of the week's visits' windows (each visit's are cut to the days that
    // leave room for the others; together they are the need's days), unless on fixed dates.
    const candidates = [...new Set(ids.flatMap((id) => visitById.get(id)!.timeWindows!.map(windowDay)))].sort(
      (a, b) => a - b,
    );
    if (ids.every((id) => visitById.get(id)!.timeWindows!.length === 1)) continue; // fixed dates
    const n = ids.length;
    const m = candidates.length;
    const gap = rule.minDaysApart;
    // Evenly spaced positions among the candidates, then the whole pattern moved by a turn.
    const base = Array.from({ length: n }, (_, k) => Math.floor((k * m) / n));
    const key = `${n}/${candidates.join(',')}/${gap}`;
    const slack = m - 1 - base[n - 1];
    const turn = turns.get(key) ?? 0;
    turns.set(key, turn + 1);
    let chosen = base.map((b) => candidates[b + (turn % (slack + 1))]);
    const spaced = (ds: number[]) => ds.every((d, k) => k === 0 || d - ds[k - 1] >= Math.max(gap, 1));
    if (!spaced(chosen)) {
      // Greedy from the first candidate: each at least `gap` days after the one before.
      chosen = [];
      for (const d of candidates)
        if (chosen.length < n && (chosen.length === 0 || d - chosen.at(-1)! >= gap)) chosen.push(d);
    }
    ids.forEach((id, k) => {
      if (chosen[k] !== undefined) dayOfVisit.set(id, chosen[k]);
    });
  }
}

const seenBefore = new Map<string, Set<string>>();
const worked = new Map<string, { day: number; departure: number; return: number }[]>();
const dayPlans: { date: string; plan: Plan; violations: number; iterations: number; ms: number }[] = [];
const mergedRoutes: PlanRoute[] = [];
const mergedUnassigned: Plan['unassigned'] = [];
let dayIterations = 0;
let dayViolations = 0;
const dayTimeMs = (timeLimitS * 1000) / days;
const byeBye = new Set(['shifts', 'contract', 'shift', 'breaks', 'maxWorkingTime', 'unavailable']);

for (let d = 0; d < days; d++) {
  const off = calendar.dayStart(d);
  const shiftOn = (n: NurseInput) => (n.shifts ?? []).findIndex((s) => calendar.dayOf(s.start) === d);
  const nurses: NurseInput[] = [];
  for (const n of input.nurses) {
    const k = shiftOn(n);
    if (k < 0) continue;
    const s = n.shifts![k];
    const c = n.contract ?? {};
    if ((c.daysOff ?? []).includes(dates[d])) continue;
    const before = worked.get(n.id) ?? [];
    const used = before.reduce((a, x) => a + (x.return - x.departure), 0);
    const left = (c.maxWorkingTime ?? Infinity) - used;
    if (left <= 0) continue;
    if (c.maxConsecutiveDays !== undefined) {
      let run = 0;
      while (before.some((x) => x.day === d - run - 1)) run++;
      if (run >= c.maxConsecutiveDays) continue;
    }
    const last = before.at(-1);
    const rest = c.minRest ?? DEFAULT_MIN_REST_MINUTES * (input.timeUnit === 'second' ? 60 : 1);
    const start = Math.max(s.start, last === undefined ? -Infinity : last.return + rest);
    if (start >= s.end) continue;
    const rest_ = Object.fromEntries(Object.entries(n).filter(([key]) => !byeBye.has(key))) as NurseInput;
    const dayCap = Math.min(n.maxWorkingTime ?? Infinity, left);
    const breaks = (s.breaks ?? []).filter((b) => b.window.end - b.duration >= start);
    const unavailable = (n.unavailable ?? []).filter((u) => u.end > start && u.start < s.end);
    nurses.push({
      ...rest_,
      shift: { start: start - off, end: s.end - off },
      ...(Number.isFinite(dayCap) && { maxWorkingTime: dayCap }),
      ...(unavailable.length > 0 && {
        unavailable: unavailable.map((u) => ({
          ...u,
          start: Math.max(u.start, start) - off,
          end: Math.min(u.end, s.end) - off,
        })),
      }),
      ...(breaks.length > 0 && {
        breaks: breaks.map((b) => ({
          ...b,
          window: { start: Math.max(b.window.start, start) - off, end: b.window.end - off },
        })),
      }),
    });
  }
  const present = new Set(nurses.map((n) => n.id));
  const ids = new Set(input.visits.filter((v) => dayOfVisit.get(v.id) === d).map((v) => v.id));
  const visits: VisitInput[] = input.visits
    .filter((v) => ids.has(v.id))
    .map((v) => {
      const { preferredNurses: _known, excludedNurses, ...rest } = v;
      void _known;
      const excluded = (excludedNurses ?? []).filter((id) => present.has(id));
      const ws = v.timeWindows!.filter((w) => windowDay(w) === d);
      return {
        ...rest,
        ...(excluded.length > 0 && { excludedNurses: excluded }),
        timeWindows: ws.map((w) => ({ start: w.start - off, end: w.end - off })),
        ...(v.preferredWindow && {
          preferredWindow: {
            ...v.preferredWindow,
            end: v.preferredWindow.end - off,
            ...(v.preferredWindow.start !== undefined && { start: v.preferredWindow.start - off }),
          },
        }),
      };
    });
  // Known nurses: her history and whoever saw her on an earlier day.
  const patients: PatientInput[] = (input.patients ?? []).map((p) => {
    const v = input.visits.find((x) => (x.patient ?? x.id) === p.id);
    // Only nurses of the day can be named (the others are off).
    const known = new Set(
      [...(v?.preferredNurses ?? []), ...(seenBefore.get(p.id) ?? [])].filter((id) => present.has(id)),
    );
    const { care: _care, preferredNurses: _pref, ...rest } = p;
    void _care;
    void _pref;
    return { ...rest, ...(known.size > 0 ? { history: [...known] } : { history: undefined }) };
  });
  for (const p of patients) if (p.history === undefined) delete p.history;
  const dependencies: DependencyInput[] = (input.dependencies ?? []).filter(
    (x) => ids.has(x.before) && ids.has(x.after),
  );
  const problem: ProblemInput = {
    name: `${input.name ?? label} ${dates[d]}`,
    timeZone: input.timeZone,
    date: dates[d],
    timeUnit: input.timeUnit,
    ...(input.profiles && { profiles: input.profiles }),
    ...(input.weights && { weights: input.weights }),
    nurses,
    visits,
    dependencies,
    patients,
  };
  const t0 = now();
  const outcome = solve(problem, { seed, stop: createStop({ timeLimitMs: dayTimeMs, now }) });
  const ms = now() - t0;
  const check = checkPlan(problem, outcome.plan);
  dayIterations += outcome.iterations;
  dayViolations += check.violations.length;
  dayPlans.push({
    date: dates[d],
    plan: outcome.plan,
    violations: check.violations.length,
    iterations: outcome.iterations,
    ms,
  });
  const shiftIndex = new Map(input.nurses.map((n) => [n.id, shiftOn(n)]));
  for (const r of outcome.plan.routes) {
    const moved: PlanRoute = {
      vehicle: r.vehicle,
      shift: shiftIndex.get(r.vehicle)!,
      date: dates[d],
      departure: r.departure + off,
      return: r.return + off,
      distance: r.distance,
      travelTime: r.travelTime,
      stops: r.stops.map((s) => ({
        visit: s.visit,
        arrival: s.arrival + off,
        start: s.start + off,
        end: s.end + off,
        ...(s.lateness !== undefined && { lateness: s.lateness }),
        ...(s.earliness !== undefined && { earliness: s.earliness }),
      })),
      ...(r.breaks && {
        breaks: r.breaks.map((b) => ({ id: b.id, after: b.after, start: b.start + off, end: b.end + off })),
      }),
    };
    mergedRoutes.push(moved);
    const list = worked.get(r.vehicle) ?? [];
    list.push({ day: d, departure: moved.departure, return: moved.return });
    worked.set(r.vehicle, list);
    for (const s of r.stops) {
      const p = visitById.get(s.visit)!.patient ?? s.visit;
      seenBefore.set(p, (seenBefore.get(p) ?? new Set()).add(r.vehicle));
    }
  }
  mergedUnassigned.push(...outcome.plan.unassigned);
  process.stderr.write(
    `day ${dates[d]}: ${nurses.length} nurses, ${visits.length} visits, ${outcome.plan.unassigned.length} left out, ` +
      `${outcome.iterations} iterations, ${check.violations.length} violations\n`,
  );
}
/** The put-together week as a plan of the week problem; its summary from the checker's terms. */
function mergedPlan(): Plan {
  const distance = mergedRoutes.reduce((a, r) => a + r.distance, 0);
  const travelTime = mergedRoutes.reduce((a, r) => a + r.travelTime, 0);
  const draft: Plan = {
    summary: {
      objective: 'weighted',
      cost: 0,
      distance,
      travelTime,
      routes: mergedRoutes.length,
      unassigned: mergedUnassigned.length,
    },
    routes: mergedRoutes,
    unassigned: mergedUnassigned,
  };
  const terms = careTerms(input, draft, { distance, travelTime });
  draft.summary.terms = Object.fromEntries(
    Object.entries(terms).map(([k, t]) => [k, { ...t, cost: t.value * t.weight }]),
  );
  draft.summary.cost = Object.values(terms).reduce((a, t) => a + t.value * t.weight, 0);
  return draft;
}
const merged = mergedPlan();
const mergedCheck = checkPlan(raw, merged);
const byDay = measureWeekPlan(input, calendar, merged);
process.stderr.write(`day by day: ${JSON.stringify(byDay)}\n`);

// ---------------------------------------------------------------------------------------------
// Report.

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
// Per second of search, after the first plan (as bench/scale.ts).
const weekIterPerS = weekOutcome.iterations / Math.max(1e-3, (weekMs - (firstPlanMs ?? 0)) / 1000);
const rows: [string, string, string][] = [
  ['total travel time (min)', r1(week.travelTime).toString(), r1(byDay.travelTime).toString()],
  ['distinct nurses per patient, mean', r2(week.meanNurses).toString(), r2(byDay.meanNurses).toString()],
  ['distinct nurses per patient, worst', String(week.worstNurses), String(byDay.worstNurses)],
  ['visits by a history nurse, mean share', pct(week.meanKnownShare), pct(byDay.meanKnownShare)],
  [
    'visits by a nurse known so far (history or an earlier day), mean share',
    pct(week.meanKnownShareSoFar),
    pct(byDay.meanKnownShareSoFar),
  ],
  ['overtime (min)', r1(week.overtime).toString(), r1(byDay.overtime).toString()],
  [
    'nurses over their contract hours (min over in all)',
    `${week.nursesOverContract} (${r1(week.overContract)})`,
    `${byDay.nursesOverContract} (${r1(byDay.overContract)})`,
  ],
  ['mandatory visits left out', String(week.mandatoryLeftOut), String(byDay.mandatoryLeftOut)],
  ['optional visits left out', String(week.optionalLeftOut), String(byDay.optionalLeftOut)],
  ['nurse-days with visits', String(week.routes), String(byDay.routes)],
  ['week objective (summary.cost)', r1(week.cost).toString(), r1(byDay.cost).toString()],
  [
    'first complete plan (s)',
    firstCompleteMs === null
      ? 'never'
      : `${r2(firstCompleteMs / 1000)} (iteration ${firstCompleteIteration})`,
    '',
  ],
  ['first plan (s)', firstPlanMs === null ? '–' : r2(firstPlanMs / 1000).toString(), ''],
  ['iterations', String(weekOutcome.iterations), `${dayIterations} (${days} solves)`],
  [
    'iterations per second (week: after its first plan)',
    Math.round(weekIterPerS).toString(),
    Math.round(dayIterations / (timeLimitS || 1)).toString(),
  ],
  [
    'solve time (s)',
    r1(weekMs / 1000).toString(),
    r1(dayPlans.reduce((a, x) => a + x.ms, 0) / 1000).toString(),
  ],
  [
    'checkPlan violations',
    String(weekCheck.violations.length),
    `${dayViolations} in the day plans, ${mergedCheck.violations.length} in the week put together`,
  ],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max('week plan'.length, ...rows.map((r) => r[1].length));
const table = [
  `Week ${label}: ${input.nurses.length} nurses, ${input.patients?.length ?? 0} patients, ${input.visits.length} visits ` +
    `(${mandatory.size} mandatory), ${days} days from ${dates[0]}; ${timeLimitS} s in all for each, seed ${seed}`,
  '',
  `| ${''.padEnd(w0)} | ${'week plan'.padEnd(w1)} | day by day |`,
  `|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|------------|`,
  ...rows.map(([a, b, c]) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`),
  '',
];
const sample = (c: typeof weekCheck) =>
  c.violations
    .slice(0, 5)
    .map(
      (v) =>
        `  ${v.code}${v.vehicle ? ` [${v.vehicle}]` : ''}${v.visit ? ` [${v.visit}]` : ''}: ${v.message}`,
    );
if (weekCheck.violations.length > 0) table.push('Week plan violations (first 5):', ...sample(weekCheck), '');
if (mergedCheck.violations.length > 0)
  table.push('Day-by-day week violations (first 5):', ...sample(mergedCheck), '');
process.stdout.write(table.join('\n') + '\n');

writeFileSync(
  `${out}week-${label}.json`,
  JSON.stringify(
    {
      settings: { week: values.week, timeLimitS, seed, days, start: dates[0] },
      size: {
        nurses: input.nurses.length,
        patients: input.patients?.length ?? 0,
        visits: input.visits.length,
        mandatory: mandatory.size,
      },
      weekPlan: {
        ...week,
        firstPlanS: firstPlanMs === null ? null : (firstPlanMs as number) / 1000,
        firstCompleteS: firstCompleteMs === null ? null : (firstCompleteMs as number) / 1000,
        firstCompleteIteration,
        iterations: weekOutcome.iterations,
        iterationsPerS: weekIterPerS,
        solveS: weekMs / 1000,
        violations: weekCheck.violations.length,
        violationSamples: weekCheck.violations.slice(0, 20),
      },
      dayByDay: {
        ...byDay,
        iterations: dayIterations,
        days: dayPlans.map((x) => ({
          date: x.date,
          routes: x.plan.routes.length,
          visits: x.plan.routes.reduce((a, r) => a + r.stops.length, 0),
          leftOut: x.plan.unassigned.length,
          iterations: x.iterations,
          solveS: x.ms / 1000,
          violations: x.violations,
        })),
        dayPlanViolations: dayViolations,
        weekViolations: mergedCheck.violations.length,
        violationSamples: mergedCheck.violations.slice(0, 20),
      },
    },
    null,
    1,
  ) + '\n',
);
