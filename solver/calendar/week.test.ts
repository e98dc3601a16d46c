import { describe, expect, it } from 'vitest';
import { checkPlan, formatViolations } from '../check/check-plan.ts';
import type { ProblemInput } from '../model/input.ts';
import { validateProblem } from '../model/validate.ts';
import type { Plan } from '../model/plan.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';
import { issuesOf } from './test-issues.ts';

/** A small week: two nurses on a daily shift, one visit a day per patient at a clock time. */
function week(timeZone: string, start: string, days = 7): ProblemInput {
  const dates = Array.from({ length: days }, (_, d) => {
    const t = new Date(`${start}T12:00:00Z`);
    t.setUTCDate(t.getUTCDate() + d);
    return t.toISOString().slice(0, 10);
  });
  return {
    timeZone,
    horizon: { start, days },
    nurses: ['ana', 'bea'].map((id, k) => ({
      id,
      start: { x: k, y: 0 },
      shift: { start: '08:00', end: '16:00' },
      breaks: [{ duration: 30, window: { start: '12:00', end: '14:00' } }],
    })) as unknown as ProblemInput['nurses'],
    visits: dates.flatMap((date, d) =>
      [0, 1, 2].map((p) => ({
        id: `p${p}-${date}`,
        patient: `p${p}`,
        date,
        location: { x: 2 + p, y: d % 3 },
        duration: 30,
        timeWindows: [{ start: '09:00', end: '10:30' }],
      })),
    ) as unknown as ProblemInput['visits'],
  };
}

const solveQuick = (p: ProblemInput, iterations = 300): Plan =>
  solve(p, { seed: 1, stop: createStop({ iterations }) }).plan;

const feasible = (p: ProblemInput, plan: Plan) => {
  const report = checkPlan(p, plan);
  expect(formatViolations(report)).toMatch(/^feasible/);
};

const issues = issuesOf;

