import { InputError, type InputIssue } from '../model/errors.ts';
import type { LocationInput, NurseInput, ProblemInput, ProfileInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';

/**
 * VROOM's documented input and output (docs/formats.md, "VROOM"): a VROOM request read as a
 * native problem (times in seconds, coordinates or matrix indices, skills as strings), and a
 * plan written back in VROOM's output shape, so that a VROOM user switches by changing the URL or
 * the command. What VROOM has and this engine does not is refused with a pointer.
 */

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Reads a VROOM request; its jobs and vehicles keep their ids (as strings in the problem). */
export function fromVroom(raw: unknown): ProblemInput {
  const issues: InputIssue[] = [];
  const add = (code: InputIssue['code'], where: string, message: string) =>
    issues.push({ code, where, message });
  const unsupported = (where: string, what: string) =>
    add('E_UNSUPPORTED', where, `${what} is not supported by this engine`);
  if (!isObj(raw))
    throw new InputError([{ code: 'E_TYPE', where: '', message: 'must be a VROOM request (a JSON object)' }]);
  if (Array.isArray(raw.shipments) && raw.shipments.length > 0)
    unsupported('/shipments', 'shipments (pickup and delivery pairs)');
  const profiles: Record<string, ProfileInput> = {};
  if (isObj(raw.matrices))
    for (const [name, m] of Object.entries(raw.matrices)) {
      if (!isObj(m) || !Array.isArray(m.durations)) {
        add('E_MISSING', `/matrices/${name}/durations`, 'each profile of matrices needs durations (seconds)');
        continue;
      }
      if (m.costs !== undefined) unsupported(`/matrices/${name}/costs`, 'a custom cost matrix');
      profiles[name] = {
        durations: m.durations as number[][],
        ...(Array.isArray(m.distances) && { distances: m.distances as number[][] }),
      };
    }
  if (Array.isArray(raw.matrix)) profiles.car = { durations: raw.matrix as number[][] };
  const place = (o: Obj, where: string, key: 'location' | 'start' | 'end'): LocationInput | undefined => {
    const index = o[key === 'location' ? 'location_index' : `${key}_index`];
    if (index !== undefined) {
      if (!Number.isInteger(index) || (index as number) < 0)
        add(
          'E_TYPE',
          `${where}/${key === 'location' ? 'location_index' : `${key}_index`}`,
          'must be a matrix index',
        );
      return { index: index as number };
    }
    const c = o[key];
    if (c === undefined) return undefined;
    if (!Array.isArray(c) || c.length !== 2 || !isNum(c[0]) || !isNum(c[1])) {
      add('E_TYPE', `${where}/${key}`, 'must be [lon, lat]');
      return undefined;
    }
    return { lon: c[0], lat: c[1] };
  };
  const window = (w: unknown, where: string) => {
    if (!Array.isArray(w) || w.length !== 2 || !isNum(w[0]) || !isNum(w[1])) {
      add('E_TYPE', where, 'must be a time window [start, end] in seconds');
      return { start: 0, end: 0 };
    }
    return { start: w[0], end: w[1] };
  };
  const single = (a: unknown, where: string): number | undefined => {
    if (a === undefined) return undefined;
    if (!Array.isArray(a) || !a.every(isNum)) {
      add('E_TYPE', where, 'must be an array of integers');
      return undefined;
    }
    if (a.length > 1) unsupported(where, 'more than one capacity dimension');
    return a[0];
  };
  const skills = (s: unknown, where: string) => {
    if (s === undefined) return undefined;
    if (!Array.isArray(s) || !s.every((x) => Number.isInteger(x))) {
      add('E_TYPE', where, 'must be an array of integers');
      return undefined;
    }
    return s.map(String);
  };

  const vehicles = Array.isArray(raw.vehicles) ? raw.vehicles : [];
  if (!Array.isArray(raw.vehicles) || vehicles.length === 0)
    add('E_MISSING', '/vehicles', 'needs at least one vehicle');
  const nurses = vehicles.map((v: unknown, k: number): NurseInput => {
    const at = `/vehicles/${k}`;
    if (!isObj(v)) {
      add('E_TYPE', at, 'must be a vehicle object');
      return { id: String(k), start: { lon: 0, lat: 0 } };
    }
    for (const key of ['max_travel_time', 'max_distance', 'steps'] as const)
      if (v[key] !== undefined) unsupported(`${at}/${key}`, `a vehicle's ${key}`);
    if (v.speed_factor !== undefined && v.speed_factor !== 1)
      unsupported(`${at}/speed_factor`, 'a speed factor');
    const start = place(v, at, 'start');
    if (start === undefined) unsupported(`${at}/start`, 'a vehicle without a start');
    const end = place(v, at, 'end');
    const costs = isObj(v.costs) ? v.costs : {};
    if (costs.per_hour !== undefined && costs.per_hour !== 3600)
      unsupported(`${at}/costs/per_hour`, 'a cost per hour other than 3600');
    const breaks = Array.isArray(v.breaks) ? v.breaks : [];
    const capacity = single(v.capacity, `${at}/capacity`);
    const nurseSkills = skills(v.skills, `${at}/skills`);
    if (!Number.isInteger(v.id)) add('E_TYPE', `${at}/id`, 'must be an integer');
    return {
      id: String(v.id),
      start: start ?? { lon: 0, lat: 0 },
      end: end ?? null,
      ...(v.time_window !== undefined && { shift: window(v.time_window, `${at}/time_window`) }),
      ...(typeof v.profile === 'string' && v.profile !== 'car' && { profile: v.profile }),
      ...(capacity !== undefined && { capacity }),
      ...(nurseSkills !== undefined && { skills: nurseSkills }),
      ...(isNum(costs.fixed) && costs.fixed > 0 && { fixedCost: costs.fixed }),
      ...(isNum(costs.per_km) && costs.per_km > 0 && { costPerKm: costs.per_km }),
      ...(Number.isInteger(v.max_tasks) && { maxVisits: v.max_tasks as number }),
      ...(breaks.length > 0 && {
        breaks: breaks.map((b: unknown, j: number) => {
          const bt = `${at}/breaks/${j}`;
          const o = isObj(b) ? b : {};
          const ws = Array.isArray(o.time_windows) ? o.time_windows : [];
          if (ws.length !== 1) unsupported(`${bt}/time_windows`, 'a break with other than one time window');
          if (o.max_load !== undefined) unsupported(`${bt}/max_load`, "a break's max_load");
          // VROOM's window bounds when the break starts; here the whole break fits its window.
          const duration = isNum(o.service) ? o.service : 0;
          const w = window(ws[0], `${bt}/time_windows/0`);
          return { id: String(o.id), duration, window: { start: w.start, end: w.end + duration } };
        }),
      }),
    };
  });

  const jobs = Array.isArray(raw.jobs) ? raw.jobs : [];
  const visits = jobs.map((j: unknown, k: number): VisitInput => {
    const at = `/jobs/${k}`;
    if (!isObj(j)) {
      add('E_TYPE', at, 'must be a job object');
      return { id: String(k), location: { lon: 0, lat: 0 } };
    }
    if (!Number.isInteger(j.id)) add('E_TYPE', `${at}/id`, 'must be an integer');
    if (isNum(j.setup) && j.setup > 0) unsupported(`${at}/setup`, 'a setup time');
    const pickup = single(j.pickup, `${at}/pickup`);
    if (pickup !== undefined && pickup > 0) unsupported(`${at}/pickup`, 'a pickup amount');
    const demand = single(
      j.delivery ?? j.amount,
      `${at}/${j.delivery !== undefined ? 'delivery' : 'amount'}`,
    );
    const location = place(j, at, 'location');
    if (location === undefined)
      add('E_MISSING', `${at}/location`, 'a job needs a location or a location_index');
    const jobSkills = skills(j.skills, `${at}/skills`);
    const windows = Array.isArray(j.time_windows) ? j.time_windows : undefined;
    return {
      id: String(j.id),
      location: location ?? { lon: 0, lat: 0 },
      duration: isNum(j.service) ? j.service : 0,
      ...(typeof j.description === 'string' && { notes: j.description }),
      ...(demand !== undefined && demand > 0 && { demand }),
      ...(jobSkills !== undefined && jobSkills.length > 0 && { skills: jobSkills }),
      ...(windows !== undefined && {
        timeWindows: windows.map((w, i) => window(w, `${at}/time_windows/${i}`)),
      }),
    };
  });
  if (issues.length > 0) throw new InputError(issues);
  return {
    timeUnit: 'second',
    objective: 'duration',
    ...(Object.keys(profiles).length > 0 && { profiles }),
    nurses,
    visits,
  };
}

/** VROOM's job and vehicle ids are integers: the ids of the problem read back as the numbers they were. */
const idOf = (id: string): number | string => (/^-?\d+$/.test(id) ? Number(id) : id);

/** A plan in VROOM's output shape (code, summary, unassigned, routes with steps), times rounded to seconds as VROOM's. */
export function toVroom(
  problem: ProblemInput,
  plan: Plan,
  computingMs: { loading: number; solving: number },
): object {
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const nurses = new Map(problem.nurses.map((n) => [n.id, n]));
  const coords = (l: LocationInput | null | undefined) =>
    l !== null && l !== undefined && 'lon' in l
      ? { location: [l.lon, l.lat] }
      : l !== null && l !== undefined && 'index' in l
        ? { location_index: l.index }
        : {};
  const round = (x: number) => Math.round(x);
  let service = 0;
  let waiting = 0;
  const routes = plan.routes.map((route) => {
    const n = nurses.get(route.vehicle)!;
    let travelled = 0;
    let routeService = 0;
    let routeWaiting = 0;
    const steps: object[] = [
      {
        type: 'start',
        ...coords(n.start),
        setup: 0,
        service: 0,
        waiting_time: 0,
        arrival: round(route.departure),
        duration: 0,
      },
    ];
    let t = route.departure;
    const breakSteps = (after: string | null) => {
      for (const b of (route.breaks ?? []).filter((x) => x.after === after)) {
        steps.push({
          type: 'break',
          id: idOf(b.id),
          setup: 0,
          service: round(b.end - b.start),
          waiting_time: round(Math.max(0, b.start - t)),
          arrival: round(t),
          duration: round(travelled),
        });
        t = b.end;
      }
    };
    breakSteps(null);
    for (const s of route.stops) {
      const v = visits.get(s.visit)!;
      travelled += s.arrival - t;
      const wait = s.start - s.arrival;
      routeService += s.end - s.start;
      routeWaiting += wait;
      steps.push({
        type: 'job',
        ...coords(v.location),
        id: idOf(v.id),
        job: idOf(v.id),
        setup: 0,
        service: round(s.end - s.start),
        waiting_time: round(wait),
        arrival: round(s.arrival),
        duration: round(travelled),
      });
      t = s.end;
      breakSteps(s.visit);
    }
    travelled = route.travelTime;
    const end = n.end === null ? null : (n.end ?? n.start);
    if (end !== null)
      steps.push({
        type: 'end',
        ...coords(end),
        setup: 0,
        service: 0,
        waiting_time: 0,
        arrival: round(route.return),
        duration: round(travelled),
      });
    service += routeService;
    waiting += routeWaiting;
    return {
      vehicle: idOf(route.vehicle),
      cost: round(route.travelTime),
      setup: 0,
      service: round(routeService),
      duration: round(route.travelTime),
      waiting_time: round(routeWaiting),
      priority: 0,
      distance: round(route.distance),
      steps,
      violations: [],
    };
  });
  return {
    code: 0,
    summary: {
      cost: routes.reduce((s, r) => s + r.cost, 0),
      routes: routes.length,
      unassigned: plan.unassigned.length,
      setup: 0,
      service: round(service),
      duration: routes.reduce((s, r) => s + r.duration, 0),
      waiting_time: round(waiting),
      priority: 0,
      distance: routes.reduce((s, r) => s + r.distance, 0),
      violations: [],
      computing_times: {
        loading: round(computingMs.loading),
        solving: round(computingMs.solving),
        routing: 0,
      },
    },
    unassigned: plan.unassigned.map((u) => ({
      id: idOf(u.visit),
      type: 'job',
      ...coords(visits.get(u.visit)?.location),
    })),
    routes,
  };
}

/** A pointer into the problem a VROOM request made, as a pointer into the request (its jobs, vehicles and fields). */
export function vroomPointer(where: string): string {
  const fields: [RegExp, string][] = [
    [/^\/visits\/(\d+)\/timeWindows(\/\d+)?(\/(start|end))?/, '/jobs/$1/time_windows$2'],
    [/^\/visits\/(\d+)\/duration/, '/jobs/$1/service'],
    [/^\/visits\/(\d+)\/demand/, '/jobs/$1/delivery'],
    [/^\/visits\/(\d+)\/location(\/index)?/, '/jobs/$1/location'],
    [/^\/visits\/(\d+)/, '/jobs/$1'],
    [/^\/nurses\/(\d+)\/shift(\/(start|end))?/, '/vehicles/$1/time_window'],
    [/^\/nurses\/(\d+)\/breaks\/(\d+)\/window(\/(start|end))?/, '/vehicles/$1/breaks/$2/time_windows/0'],
    [/^\/nurses\/(\d+)\/breaks\/(\d+)\/duration/, '/vehicles/$1/breaks/$2/service'],
    [/^\/nurses\/(\d+)\/(start|end)(\/index)?/, '/vehicles/$1/$2'],
    [/^\/nurses\/(\d+)\/maxVisits/, '/vehicles/$1/max_tasks'],
    [/^\/nurses\/(\d+)/, '/vehicles/$1'],
    [/^\/profiles\/([^/]+)/, '/matrices/$1'],
  ];
  for (const [re, to] of fields)
    if (re.test(where)) return where.replace(re, to).replace(/\/(start|end|index)$/, '');
  return where;
}
