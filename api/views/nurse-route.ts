import { bearing } from '@turf/bearing';
import { distance } from '@turf/distance';
import { lineString, point } from '@turf/helpers';
import { DateTime } from 'luxon';
import { Calendar } from '../../solver/calendar/calendar.ts';
import type { LocationInput, Plan, ProblemInput } from '../../solver/index.ts';
import { type RoadLeg, roadLegs } from './osrm.ts';

/** A nurse's day for her phone: ordered stops with times, the patient's address and notes, the way there. */
export interface NurseRouteView {
  nurse: string;
  /** Plans with a calendar: her day's date, the time zone, and clock times (`HH:mm`, rounded to the minute) beside the numbers. */
  date?: string;
  timeZone?: string;
  /** A plan of several days: the dates she works, to ask for another with `?date=`. */
  days?: string[];
  departure: number;
  return: number;
  departureClock?: string;
  returnClock?: string;
  /** 'osrm': legs follow roads with turn-by-turn text; 'straight-line': distance and bearing only. */
  routing: 'osrm' | 'straight-line';
  note?: string;
  stops: {
    order: number;
    visit: string;
    patient?: string;
    address?: string;
    notes?: string;
    arrival: number;
    start: number;
    end: number;
    frozen?: boolean;
    location: LocationInput;
    clock?: { arrival: string; start: string; end: string };
  }[];
  breaks: { id: string; start: number; end: number; after: string | null }[];
  legs: {
    from: string;
    to: string;
    /** Metres (road or straight line) and, for straight lines, the initial compass bearing in degrees. */
    distance: number;
    bearing?: number;
    duration?: number;
    geometry?: { type: 'LineString'; coordinates: [number, number][] };
    instructions?: string[];
  }[];
}

const lonLat = (l: LocationInput): [number, number] | null => ('lon' in l ? [l.lon, l.lat] : null);

export async function nurseRoute(
  problem: ProblemInput,
  plan: Plan,
  nurseId: string,
  options: { osrmUrl?: string; language: string; date?: string; today?: Date },
): Promise<NurseRouteView | 'no-day' | null> {
  const nurse = problem.nurses.find((n) => n.id === nurseId);
  if (nurse === undefined) return null;
  const calendar = Calendar.of(problem);
  const mine = plan.routes.filter((r) => r.vehicle === nurseId);
  // Her day: the one asked for; else today's (in the plan's time zone), else her next, else her first.
  let route = mine[0];
  const dated = mine.filter((r) => r.date !== undefined);
  if (options.date !== undefined && calendar !== null) {
    route = dated.find((r) => r.date === options.date)!;
    if (route === undefined && calendar.days > 1) return 'no-day';
    route ??= mine[0];
  } else if (dated.length > 1 && calendar !== null) {
    const today = DateTime.fromJSDate(options.today ?? new Date(), { zone: calendar.zone }).toISODate()!;
    route = dated.find((r) => r.date! >= today) ?? dated[0];
  }
  const clock = (t: number) => (calendar === null ? undefined : calendar.clock(t));
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const stops = (route?.stops ?? []).map((s, k) => {
    const v = visits.get(s.visit)!;
    return {
      order: k + 1,
      visit: s.visit,
      ...(v.patient !== undefined && { patient: v.patient }),
      ...(v.address !== undefined && { address: v.address }),
      ...(v.notes !== undefined && { notes: v.notes }),
      arrival: s.arrival,
      start: s.start,
      end: s.end,
      ...(s.frozen && { frozen: true }),
      location: v.location,
      ...(calendar !== null && {
        clock: { arrival: clock(s.arrival)!, start: clock(s.start)!, end: clock(s.end)! },
      }),
    };
  });
  const endLoc = nurse.end === null ? null : (nurse.end ?? nurse.start);
  const places: { name: string; at: LocationInput }[] = [
    { name: 'start', at: startOf(nurse, route) },
    ...stops.filter((s) => !s.frozen).map((s) => ({ name: s.visit, at: s.location })),
    ...(endLoc === null || stops.length === 0 ? [] : [{ name: 'end', at: endLoc }]),
  ];
  const points = places.map((p) => lonLat(p.at));
  const geographic = points.every((p) => p !== null);
  let road: RoadLeg[] | null = null;
  let note: string | undefined;
  if (options.osrmUrl !== undefined && geographic && places.length > 1) {
    road = await roadLegs(options.osrmUrl, points as [number, number][], options.language);
    if (road === null) note = 'the routing service did not answer: legs are straight lines';
  } else if (options.osrmUrl === undefined)
    note = 'no routing service is configured (OSRM_URL): legs are straight lines';
  if (!geographic) note = 'locations are not longitude/latitude: legs have no geometry';
  const legs = places.slice(1).map((to, k) => {
    const from = places[k];
    if (road !== null) return { from: from.name, to: to.name, ...road[k] };
    const a = points[k];
    const b = points[k + 1];
    if (a === null || b === null) return { from: from.name, to: to.name, distance: NaN };
    return {
      from: from.name,
      to: to.name,
      distance: distance(point(a), point(b), { units: 'kilometers' }) * 1000,
      bearing: (bearing(point(a), point(b)) + 360) % 360,
      geometry: lineString([a, b]).geometry as { type: 'LineString'; coordinates: [number, number][] },
    };
  });
  return {
    nurse: nurseId,
    ...(calendar !== null && {
      date: route?.date ?? calendar.start,
      timeZone: calendar.zone,
      ...(calendar.days > 1 && { days: [...new Set(dated.map((r) => r.date!))] }),
    }),
    departure: route?.departure ?? NaN,
    return: route?.return ?? NaN,
    ...(calendar !== null &&
      route !== undefined && { departureClock: clock(route.departure), returnClock: clock(route.return) }),
    routing: road !== null ? 'osrm' : 'straight-line',
    ...(note !== undefined && { note }),
    stops,
    breaks: route?.breaks ?? [],
    legs,
  };
}

/** Where her day starts: where she is (a re-plan's position) on the day that holds that time, else home. */
function startOf(
  nurse: ProblemInput['nurses'][number],
  route: Plan['routes'][number] | undefined,
): LocationInput {
  const p = nurse.position;
  if (p === undefined) return nurse.start;
  if (nurse.shifts === undefined) return p.location;
  const shift = route?.shift === undefined ? undefined : nurse.shifts[route.shift];
  return shift !== undefined && shift.start <= p.time && p.time <= shift.end ? p.location : nurse.start;
}

/** The same day as GeoJSON: a Point per stop, a LineString per leg, their figures as properties. */
export function toGeoJson(view: NurseRouteView) {
  const features = [
    ...view.stops
      .filter((s) => 'lon' in s.location)
      .map((s) => {
        const { location, ...properties } = s;
        const l = location as { lon: number; lat: number };
        return {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [l.lon, l.lat] },
          properties: { kind: 'stop', ...properties },
        };
      }),
    ...view.legs
      .filter((l) => l.geometry !== undefined)
      .map((l) => {
        const { geometry, ...properties } = l;
        return { type: 'Feature', geometry, properties: { kind: 'leg', ...properties } };
      }),
  ];
  return {
    type: 'FeatureCollection',
    properties: { nurse: view.nurse, routing: view.routing, note: view.note ?? null },
    features,
  };
}
