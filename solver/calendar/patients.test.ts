import { describe, expect, it } from 'vitest';
import { checkPlan, formatViolations } from '../check/check-plan.ts';
import type { ProblemInput } from '../model/input.ts';
import { validateProblem } from '../model/validate.ts';
import type { Plan } from '../model/plan.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';
import { issuesOf } from './test-issues.ts';

const nurse = (id: string, x: number) => ({
  id,
  start: { x, y: 0 },
  shift: { start: '07:00', end: '21:00' },
});

/** A week of recurring care for three patients, three nurses on a daily 07:00–21:00 shift. */
function careWeek(): ProblemInput {
  return {
    timeZone: 'Europe/Paris',
    horizon: { start: '2026-12-07', days: 7 },
    nurses: [nurse('ana', 0), nurse('bea', 5), nurse('cam', 10)],
    visits: [],
    patients: [
      {
        id: 'wound',
        location: { x: 2, y: 1 },
        history: ['bea'],
        care: [
          {
            id: 'dressing',
            per: 'week',
            times: 3,
            minDaysApart: 2,
            window: { start: '08:00', end: '12:00' },
            duration: 30,
          },
        ],
      },
      {
        id: 'insulin',
        location: { x: 4, y: 2 },
        care: [
          {
            id: 'insulin',
            per: 'day',
            times: 2,
            windows: [
              { start: '07:00', end: '10:00' },
              { start: '17:00', end: '20:00' },
            ],
            minGap: 480,
            maxGap: 720,
            duration: 15,
          },
        ],
      },
      {
        id: 'palliative',
        location: { x: 6, y: 3 },
        maxNurses: 2,
        care: [{ id: 'check', per: 'day', at: '08:00', tolerance: 30, duration: 45 }],
      },
    ],
  } as unknown as ProblemInput;
}

const run = (p: ProblemInput, iterations = 400): Plan =>
  solve(p, { seed: 1, stop: createStop({ iterations }) }).plan;

const issues = issuesOf;

