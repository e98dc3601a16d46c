import { featureCollection, lineString, point } from '@turf/helpers';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { InputError } from '../model/errors.ts';
import type { LocationInput, ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';

type Position = [number, number];

/**
 * A whole plan as GeoJSON for GIS tools (RFC 7946, WGS84 longitude/latitude): one LineString per
 * route (start, every stop in order, end), one Point per stop with its times, and one Point per
 * left-out visit with its reason. Problems located by x/y or by matrix index have no geography:
 * refused (E_UNSUPPORTED at the first such location).
 */
export function planGeoJson(problem: ProblemInput, plan: Plan): FeatureCollection<LineString | Point> {
  const visits = new Map(problem.visits.map((v, k) => [v.id, { v, k }]));
  const nurses = new Map(problem.nurses.map((n, k) => [n.id, { n, k }]));
  const at = (loc: LocationInput | null | undefined, where: string): Position => {
    if (loc === null || loc === undefined || !('lon' in loc))
      throw new InputError([
        { code: 'E_UNSUPPORTED', where, message: 'GeoJSON needs lon/lat locations (this one has none)' },
      ]);
    return [loc.lon, loc.lat];
  };
  const features: Feature<LineString | Point>[] = [];
  plan.routes.forEach((route, r) => {
    const found = nurses.get(route.vehicle);
    if (found === undefined)
      throw new InputError([
        { code: 'E_UNKNOWN_REF', where: `/routes/${r}/vehicle`, message: `no nurse '${route.vehicle}'` },
      ]);
    const { n, k } = found;
    const day = {
      nurse: n.id,
      ...(route.shift !== undefined && { shift: route.shift }),
      ...(route.date !== undefined && { date: route.date }),
    };
    const line: Position[] = [at(n.position?.location ?? n.start, `/nurses/${k}/start`)];
    route.stops.forEach((stop, i) => {
      const v = visits.get(stop.visit);
      if (v === undefined)
        throw new InputError([
          {
            code: 'E_UNKNOWN_REF',
            where: `/routes/${r}/stops/${i}/visit`,
            message: `no visit '${stop.visit}'`,
          },
        ]);
      const here = at(v.v.location, `/visits/${v.k}/location`);
      line.push(here);
      features.push(
        point(here, {
          kind: 'stop',
          ...day,
          sequence: i + 1,
          ...(v.v.patient !== undefined && { patient: v.v.patient }),
          ...(v.v.address !== undefined && { address: v.v.address }),
          ...stop,
        }),
      );
    });
    const end = n.end === null ? null : (n.end ?? n.start);
    if (end !== null) line.push(at(end, `/nurses/${k}/end`));
    // A LineString needs two positions: a nurse who goes nowhere has her start twice.
    if (line.length < 2) line.push(line[0]);
    const figures = {
      departure: route.departure,
      return: route.return,
      distance: route.distance,
      travelTime: route.travelTime,
      ...(route.departureTime !== undefined && {
        departureTime: route.departureTime,
        returnTime: route.returnTime,
      }),
    };
    features.push(lineString(line, { kind: 'route', ...day, ...figures, stops: route.stops.length }));
  });
  for (const u of plan.unassigned) {
    const v = visits.get(u.visit);
    if (v === undefined) continue;
    features.push(
      point(at(v.v.location, `/visits/${v.k}/location`), {
        kind: 'unassigned',
        visit: u.visit,
        reason: u.reason,
        message: u.message,
      }),
    );
  }
  return featureCollection(features);
}