describe('calendar time', () => {
  it('plans a Paris week across the spring daylight-saving change (a 23-hour Sunday) in clock time', () => {
    const p = week('Europe/Paris', '2027-03-25');
    const plan = solveQuick(p);
    feasible(p, plan);
    expect(plan.unassigned).toEqual([]);
    expect(plan.calendar).toEqual({
      timeZone: 'Europe/Paris',
      start: '2027-03-25',
      days: 7,
      origin: '2027-03-25T00:00:00+01:00',
      timeUnit: 'minute',
    });
    // Seven days times two nurses: each nurse-day is a route with its date and shift.
    const dates = new Set(plan.routes.map((r) => r.date));
    expect(dates.size).toBe(7);
    for (const r of plan.routes) {
      expect(r.shift).toBe(Number(r.date!.slice(8)) - 25);
      for (const s of r.stops) {
        // Every visit starts between 09:00 and 10:30 local time, whatever the offset that day.
        expect(s.startTime!.slice(0, 10)).toBe(r.date);
        const hhmm = s.startTime!.slice(11, 16);
        expect(hhmm >= '09:00' && hhmm <= '10:30').toBe(true);
        expect(s.startTime!.slice(-6)).toBe(r.date! >= '2027-03-28' ? '+02:00' : '+01:00');
      }
    }
    // The numbers stay elapsed minutes from the origin: Monday 29 March 09:00 is 4 days less one hour later.
    const monday = plan.routes.flatMap((r) => r.stops).find((s) => s.visit === 'p0-2027-03-29')!;
    expect(monday.start).toBeGreaterThanOrEqual(4 * 1440 - 60 + 540);
    expect(monday.start).toBeLessThanOrEqual(4 * 1440 - 60 + 630);
  });

  it('plans a week in America/Montreal with its own offsets (daylight time from 14 March 2027)', () => {
    const p = week('America/Montreal', '2027-03-11', 5);
    const plan = solveQuick(p);
    feasible(p, plan);
    const first = plan.routes.find((r) => r.date === '2027-03-11')!;
    expect(first.departureTime!.slice(-6)).toBe('-05:00');
    const after = plan.routes.find((r) => r.date === '2027-03-15')!;
    expect(after.stops[0].startTime!.slice(-6)).toBe('-04:00');
  });

  it('reads times of day and local date-times, and keeps a problem in numbers byte for byte', () => {
    const one: ProblemInput = {
      date: '2026-12-07',
      timeZone: 'Europe/Paris',
      nurses: [{ id: 'n', start: { x: 0, y: 0 }, shift: { start: '08:00', end: '2026-12-07T12:00' } }],
      visits: [
        { id: 'v', location: { x: 3, y: 4 }, duration: 20, timeWindows: [{ start: '09:00', end: '09:30' }] },
      ],
    } as unknown as ProblemInput;
    const input = validateProblem(one);
    expect(input.nurses[0].shift).toEqual({ start: 480, end: 720 });
    expect(input.visits[0].timeWindows).toEqual([{ start: 540, end: 570 }]);
    const plan = solveQuick(one, 50);
    expect(plan.routes[0].stops[0]).toMatchObject({ start: 540, startTime: '2026-12-07T09:00:00+01:00' });
    // Without any calendar field: the same object back, no clock times added.
    const plain = {
      nurses: [{ id: 'n', start: { x: 0, y: 0 } }],
      visits: [{ id: 'v', location: { x: 1, y: 0 } }],
    };
    expect(validateProblem(plain)).toBe(plain);
    expect(Object.keys(solveQuick(plain, 10))).toEqual(['summary', 'routes', 'unassigned']);
    // A time of day without a calendar is minutes after midnight; an evening window runs past midnight.
    const night = validateProblem({
      nurses: [{ id: 'n', start: { x: 0, y: 0 }, shift: { start: '20:00', end: '06:00' } }],
      visits: [{ id: 'v', location: { x: 1, y: 0 } }],
    });
    expect(night.nurses[0].shift).toEqual({ start: 1200, end: 1800 });
  });

  it('names each calendar mistake', () => {
    const base = week('Europe/Paris', '2026-12-07', 2);
    expect(issues({ ...base, timeZone: 'Europe/Pariss' })).toEqual(['E_FORMAT /timeZone']);
    expect(issues({ ...base, horizon: { start: '2026-12-07', days: 0 } })).toEqual(['E_RANGE /horizon/days']);
    expect(issues({ ...base, date: '2026-12-07' })).toEqual(['E_CONFLICT /horizon']);
    const { date: _d, ...undated } = base.visits[0];
    void _d;
    expect(issues({ ...base, visits: [undated] })).toEqual([
      'E_MISSING /visits/0/timeWindows/0/start',
      'E_MISSING /visits/0/timeWindows/0/end',
    ]);
    const { horizon: _h, timeZone: _z, ...noCalendar } = base;
    void _h;
    void _z;
    expect(
      issues({
        ...noCalendar,
        nurses: [{ id: 'n', start: { x: 0, y: 0 } }],
        visits: [
          { id: 'v', location: { x: 0, y: 0 }, timeWindows: [{ start: '2026-12-07T08:00', end: 600 }] },
        ],
      }),
    ).toEqual(['E_MISSING /visits/0/timeWindows/0/start']);
    expect(
      issues({ ...base, nurses: [{ ...base.nurses[0], contract: { daysOff: ['2026-13-01'] } }] }),
    ).toEqual(['E_FORMAT /nurses/0/contract/daysOff/0']);
    // One nurse, one place: shifts that overlap (overtime included) are refused.
    expect(
      issues({
        ...base,
        nurses: [
          {
            id: 'n',
            start: { x: 0, y: 0 },
            overtime: { max: 60 },
            shifts: [
              { date: '2026-12-07', start: '08:00', end: '12:00' },
              { date: '2026-12-07', start: '12:30', end: '16:00' },
            ],
          },
        ],
      }),
    ).toContain('E_CONFLICT /nurses/0/shifts/1/start');
    expect(
      issues({ ...base, visits: [{ ...base.visits[0], timeWindows: [{ start: 'nine', end: 600 }] }] }),
    ).toEqual(['E_TYPE /visits/0/timeWindows/0/start']);
  });
});

