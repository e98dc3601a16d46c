import { type InputIssue, pointerToken } from './errors.ts';
import { ShiftReach } from './shift-reach.ts';

type Obj = Record<string, unknown>;
type Add = (code: InputIssue['code'], where: string, message: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks the home-care fields of a problem whose nurses and visits are already known to be
 * objects with unique ids: types and ranges, references to nurses and visits, and the
 * contradictions no plan could meet (a required nurse without the skills, a dependency
 * cycle, windows outside every shift).
 */
export function findCareIssues(raw: Obj, nurses: Obj[], visits: Obj[], add: Add): void {
  const nurseIds = new Set(nurses.map((n) => n.id).filter((id): id is string => typeof id === 'string'));
  const visitIds = new Map<string, number>();
  visits.forEach((v, k) => typeof v.id === 'string' && visitIds.set(v.id, k));
  const nonNegative = (x: unknown, at: string) => {
    if (x !== undefined && !(isNum(x) && x >= 0)) add('E_RANGE', at, 'must be a non-negative number');
  };
  const strings = (x: unknown, at: string): string[] => {
    if (x === undefined) return [];
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string' && s.length > 0)) {
      add('E_TYPE', at, 'must be an array of non-empty strings');
      return [];
    }
    return x as string[];
  };
  const nurseRef = (id: unknown, at: string) => {
    if (typeof id !== 'string') add('E_TYPE', at, 'must be a nurse id (string)');
    else if (!nurseIds.has(id)) add('E_UNKNOWN_REF', at, `names nurse '${id}', who is not in /nurses`);
  };

  const skillsOf = new Map<string, Set<string>>();
  nurses.forEach((n, i) => {
    const at = `/nurses/${i}`;
    if (typeof n.id === 'string') skillsOf.set(n.id, new Set(strings(n.skills, `${at}/skills`)));
    for (const k of ['maxWorkingTime', 'costPerHour', 'costPerKm'] as const) nonNegative(n[k], `${at}/${k}`);
    if (n.maxVisits !== undefined && !(Number.isInteger(n.maxVisits) && (n.maxVisits as number) >= 0))
      add('E_RANGE', `${at}/maxVisits`, 'must be a non-negative integer');
    const breakIds = new Set<string>();
    const periods = (key: 'breaks' | 'unavailable', list: unknown = n[key], base = `${at}/${key}`) => {
      if (list === undefined) return;
      if (!Array.isArray(list)) return add('E_TYPE', base, 'must be an array');
      list.forEach((b: unknown, k: number) => {
        const where = `${base}/${k}`;
        if (!isObj(b)) return add('E_TYPE', where, 'must be an object');
        const w = key === 'breaks' ? b.window : b;
        const wAt = key === 'breaks' ? `${where}/window` : where;
        if (key === 'breaks' && !(isNum(b.duration) && b.duration >= 0))
          add('E_RANGE', `${where}/duration`, 'must be a non-negative number');
        if (!isObj(w) || !isNum(w.start) || !isNum(w.end))
          return add('E_TYPE', wAt, 'must have numeric start and end');
        const need = key === 'breaks' && isNum(b.duration) ? b.duration : 0;
        if (w.end - w.start < need)
          add(
            'E_WINDOW_ORDER',
            `${wAt}/end`,
            `leaves ${w.end - w.start}, less than the ${need} the period needs`,
          );
        const id = b.id ?? `${String(n.id)}-${key === 'breaks' ? 'break' : 'unavailable'}-${k}`;
        if (typeof id !== 'string') add('E_TYPE', `${where}/id`, 'must be a string');
        else if (breakIds.has(id))
          add('E_DUPLICATE_ID', `${where}/id`, `'${id}' is already used by another of her periods`);
        else breakIds.add(id);
      });
    };
    periods('breaks');
    periods('unavailable');
    if (n.shifts !== undefined) {
      if (!Array.isArray(n.shifts))
        add('E_TYPE', `${at}/shifts`, 'must be an array of {start, end, breaks?}');
      else
        n.shifts.forEach((sh: unknown, k: number) => {
          const sAt = `${at}/shifts/${k}`;
          if (!isObj(sh) || !isNum(sh.start) || !isNum(sh.end))
            return add('E_TYPE', sAt, 'must have numeric start and end');
          if (sh.end < sh.start)
            add('E_WINDOW_ORDER', `${sAt}/end`, `ends (${sh.end}) before it starts (${sh.start})`);
          periods('breaks', sh.breaks, `${sAt}/breaks`);
          if (sh.openEnd !== undefined && typeof sh.openEnd !== 'boolean')
            add('E_TYPE', `${sAt}/openEnd`, 'must be true or false');
          if (sh.overtime !== undefined) {
            if (!isObj(sh.overtime) || !isNum(sh.overtime.max) || sh.overtime.max < 0)
              add('E_RANGE', `${sAt}/overtime/max`, 'must be a non-negative number');
            else nonNegative(sh.overtime.cost, `${sAt}/overtime/cost`);
          }
        });
      // One nurse is in one place at a time: her shifts, overtime included, do not overlap.
      const spans = (Array.isArray(n.shifts) ? (n.shifts as unknown[]) : [])
        .map((sh: unknown, k: number) => ({ sh, k }))
        .filter((x): x is { sh: Obj; k: number } => isObj(x.sh) && isNum(x.sh.start) && isNum(x.sh.end))
        .map(({ sh, k }) => {
          const ot = isObj(sh.overtime) ? sh.overtime : isObj(n.overtime) ? n.overtime : {};
          return { k, start: sh.start as number, end: (sh.end as number) + (isNum(ot.max) ? ot.max : 0) };
        })
        .sort((a, b) => a.start - b.start);
      for (let j = 1; j < spans.length; j++)
        if (spans[j].start < spans[j - 1].end)
          add(
            'E_CONFLICT',
            `${at}/shifts/${spans[j].k}/start`,
            `overlaps her shift ${spans[j - 1].k} (until ${spans[j - 1].end}, overtime included)`,
          );
    }
    if (n.contract !== undefined) {
      const c = n.contract;
      if (!isObj(c)) add('E_TYPE', `${at}/contract`, 'must be an object');
      else {
        nonNegative(c.maxWorkingTime, `${at}/contract/maxWorkingTime`);
        nonNegative(c.minRest, `${at}/contract/minRest`);
        if (
          c.maxConsecutiveDays !== undefined &&
          !(Number.isInteger(c.maxConsecutiveDays) && (c.maxConsecutiveDays as number) >= 1)
        )
          add('E_RANGE', `${at}/contract/maxConsecutiveDays`, 'must be a positive integer');
      }
    }
    if (n.overtime !== undefined) {
      if (!isObj(n.overtime)) add('E_TYPE', `${at}/overtime`, 'must be an object {max, cost}');
      else {
        if (!isNum(n.overtime.max) || n.overtime.max < 0)
          add('E_RANGE', `${at}/overtime/max`, 'must be a non-negative number');
        nonNegative(n.overtime.cost, `${at}/overtime/cost`);
      }
    }
  });

  const reach = new ShiftReach(nurses, skillsOf);
  visits.forEach((v, i) => {
    const at = `/visits/${i}`;
    for (const k of ['patient', 'address', 'notes'] as const)
      if (v[k] !== undefined && typeof v[k] !== 'string') add('E_TYPE', `${at}/${k}`, 'must be a string');
    const needs = strings(v.skills, `${at}/skills`);
    if (v.durationByNurse !== undefined) {
      if (!isObj(v.durationByNurse))
        add('E_TYPE', `${at}/durationByNurse`, 'must be an object of durations by nurse id');
      else
        for (const [id, d] of Object.entries(v.durationByNurse)) {
          const where = `${at}/durationByNurse/${pointerToken(id)}`;
          if (!nurseIds.has(id)) add('E_UNKNOWN_REF', where, `names nurse '${id}', who is not in /nurses`);
          nonNegative(d, where);
        }
    }
    if (v.durationBySkill !== undefined) {
      if (!isObj(v.durationBySkill))
        add('E_TYPE', `${at}/durationBySkill`, 'must be an object of durations by skill');
      else
        for (const [skill, d] of Object.entries(v.durationBySkill))
          nonNegative(d, `${at}/durationBySkill/${pointerToken(skill)}`);
    }
    if (v.preferredWindow !== undefined) {
      const w = v.preferredWindow;
      if (!isObj(w))
        add('E_TYPE', `${at}/preferredWindow`, 'must be an object {start?, end, costPerMinute?}');
      else {
        if (!isNum(w.end)) add('E_TYPE', `${at}/preferredWindow/end`, 'must be a finite number');
        if (w.start !== undefined && !isNum(w.start))
          add('E_TYPE', `${at}/preferredWindow/start`, 'must be a finite number');
        if (isNum(w.start) && isNum(w.end) && w.end < w.start)
          add('E_WINDOW_ORDER', `${at}/preferredWindow/end`, `ends (${w.end}) before it starts (${w.start})`);
        nonNegative(w.costPerMinute, `${at}/preferredWindow/costPerMinute`);
      }
    }
    if (v.optional !== undefined && typeof v.optional !== 'boolean')
      add('E_TYPE', `${at}/optional`, 'must be true or false');
    if (
      v.priority !== undefined &&
      !(Number.isInteger(v.priority) && (v.priority as number) >= 1 && (v.priority as number) <= 5)
    )
      add('E_RANGE', `${at}/priority`, 'must be an integer from 1 to 5');
    nonNegative(v.penalty, `${at}/penalty`);
    strings(v.preferredNurses, `${at}/preferredNurses`).forEach((id, k) =>
      nurseRef(id, `${at}/preferredNurses/${k}`),
    );
    const excluded = strings(v.excludedNurses, `${at}/excludedNurses`);
    excluded.forEach((id, k) => nurseRef(id, `${at}/excludedNurses/${k}`));
    if (v.requiredNurse !== undefined) {
      nurseRef(v.requiredNurse, `${at}/requiredNurse`);
      const has = skillsOf.get(v.requiredNurse as string);
      const missing = needs.filter((s) => has !== undefined && !has.has(s));
      // Contradictions that only make the visit impossible: refused under `strict`, else it is left out.
      if (raw.strict === true && missing.length > 0)
        add(
          'E_CONFLICT',
          `${at}/requiredNurse`,
          `nurse '${String(v.requiredNurse)}' lacks the skills ${missing.join(', ')} the visit needs`,
        );
      if (raw.strict === true && excluded.includes(v.requiredNurse as string))
        add(
          'E_CONFLICT',
          `${at}/requiredNurse`,
          `nurse '${String(v.requiredNurse)}' is also in excludedNurses`,
        );
    }
    for (const key of ['pinned', 'frozen'] as const) {
      const x = v[key];
      if (x === undefined) continue;
      if (!isObj(x)) {
        add(
          'E_TYPE',
          `${at}/${key}`,
          key === 'pinned' ? 'must be an object {nurse, start?}' : 'must be an object {nurse, start}',
        );
        continue;
      }
      nurseRef(x.nurse, `${at}/${key}/nurse`);
      if ((key === 'frozen' || x.start !== undefined) && !isNum(x.start))
        add('E_TYPE', `${at}/${key}/start`, 'must be a finite number');
      const has = skillsOf.get(x.nurse as string);
      const missing = needs.filter((sk) => has !== undefined && !has.has(sk));
      // A coordinator's pin that cannot hold is refused: it is a decision, not a visit no nurse could do.
      if (key === 'pinned' && missing.length > 0)
        add(
          'E_CONFLICT',
          `${at}/pinned/nurse`,
          `nurse '${String(x.nurse)}' lacks the skills ${missing.join(', ')} the visit needs`,
        );
      if (key === 'pinned' && v.requiredNurse !== undefined && v.requiredNurse !== x.nurse)
        add('E_CONFLICT', `${at}/pinned/nurse`, `the visit requires nurse '${String(v.requiredNurse)}'`);
    }
    if (v.pinned !== undefined && v.frozen !== undefined)
      add('E_CONFLICT', `${at}/pinned`, 'a frozen visit is already fixed: give pinned or frozen, not both');
    if (raw.strict === true && v.frozen === undefined && !(isObj(v.pinned) && v.pinned.start !== undefined))
      checkReachableShift(v, at, needs, reach, add);
  });

  const visitRef = (id: unknown, at: string): number | null => {
    if (typeof id !== 'string') add('E_TYPE', at, 'must be a visit id (string)');
    else if (!visitIds.has(id)) add('E_UNKNOWN_REF', at, `names visit '${id}', which is not in /visits`);
    else return visitIds.get(id)!;
    return null;
  };
  if (raw.syncGroups !== undefined) {
    if (!Array.isArray(raw.syncGroups))
      add('E_TYPE', '/syncGroups', 'must be an array of {visits, tolerance?}');
    else
      raw.syncGroups.forEach((g: unknown, i: number) => {
        const at = `/syncGroups/${i}`;
        if (!isObj(g) || !Array.isArray(g.visits) || g.visits.length < 2)
          return add('E_TYPE', isObj(g) ? `${at}/visits` : at, 'must list at least two visit ids');
        const seen = new Set<unknown>();
        g.visits.forEach((id: unknown, k: number) => {
          visitRef(id, `${at}/visits/${k}`);
          if (seen.has(id)) add('E_DUPLICATE_ID', `${at}/visits/${k}`, `'${String(id)}' is listed twice`);
          seen.add(id);
        });
        nonNegative(g.tolerance, `${at}/tolerance`);
      });
  }
  if (raw.dependencies !== undefined) {
    if (!Array.isArray(raw.dependencies))
      add('E_TYPE', '/dependencies', 'must be an array of {before, after, ...}');
    else {
      const next = new Map<number, { to: number; at: string }[]>();
      raw.dependencies.forEach((d: unknown, i: number) => {
        const at = `/dependencies/${i}`;
        if (!isObj(d))
          return add('E_TYPE', at, 'must be an object {before, after, minDelay?, maxDelay?, nurse?}');
        const a = visitRef(d.before, `${at}/before`);
        const b = visitRef(d.after, `${at}/after`);
        if (a !== null && a === b) add('E_CONFLICT', `${at}/after`, 'a visit cannot depend on itself');
        for (const k of ['minDelay', 'maxDelay'] as const)
          if (d[k] !== undefined && !isNum(d[k])) add('E_TYPE', `${at}/${k}`, 'must be a finite number');
        if (isNum(d.minDelay) && isNum(d.maxDelay) && d.maxDelay < d.minDelay)
          add('E_WINDOW_ORDER', `${at}/maxDelay`, `is below minDelay (${d.minDelay})`);
        if (d.nurse !== undefined && !['same', 'different', 'any'].includes(d.nurse as string))
          add('E_RANGE', `${at}/nurse`, "must be 'same', 'different' or 'any'");
        if (a !== null && b !== null && a !== b) {
          const edges = next.get(a);
          if (edges === undefined) next.set(a, [{ to: b, at }]);
          else edges.push({ to: b, at });
        }
      });
      const cycle = findCycle(next);
      if (cycle !== null)
        add(
          'E_CYCLE',
          cycle.at,
          `closes a cycle of dependencies (${cycle.visits.map((k) => String(visits[k].id)).join(' → ')})`,
        );
    }
  }
  if (raw.previousPlan !== undefined) {
    const routes = isObj(raw.previousPlan) ? raw.previousPlan.routes : undefined;
    if (!Array.isArray(routes))
      add('E_TYPE', '/previousPlan/routes', 'must be an array of routes {vehicle, stops}');
    else
      routes.forEach((r: unknown, i: number) => {
        const at = `/previousPlan/routes/${i}`;
        if (!isObj(r) || typeof r.vehicle !== 'string' || !Array.isArray(r.stops))
          return add('E_TYPE', at, 'must be {vehicle: string, stops: [{visit, start}]}');
        r.stops.forEach((st: unknown, k: number) => {
          if (!isObj(st) || typeof st.visit !== 'string' || !isNum(st.start))
            add('E_TYPE', `${at}/stops/${k}`, 'must be {visit: string, start: number}');
        });
      });
  }
  if (raw.patients !== undefined) {
    if (!Array.isArray(raw.patients)) add('E_TYPE', '/patients', 'must be an array of patients');
    else {
      const seen = new Map<string, string>();
      raw.patients.forEach((p: unknown, i: number) => {
        const at = `/patients/${i}`;
        if (!isObj(p)) return add('E_TYPE', at, 'must be an object');
        if (typeof p.id !== 'string' || p.id.length === 0)
          add('E_TYPE', `${at}/id`, 'must be a non-empty string');
        else if (seen.has(p.id))
          add('E_DUPLICATE_ID', `${at}/id`, `'${p.id}' is already used at ${seen.get(p.id)}`);
        else seen.set(p.id, at);
        for (const k of ['address', 'notes'] as const)
          if (p[k] !== undefined && typeof p[k] !== 'string') add('E_TYPE', `${at}/${k}`, 'must be a string');
        for (const k of ['preferredNurses', 'excludedNurses', 'history'] as const)
          strings(p[k], `${at}/${k}`).forEach((id, j) => nurseRef(id, `${at}/${k}/${j}`));
        if (p.maxNurses !== undefined && !(Number.isInteger(p.maxNurses) && (p.maxNurses as number) >= 1))
          add('E_RANGE', `${at}/maxNurses`, 'must be a positive integer');
      });
    }
  }
  if (raw.weights !== undefined) {
    if (!isObj(raw.weights)) add('E_TYPE', '/weights', 'must be an object of non-negative numbers');
    else for (const [k, x] of Object.entries(raw.weights)) nonNegative(x, `/weights/${pointerToken(k)}`);
  }
}

