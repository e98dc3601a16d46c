import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { Calendar } from './calendar.ts';

/**
 * The plan with clock times beside its numbers when the problem has a calendar (docs/calendar.md):
 * ISO 8601 local date-times with their offset for every departure, return, arrival, start and
 * end, and the plan's `calendar` (time zone, horizon, origin). The numbers are untouched; a
 * problem without a calendar gets the plan as it is.
 */
export function withClockTimes(plan: Plan, problem: ProblemInput): Plan {
  const calendar = Calendar.of(problem);
  if (calendar === null) return plan;
  const f = (t: number) => calendar.format(t);
  return {
    calendar: {
      timeZone: calendar.zone,
      start: calendar.start,
      days: calendar.days,
      origin: f(0),
      timeUnit: problem.timeUnit ?? 'minute',
    },
    ...plan,
    routes: plan.routes.map((r) => ({
      ...r,
      date: r.date ?? calendar.dateOfDay(calendar.dayOf(r.departure)),
      departureTime: f(r.departure),
      returnTime: f(r.return),
      stops: r.stops.map((s) => ({
        ...s,
        arrivalTime: f(s.arrival),
        startTime: f(s.start),
        endTime: f(s.end),
      })),
      ...(r.breaks !== undefined && {
        breaks: r.breaks.map((b) => ({ ...b, startTime: f(b.start), endTime: f(b.end) })),
      }),
    })),
  };
}