describe('a horizon of several days', () => {
  it('keeps contract rules: days off, contract hours, rest and consecutive days', () => {
    const p = week('Europe/Paris', '2026-12-07');
    p.nurses[0].contract = { daysOff: ['2026-12-09'], maxConsecutiveDays: 3, maxWorkingTime: 4 * 60 * 4 };
    p.nurses[1].contract = { minRest: 20 * 60 };
    const plan = solveQuick(p, 500);
    feasible(p, plan);
    const ana = plan.routes.filter((r) => r.vehicle === 'ana');
    expect(ana.some((r) => r.date === '2026-12-09')).toBe(false);
    const anaWork = ana.reduce((s, r) => s + r.return - r.departure, 0);
    expect(anaWork).toBeLessThanOrEqual(4 * 60 * 4 + 1e-6);
  });

  it('is caught by the checker when a plan breaks a rule over the horizon', () => {
    const p = week('Europe/Paris', '2026-12-07', 3);
    p.nurses = [p.nurses[0], { ...p.nurses[1], maxVisits: 0 }]; // ana works every day
    const plan = solveQuick(p);
    feasible(p, plan);
    const ana = plan.routes.filter((r) => r.vehicle === 'ana');
    const codes = (q: ProblemInput, pl: Plan = plan) => checkPlan(q, pl).violations.map((v) => v.code);
    expect(ana.length).toBeGreaterThan(1);
    expect(
      codes({ ...p, nurses: [{ ...p.nurses[0], contract: { daysOff: [ana[0].date!] } }, p.nurses[1]] }),
    ).toContain('day_off');
    expect(
      codes({ ...p, nurses: [{ ...p.nurses[0], contract: { maxWorkingTime: 10 } }, p.nurses[1]] }),
    ).toContain('contract_hours');
    expect(
      codes({ ...p, nurses: [{ ...p.nurses[0], contract: { minRest: 23 * 60 } }, p.nurses[1]] }),
    ).toContain('rest');
    expect(
      codes({ ...p, nurses: [{ ...p.nurses[0], contract: { maxConsecutiveDays: 1 } }, p.nurses[1]] }),
    ).toContain('consecutive_days');
    const wrongDate = {
      ...plan,
      routes: plan.routes.map((r, k) => (k === 0 ? { ...r, date: '2026-12-25' } : r)),
    };
    expect(codes(p, wrongDate)).toContain('route_date');
    const wrongShift = { ...plan, routes: plan.routes.map((r, k) => (k === 0 ? { ...r, shift: 9 } : r)) };
    expect(codes(p, wrongShift)).toContain('unknown_shift');
    const twice = { ...plan, routes: [...plan.routes, { ...plan.routes[0], stops: [] }] };
    expect(codes(p, twice)).toContain('duplicate_vehicle');
  });

  it('takes split shifts: two routes on one day, each with its own break', () => {
    const p: ProblemInput = {
      timeZone: 'Europe/Paris',
      horizon: { start: '2026-12-07', days: 2 },
      nurses: [
        {
          id: 'n',
          start: { x: 0, y: 0 },
          shifts: [
            { date: '2026-12-07', start: '07:00', end: '11:00' },
            {
              date: '2026-12-07',
              start: '17:00',
              end: '21:00',
              breaks: [{ duration: 15, window: { start: '18:00', end: '19:00' } }],
            },
            { date: '2026-12-08', start: '07:00', end: '11:00' },
          ],
        },
      ],
      visits: [
        {
          id: 'am',
          date: '2026-12-07',
          location: { x: 1, y: 0 },
          duration: 30,
          timeWindows: [{ start: '08:00', end: '09:00' }],
        },
        {
          id: 'pm',
          date: '2026-12-07',
          location: { x: 1, y: 0 },
          duration: 30,
          timeWindows: [{ start: '18:00', end: '20:00' }],
        },
        {
          id: 'next',
          date: '2026-12-08',
          location: { x: 1, y: 0 },
          duration: 30,
          timeWindows: [{ start: '08:00', end: '09:00' }],
        },
      ],
    } as unknown as ProblemInput;
    const plan = solveQuick(p, 100);
    feasible(p, plan);
    expect(plan.routes.map((r) => [r.shift, r.date, r.stops.map((s) => s.visit)])).toEqual([
      [0, '2026-12-07', ['am']],
      [1, '2026-12-07', ['pm']],
      [2, '2026-12-08', ['next']],
    ]);
    expect(plan.routes[1].breaks?.map((b) => b.id)).toEqual(['n-break-1-0']);
  });
});
