import type { Calendar } from '../calendar/calendar.ts';
import type { ProblemInput, TimeWindowInput, VisitInput } from '../model/input.ts';

/**
 * Nurse-days: the routes of a home-care problem (docs/calendar.md, "Several days"), and the day
 * tests CareData builds its tables with.
 */
export interface RouteSpec {
  nurse: number;
  /** The shift's own open end and overtime, when it says. */
  openEnd?: boolean;
  overtime?: { max: number; cost?: number };
  /** Index of the shift in the nurse's `shifts` (0 for a nurse with one `shift`). */
  shift: number;
  window: TimeWindowInput | undefined;
  breaks: { id: string; duration: number; window: TimeWindowInput }[];
}

/**
 * The routes of a problem: a nurse with `shifts` has one per shift in time order, each with its
 * own breaks and the nurse's breaks and unavailable periods that meet it (an unavailable period
 * is cut to each shift it meets); any other nurse has one route with all of hers.
 */
export function routeSpecs(
  input: ProblemInput,
  calendar: Calendar | null,
  dayOf: (t: number) => number,
): RouteSpec[] {
  const out: RouteSpec[] = [];
  input.nurses.forEach((x, k) => {
    // Her shifts on her days off are not worked.
    const off = new Set((x.contract?.daysOff ?? []).map((d) => calendar?.dayIndex(d)));
    const working = (w: TimeWindowInput | undefined) => off.size === 0 || !off.has(dayOf(w?.start ?? 0));
    if (x.shifts === undefined && !working(x.shift)) return;
    const own = (x.breaks ?? []).map((b, j) => ({
      id: b.id ?? `${x.id}-break-${j}`,
      duration: b.duration,
      window: b.window,
    }));
    const away = (x.unavailable ?? []).map((u, j) => ({
      id: u.id ?? `${x.id}-unavailable-${j}`,
      start: u.start,
      end: u.end,
    }));
    if (x.shifts === undefined) {
      out.push({
        nurse: k,
        shift: 0,
        window: x.shift,
        breaks: [
          ...own,
          ...away.map((u) => ({
            id: u.id,
            duration: u.end - u.start,
            window: { start: u.start, end: u.end },
          })),
        ],
      });
      return;
    }
    const order = x.shifts.map((_, j) => j).sort((a, b) => x.shifts![a].start - x.shifts![b].start);
    const taken = new Set<string>();
    for (const j of order) {
      const w = x.shifts[j];
      if (!working(w)) continue;
      const breaks = (w.breaks ?? []).map((b, i) => ({
        id: b.id ?? `${x.id}-break-${j}-${i}`,
        duration: b.duration,
        window: b.window,
      }));
      for (const b of own)
        if (!taken.has(b.id) && b.window.start < w.end && b.window.end > w.start) {
          taken.add(b.id);
          breaks.push(b);
        }
      for (const u of away) {
        const start = Math.max(u.start, w.start);
        const end = Math.min(u.end, w.end);
        if (start >= end) continue;
        const id = taken.has(u.id) ? `${u.id}@${j}` : u.id;
        taken.add(u.id);
        breaks.push({ id, duration: end - start, window: { start, end } });
      }
      out.push({
        nurse: k,
        shift: j,
        window: { start: w.start, end: w.end },
        breaks,
        ...(w.openEnd !== undefined && { openEnd: w.openEnd }),
        ...(w.overtime !== undefined && { overtime: w.overtime }),
      });
    }
  });
  return out;
}

/** Per visit, the days its windows touch as two 32-bit masks (day d sets bit d mod 64; any day without windows). */
export function dayMasks(visits: readonly VisitInput[], dayOf: (t: number) => number): Uint32Array {
  const out = new Uint32Array(2 * visits.length);
  visits.forEach((v, i) => {
    if (v.timeWindows === undefined || v.timeWindows.length === 0) {
      out[2 * i] = out[2 * i + 1] = 0xffffffff;
      return;
    }
    for (const w of v.timeWindows) {
      const last = Math.min(dayOf(w.end), dayOf(w.start) + 63);
      for (let d = dayOf(w.start); d <= last; d++) {
        const b = ((d % 64) + 64) % 64;
        out[2 * i + (b >> 5)] |= 1 << (b & 31);
      }
    }
  });
  return out;
}

/** Whether one of a visit's hard windows (any time without) meets [from, to]. */
export function meets(v: VisitInput, from: number, to: number): boolean {
  if (v.timeWindows === undefined) return true;
  return v.timeWindows.some((w) => w.end >= from && w.start <= to);
}
