import type { Plan, PlanRoute } from '../../solver/model/plan.ts';
import type { PlanChanges } from '../../solver/replan/apply-changes.ts';
import type { LocationInput, NurseInput, ProblemInput, VisitInput } from '../../solver/model/input.ts';

export type { Plan, PlanChanges, PlanRoute, ProblemInput, VisitInput, NurseInput };

/** One stretch of a nurse's day on the board's time axis (minutes from the day's midnight). */
export interface Segment {
  kind: 'travel' | 'care' | 'waiting' | 'break' | 'overtime';
  from: number;
  to: number;
  visit?: string;
}

/** A row of the board: one nurse-day, its segments, its stops, its shift. */
export interface Row {
  nurse: string;
  /** A plan of several days: the route's date. */
  date?: string;
  route: PlanRoute;
  segments: Segment[];
  shift?: { start: number; end: number };
  overtime: number;
}

/** Minutes per time unit of the plan (a problem in seconds counts 1/60). */
export const minutesPerUnit = (problem: ProblemInput) => (problem.timeUnit === 'second' ? 1 / 60 : 1);

/** A time in the plan's unit as the day's clock: HH:MM (a week's day offsets dropped). */
export function clock(t: number, problem: ProblemInput): string {
  const m = Math.round(t * minutesPerUnit(problem));
  const day = ((m % 1440) + 1440) % 1440;
  return `${String(Math.floor(day / 60)).padStart(2, '0')}:${String(day % 60).padStart(2, '0')}`;
}

function shiftOf(
  nurse: NurseInput | undefined,
  route: PlanRoute,
): { start: number; end: number } | undefined {
  const n = nurse as (NurseInput & { shifts?: { start: number; end: number }[] }) | undefined;
  if (n === undefined) return undefined;
  if (route.shift !== undefined && Array.isArray(n.shifts)) {
    const s = n.shifts[route.shift];
    if (s !== undefined && typeof s.start === 'number' && typeof s.end === 'number') return s;
  }
  return typeof n.shift?.start === 'number' && typeof n.shift?.end === 'number' ? n.shift : undefined;
}

/**
 * The gap between leaving one place (`from`) and reaching the next (`to`): a break is taken where
 * she is, before she drives, so the time before a break is waiting, and the drive comes after the
 * last break (the plan's times are built so: arrival = the break's end + the leg's travel).
 */
function legAround(from: number, to: number, breaks: { start: number; end: number }[]): Segment[] {
  const out: Segment[] = [];
  let t = from;
  for (const b of breaks.filter((x) => x.start >= from && x.end <= to).sort((a, b) => a.start - b.start)) {
    if (b.start > t) out.push({ kind: 'waiting', from: t, to: b.start });
    out.push({ kind: 'break', from: b.start, to: b.end });
    t = b.end;
  }
  if (to > t) out.push({ kind: 'travel', from: t, to });
  return out;
}

/**
 * The board's rows: per route, travel, waiting, care and breaks in order (a break after the
 * visit it follows), and the time past the shift's end as overtime.
 */
export function boardRows(problem: ProblemInput, plan: Plan): Row[] {
  const nurses = new Map(problem.nurses.map((n) => [n.id, n]));
  return plan.routes
    .filter((r) => r.stops.length > 0)
    .map((route) => {
      const segments: Segment[] = [];
      const breaks = route.breaks ?? [];
      let t = route.departure;
      let after: string | null = null;
      const breaksAfter = (visit: string | null) => breaks.filter((b) => b.after === visit);
      for (const stop of route.stops) {
        const pauses = breaksAfter(after);
        segments.push(...legAround(t, Math.max(t, stop.arrival), pauses));
        // A break after the last visit but before the arrival may also sit in the waiting time.
        for (const b of pauses)
          if (b.start >= stop.arrival) segments.push({ kind: 'break', from: b.start, to: b.end });
        if (stop.start > stop.arrival)
          segments.push({ kind: 'waiting', from: stop.arrival, to: stop.start, visit: stop.visit });
        segments.push({ kind: 'care', from: stop.start, to: stop.end, visit: stop.visit });
        t = stop.end;
        after = stop.visit;
      }
      segments.push(...legAround(t, Math.max(t, route.return), breaksAfter(after)));
      const shift = shiftOf(nurses.get(route.vehicle), route);
      const overtime = shift !== undefined ? Math.max(0, route.return - shift.end) : 0;
      if (overtime > 0) segments.push({ kind: 'overtime', from: shift!.end, to: route.return });
      return {
        nurse: route.vehicle,
        // The date tells apart the days of a plan of several; a day's plan needs none.
        ...(route.date !== undefined && (plan.calendar?.days ?? 1) > 1 && { date: route.date }),
        route,
        segments,
        ...(shift !== undefined && { shift }),
        overtime,
      };
    });
}

/** The figures a coordinator reads first. */
export interface Figures {
  travel: number;
  overtime: number;
  leftOut: number;
  /** Mean distinct nurses per patient. */
  continuity: number;
  /** Share of stops starting within the preferred window (or all when none has one). */
  onTime: number;
}

export function figures(problem: ProblemInput, plan: Plan, rows: Row[]): Figures {
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const nursesOf = new Map<string, Set<string>>();
  let stops = 0;
  let late = 0;
  for (const r of plan.routes)
    for (const s of r.stops) {
      const patient = visits.get(s.visit)?.patient ?? s.visit;
      if (!nursesOf.has(patient)) nursesOf.set(patient, new Set());
      nursesOf.get(patient)!.add(r.vehicle);
      stops++;
      if ((s.lateness ?? 0) > 1e-6) late++;
    }
  const counts = [...nursesOf.values()].map((s) => s.size);
  return {
    travel: plan.summary.travelTime,
    overtime: rows.reduce((sum, r) => sum + r.overtime, 0),
    leftOut: plan.unassigned.length,
    continuity:
      plan.summary.continuity?.meanNurses ??
      (counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / counts.length),
    onTime: plan.summary.onTimeRate ?? (stops === 0 ? 1 : 1 - late / stops),
  };
}

/** Longitude and latitude of a location, when it has them. */
export function lonLat(l: LocationInput | null | undefined): [number, number] | null {
  return l !== null && l !== undefined && 'lon' in l ? [l.lon, l.lat] : null;
}

/** The colour of the k-th nurse: Okabe–Ito's palette (told apart with colour-blindness), then shades. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#8C6D00', '#000000'];
export const nurseColour = (k: number) => PALETTE[k % PALETTE.length];