/** A visit whose every hard window lies outside the shift (plus overtime) of every nurse who could do it. */
function checkReachableShift(v: Obj, at: string, needs: string[], reach: ShiftReach, add: Add): void {
  if (!Array.isArray(v.timeWindows) || v.timeWindows.length === 0) return;
  const windows = v.timeWindows.filter(
    (w): w is { start: number; end: number } => isObj(w) && isNum(w.start) && isNum(w.end),
  );
  if (windows.length !== v.timeWindows.length) return;
  // null: no nurse could do it, reported as an unassigned reason (skills), not an input error.
  if (reach.fits(needs, v.requiredNurse, windows) === false)
    add(
      'E_CONFLICT',
      `${at}/timeWindows`,
      'every time window lies outside the shift of every nurse who could do the visit',
    );
}

/** One directed cycle of the dependency graph, if any (iterative depth-first search). */
function findCycle(next: Map<number, { to: number; at: string }[]>): { at: string; visits: number[] } | null {
  const state = new Map<number, 1 | 2>();
  for (const root of next.keys()) {
    if (state.has(root)) continue;
    const stack: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    const path = [root];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = next.get(top.node) ?? [];
      if (top.edge === edges.length) {
        state.set(top.node, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const e = edges[top.edge++];
      if (state.get(e.to) === 1) return { at: e.at, visits: [...path.slice(path.indexOf(e.to)), e.to] };
      if (!state.has(e.to)) {
        state.set(e.to, 1);
        stack.push({ node: e.to, edge: 0 });
        path.push(e.to);
      }
    }
  }
  return null;
}
