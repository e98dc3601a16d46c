import ical from 'ical-generator';
import type { Plan, ProblemInput } from '../../solver/index.ts';

/** One stored day of the tenant: its date (YYYY-MM-DD), plan id, latest version and problem. */
export interface CalendarDay {
  date: string;
  planId: string;
  version: number;
  plan: Plan;
  problem: ProblemInput;
}

/**
 * A nurse's stops over the stored days as an iCalendar feed (RFC 5545, through ical-generator):
 * one event per stop, the patient (or the visit) as its summary, the address as its location,
 * the notes as its description, its times as instants: the plan's clock times when the problem
 * has a calendar (its time zone), else the day's date at midnight UTC plus the plan's numbers.
 * Each event's id is stable across versions (plan and visit), so a calendar app updates it when a
 * new version moves it.
 */
export function nurseCalendar(nurse: string, days: CalendarDay[], now: Date): string {
  const calendar = ical({ name: `Visits of ${nurse}`, prodId: { company: 'hhc', product: 'planner' } });
  for (const day of days) {
    const visits = new Map(day.problem.visits.map((v) => [v.id, v]));
    const unit = day.problem.timeUnit === 'second' ? 1000 : 60_000;
    const midnight = Date.parse(`${day.date}T00:00:00Z`);
    const at = (iso: string | undefined, t: number) =>
      new Date(iso !== undefined ? Date.parse(iso) : midnight + t * unit);
    for (const route of day.plan.routes) {
      if (route.vehicle !== nurse) continue;
      for (const stop of route.stops) {
        const v = visits.get(stop.visit);
        calendar.createEvent({
          id: `${day.planId}-${stop.visit}@hhc`,
          start: at(stop.startTime, stop.start),
          end: at(stop.endTime, stop.end),
          stamp: now,
          summary: v?.patient !== undefined ? `${v.patient} (${stop.visit})` : stop.visit,
          ...(v?.address !== undefined && { location: v.address }),
          description: [v?.notes, `plan ${day.planId}, version ${day.version}`].filter(Boolean).join('\n'),
        });
      }
    }
  }
  return calendar.toString();
}
