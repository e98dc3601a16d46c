import { describe, expect, it } from 'vitest';
import { checkPlan, formatViolations } from '../check/check-plan.ts';
import { InputError } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { applyChanges } from '../replan/apply-changes.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';

const week: ProblemInput = {
  timeZone: 'Europe/Paris',
  horizon: { start: '2026-12-07', days: 5 },
  nurses: ['ana', 'bea', 'cam'].map((id, k) => ({
    id,
    start: { x: 3 * k, y: 0 },
    shift: { start: '08:00', end: '17:00' },
    breaks: [{ duration: 30, window: { start: '12:00', end: '14:00' } }],
  })),
  visits: [],
  patients: [0, 1, 2, 3, 4, 5].map((p) => ({
    id: `p${p}`,
    location: { x: p, y: 2 },
    care: [
      { id: 'am', per: 'day', window: { start: '08:30', end: '11:30' }, duration: 40 },
      { id: 'pm', per: 'day', window: { start: '14:00', end: '16:30' }, duration: 30 },
    ],
  })),
} as unknown as ProblemInput;

let seed = 2;
const run = (p: ProblemInput): Plan => solve(p, { seed, stop: createStop({ iterations: 300 }) }).plan;
const ok = (p: ProblemInput, plan: Plan) => expect(formatViolations(checkPlan(p, plan))).toMatch(/^feasible/);

describe('re-planning within the week', () => {
  it.each([1, 2, 3, 4])(
    'freezes the past, takes a nurse away for two days and fits an urgent visit on Friday (seed %i)',
    (s) => {
      seed = s;
      const plan = run(week);
      ok(week, plan);
      const now = '2026-12-09T10:00';
      const next = applyChanges(week, plan, {
        now,
        absentNurses: [{ nurse: 'ana', from: now, to: '2026-12-11T00:00' }],
        newVisits: [
          {
            id: 'urgent',
            location: { x: 4, y: 4 },
            duration: 30,
            timeWindows: [{ start: '2026-12-11T09:00', end: '2026-12-11T11:00' }],
          } as unknown as ProblemInput['visits'][number],
        ],
      });
      const replanned = run(next);
      ok(next, replanned);
      const nowT = 2 * 1440 + 600;
      const stops = replanned.routes.flatMap((r) =>
        r.stops.map((s) => ({ ...s, nurse: r.vehicle, date: r.date })),
      );
      // Everything that started before now is as it was.
      const before = plan.routes.flatMap((r) => r.stops.map((s) => ({ ...s, nurse: r.vehicle })));
      for (const s of before.filter((x) => x.start < nowT))
        expect(stops.find((x) => x.visit === s.visit)).toMatchObject({
          nurse: s.nurse,
          start: s.start,
          frozen: true,
        });
      // Ana does nothing new until Friday; the urgent visit is on Friday morning.
      expect(stops.filter((s) => s.nurse === 'ana' && !s.frozen && s.start < 4 * 1440)).toEqual([]);
      expect(stops.find((s) => s.visit === 'urgent')!.startTime!.slice(0, 13)).toMatch(
        /^2026-12-11T(09|10|11)/,
      );
      expect(replanned.unassigned.filter((u) => !u.visit.includes('2026-12-09:am'))).toEqual([]);
      // A second re-plan the day after, on the new plan, still passes the checker.
      const again = applyChanges(next, replanned, {
        now: '2026-12-10T15:00',
        cancelledVisits: ['p0:pm:2026-12-11'],
      });
      const third = run(again);
      ok(again, third);
      expect(third.routes.flatMap((r) => r.stops).some((s) => s.visit === 'p0:pm:2026-12-11')).toBe(false);
    },
  );

  it("an absence told late, from a day already worked, keeps that day's work and gives away the rest", () => {
    seed = 1;
    const plan = run(week);
    const next = applyChanges(week, plan, {
      now: '2026-12-09T10:00',
      absentNurses: [{ nurse: 'bea', from: '2026-12-08T08:00', to: '2026-12-10T00:00' }],
    });
    const replanned = run(next);
    ok(next, replanned);
    const nowT = 2 * 1440 + 600;
    const bea = replanned.routes.filter((r) => r.vehicle === 'bea').flatMap((r) => r.stops);
    for (const s of plan.routes.filter((r) => r.vehicle === 'bea').flatMap((r) => r.stops))
      if (s.start < nowT)
        expect(bea.find((x) => x.visit === s.visit)).toMatchObject({ start: s.start, frozen: true });
    expect(bea.filter((s) => !s.frozen && s.start < 3 * 1440)).toEqual([]);
  });

  it('counts the days already worked in the rules over the horizon', () => {
    const busy = { ...week, nurses: week.nurses.map((n) => ({ ...n, contract: { maxConsecutiveDays: 3 } })) };
    // On Thursday morning, whoever worked Monday to Wednesday gets nothing on Thursday (over a
    // few seeds: at least one plan has such a nurse).
    let tired = 0;
    for (const s of [1, 2, 3, 4]) {
      seed = s;
      const plan = run(busy);
      ok(busy, plan);
      const next = applyChanges(busy, plan, { now: '2026-12-10T07:00' });
      const replanned = run(next);
      ok(next, replanned);
      for (const n of busy.nurses) {
        const days = new Set(plan.routes.filter((r) => r.vehicle === n.id).map((r) => r.date));
        if (!['2026-12-07', '2026-12-08', '2026-12-09'].every((d) => days.has(d))) continue;
        tired++;
        expect(replanned.routes.some((r) => r.vehicle === n.id && r.date === '2026-12-10')).toBe(false);
      }
    }
    expect(tired).toBeGreaterThan(0);
  });

  it('refuses a time of day for now in a horizon of several days', () => {
    const plan = run(week);
    expect(() => applyChanges(week, plan, { now: '10:00' })).toThrow(InputError);
    // A date-time that is no real date is named, not read as nothing.
    expect(() => applyChanges(week, plan, { now: '2026-02-30T11:00' })).toThrow(/\/now/);
  });
});