describe('periodic care', () => {
  it('expands recurring needs into visits with day choices and spacing rules', () => {
    const input = validateProblem(careWeek());
    const dressing = input.visits.filter((v) => v.patient === 'wound');
    expect(dressing.map((v) => v.id)).toEqual([
      'wound:dressing:w1:1',
      'wound:dressing:w1:2',
      'wound:dressing:w1:3',
    ]);
    // The solver picks the days, among those leaving room for the others two days apart:
    // the first on Monday to Wednesday, the second Wednesday to Friday, the last Friday to Sunday.
    expect(dressing.map((v) => v.timeWindows!.map((w) => Math.floor(w.start / 1440)))).toEqual([
      [0, 1, 2],
      [2, 3, 4],
      [4, 5, 6],
    ]);
    expect(dressing[0].preferredNurses).toEqual(['bea']);
    const insulin = input.visits.filter((v) => v.patient === 'insulin');
    expect(insulin).toHaveLength(14);
    expect(input.dependencies).toContainEqual({
      before: 'insulin:insulin:2026-12-07:1',
      after: 'insulin:insulin:2026-12-07:2',
      minDelay: 480,
      maxDelay: 720,
    });
    // Days apart: any morning two days on is at least 2 × 1440 − 240 later, and no closer one is.
    expect(input.dependencies).toContainEqual({
      before: 'wound:dressing:w1:1',
      after: 'wound:dressing:w1:2',
      minDelay: 2 * 1440 - 240,
    });
    expect(input.visits.find((v) => v.id === 'palliative:check:2026-12-08')!.timeWindows).toEqual([
      { start: 1440 + 450, end: 1440 + 510 },
    ]);
    // A resolved problem resolves to itself (no second expansion).
    expect(validateProblem(input).visits).toHaveLength(input.visits.length);
  });

  it('plans the week: spacing kept, the checker reads the rules back, continuity reported', () => {
    const p = careWeek();
    const plan = run(p);
    expect(formatViolations(checkPlan(p, plan))).toMatch(/^feasible/);
    expect(plan.unassigned).toEqual([]);
    const days = plan.routes
      .flatMap((r) => r.stops.map((s) => ({ ...s, date: r.date! })))
      .filter((s) => s.visit.startsWith('wound:'))
      .map((s) => Number(s.date.slice(8)))
      .sort((a, b) => a - b);
    expect(days[1] - days[0]).toBeGreaterThanOrEqual(2);
    expect(days[2] - days[1]).toBeGreaterThanOrEqual(2);
    expect(plan.patients!.map((x) => x.patient)).toEqual(['insulin', 'palliative', 'wound']);
    const palliative = plan.patients!.find((x) => x.patient === 'palliative')!;
    expect(palliative.nurses.length).toBeLessThanOrEqual(2);
    expect(plan.summary.continuity!.worstNurses).toBeGreaterThanOrEqual(1);
    expect(plan.summary.terms!.distinctNurses.weight).toBe(60);
  });

  it('sees fewer nurses per patient with the distinct-nurses term than without', () => {
    const p = careWeek();
    const withTerm = run(p);
    const without = run({ ...p, weights: { distinctNurses: 0 } });
    expect(withTerm.summary.continuity!.meanNurses).toBeLessThanOrEqual(
      without.summary.continuity!.meanNurses,
    );
  });

  it('catches a broken spacing or cap in a hand-edited plan', () => {
    const p = careWeek();
    const plan = run(p);
    const codes = (q: ProblemInput, pl: Plan = plan) => checkPlan(q, pl).violations.map((v) => v.code);
    // A cap of one nurse that a plan made without continuity does not keep.
    const loose = run({ ...p, weights: { distinctNurses: 0, continuity: 0 } });
    const seen = loose.patients!.find((x) => x.nurses.length > 1)!;
    expect(seen).toBeDefined();
    const capped = {
      ...p,
      patients: p.patients!.map((x) => (x.id === seen.patient ? { ...x, maxNurses: 1 } : x)),
    };
    expect(codes(capped, loose)).toContain('max_nurses');
    // The evening insulin moved to an hour after the morning one: a daily need's gap broken.
    const insulin = plan.routes
      .flatMap((r) => r.stops)
      .filter((s) => s.visit.startsWith('insulin:insulin:2026-12-08'));
    const early = {
      ...plan,
      routes: plan.routes.map((r) => ({
        ...r,
        stops: r.stops.map((s) =>
          s.visit === insulin[1].visit
            ? { ...s, start: insulin[0].start + 60, end: insulin[0].start + 75 }
            : s,
        ),
      })),
    };
    expect(codes(p, early)).toContain('recurring');
    // Two dressings moved onto consecutive days: their stops say so.
    const stops = plan.routes.flatMap((r) => r.stops).filter((s) => s.visit.startsWith('wound:'));
    const shifted = {
      ...plan,
      routes: plan.routes.map((r) => ({
        ...r,
        stops: r.stops.map((s) =>
          s.visit === stops[1].visit ? { ...s, start: stops[0].start + 1440, end: stops[0].start + 1470 } : s,
        ),
      })),
    };
    expect(codes(p, shifted)).toContain('recurring');
  });

  it('names the need behind each mistake', () => {
    const p = careWeek();
    const withNeed = (need: Record<string, unknown>) => ({
      ...p,
      patients: [{ id: 'x', location: { x: 0, y: 0 }, care: [need] }],
    });
    expect(issues(withNeed({ per: 'week', times: 2, minDaysApart: 1, duration: 10 }))).toEqual([
      'E_CONFLICT /patients/0/care/0/minDaysApart',
    ]);
    expect(issues(withNeed({ per: 'month', duration: 10 }))).toEqual(['E_RANGE /patients/0/care/0/per']);
    expect(
      issues(
        withNeed({
          per: 'week',
          times: 4,
          minDaysApart: 3,
          window: { start: '08:00', end: '10:00' },
          duration: 10,
        }),
      ),
    ).toEqual(['E_CONFLICT /patients/0/care/0/minDaysApart']);
    expect(issues(withNeed({ per: 'day', duration: 10, requiredNurse: 'zoe' }))).toContain(
      'E_UNKNOWN_REF /patients/0/care/0/requiredNurse',
    );
    expect(issues(withNeed({ per: 'day', duration: 10, dates: ['2027-01-01'] }))).toEqual([
      'E_RANGE /patients/0/care/0/dates/0',
    ]);
    expect(issues({ ...p, patients: [{ id: 'x', history: ['zoe'] }] })).toEqual([
      'E_UNKNOWN_REF /patients/0/history/0',
    ]);
    // Malformed patients are issues, never a crash.
    expect(issues({ ...p, patients: {} })).toEqual(['E_TYPE /patients']);
    expect(
      issues({ ...p, patients: [{ id: 5, location: { x: 0, y: 0 }, care: [{ per: 'day', duration: 5 }] }] }),
    ).toEqual(['E_TYPE /patients/0/id']);
    expect(
      issues({
        ...p,
        patients: [{ id: 'x', location: { x: 0, y: 0 }, care: [null, { per: 'day', duration: 5 }] }],
      }),
    ).toEqual(['E_TYPE /patients/0/care/0']);
    expect(issues(withNeed({ per: 'day', window: { start: '22:00', end: '02:00' }, duration: 10 }))).toEqual([
      'E_WINDOW_ORDER /patients/0/care/0/window/end',
    ]);
    expect(
      issues(
        withNeed({
          per: 'week',
          dates: ['2026-12-07', '2026-12-08'],
          minDaysApart: 2,
          window: { start: '08:00', end: '10:00' },
          duration: 10,
        }),
      ),
    ).toEqual(['E_CONFLICT /patients/0/care/0/dates']);
    const { horizon: _h, timeZone: _t, ...undated } = p;
    void _h;
    void _t;
    expect(issues(undated)).toContain('E_MISSING /patients/0/care');
  });
});
