import { type InputIssue, pointerToken } from './errors.ts';
import { KNOWN_FIELDS, type KnownObject } from './input.ts';
import type { ProblemLimits } from './limits.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN: Record<KnownObject, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(KNOWN_FIELDS).map(([kind, names]) => [kind, new Set(names)]),
) as unknown as Record<KnownObject, ReadonlySet<string>>;
/** Free text, held to `maxTextLength` rather than `maxStringLength`. */
const TEXT_FIELDS = new Set(['address', 'notes']);
/** Suggestions cost an edit distance per known name: only the first unknown fields get one. */
const MAX_SUGGESTIONS = 1000;

/** Thrown inside the walk when a count is over its limit: that one issue is the answer. */
class OverLimit {
  constructor(readonly issue: InputIssue) {}
}

/**
 * The structural pass over a problem, before any other check: counts against `limits` (one
 * E_LIMIT issue, and nothing else, when one is over: the top-level lists are counted before
 * any of their items is read), then every object's fields against KNOWN_FIELDS
 * (E_UNKNOWN_FIELD, with a suggestion when a known name is close) and every string's length
 * (E_LIMIT). `complete` is false when the rest of validation must not run: a count or a string
 * over its limit.
 */
export function findShapeIssues(
  raw: Obj,
  limits: ProblemLimits,
): { issues: InputIssue[]; complete: boolean } {
  const issues: InputIssue[] = [];
  let overLong = false;
  let suggestions = 0;

  const over = (at: string, count: number, noun: string, limit: keyof ProblemLimits): never => {
    throw new OverLimit({
      code: 'E_LIMIT',
      where: at,
      message: `has ${count} ${noun}; at most ${limits[limit]} are accepted (limit ${limit})`,
    });
  };
  /** The array's length against a limit; false when it is not an array. */
  const counted = (
    x: unknown,
    at: string,
    noun: string,
    limit: keyof ProblemLimits = 'maxItems',
  ): x is unknown[] => {
    if (!Array.isArray(x)) return false;
    if (x.length > limits[limit]) over(at, x.length, noun, limit);
    return true;
  };
  const countedMap = (x: unknown, at: string, noun: string): x is Obj => {
    if (!isObj(x)) return false;
    let n = 0;
    for (const key in x) if (Object.hasOwn(x, key)) n++;
    if (n > limits.maxItems) over(at, n, noun, 'maxItems');
    return true;
  };
  const tooLong = (at: string, length: number, what: string, limit: 'maxStringLength' | 'maxTextLength') => {
    overLong = true;
    issues.push({
      code: 'E_LIMIT',
      where: at,
      message: `${what} ${length} characters long; at most ${limits[limit]} are accepted (limit ${limit})`,
    });
  };
  const string = (s: unknown, at: string, limit: 'maxStringLength' | 'maxTextLength' = 'maxStringLength') => {
    if (typeof s === 'string' && s.length > limits[limit]) tooLong(at, s.length, 'is', limit);
  };
  /** A map's keys (names, ids, skills) are strings too: an over-long one is reported at the map. */
  const keys = (m: Obj, at: string) => {
    for (const key in m)
      if (Object.hasOwn(m, key) && key.length > limits.maxStringLength)
        return tooLong(at, key.length, 'has a key', 'maxStringLength');
  };
  const strings = (list: unknown, at: string, noun: string) => {
    if (counted(list, at, noun)) list.forEach((s, k) => string(s, `${at}/${k}`));
  };
  /** The object's fields: unknown ones reported, string values measured. False when not an object. */
  const fields = (x: unknown, at: string, kind: KnownObject): x is Obj => {
    if (!isObj(x)) return false;
    const known = KNOWN[kind];
    for (const key of Object.keys(x)) {
      if (known.has(key)) {
        const value = x[key];
        if (typeof value !== 'string') continue;
        const limit = TEXT_FIELDS.has(key) ? 'maxTextLength' : 'maxStringLength';
        if (value.length > limits[limit]) tooLong(`${at}/${pointerToken(key)}`, value.length, 'is', limit);
        continue;
      }
      if (key.length > limits.maxStringLength) {
        tooLong(at, key.length, 'has a field name', 'maxStringLength');
        continue;
      }
      const close = suggestions++ < MAX_SUGGESTIONS ? didYouMean(key, KNOWN_FIELDS[kind]) : null;
      issues.push({
        code: 'E_UNKNOWN_FIELD',
        where: `${at}/${pointerToken(key)}`,
        message: `unknown field '${key}'${close === null ? '' : `; did you mean '${close}'?`}`,
      });
    }
    return true;
  };
  const location = (x: unknown, at: string) => void fields(x, at, 'location');
  const window = (x: unknown, at: string) => void fields(x, at, 'timeWindow');

  try {
    // Counts of the top-level lists first: a huge one is refused before any item is read.
    const profiles = countedMap(raw.profiles, '/profiles', 'profiles') ? raw.profiles : undefined;
    if (profiles !== undefined)
      for (const name in profiles) {
        const p = profiles[name];
        if (!Object.hasOwn(profiles, name) || !isObj(p)) continue;
        for (const key of ['durations', 'distances'] as const)
          counted(p[key], `/profiles/${pointerToken(name)}/${key}`, 'rows', 'maxMatrixSize');
      }
    const nurses = counted(raw.nurses, '/nurses', 'nurses', 'maxNurses') ? raw.nurses : [];
    const visits = counted(raw.visits, '/visits', 'visits', 'maxVisits') ? raw.visits : [];
    const groups = counted(raw.syncGroups, '/syncGroups', 'sync groups') ? raw.syncGroups : [];
    const deps = counted(raw.dependencies, '/dependencies', 'dependencies') ? raw.dependencies : [];
    const previous = isObj(raw.previousPlan) ? raw.previousPlan : {};
    const routes = counted(previous.routes, '/previousPlan/routes', 'routes') ? previous.routes : [];

    fields(raw, '', 'problem');
    fields(raw.horizon, '/horizon', 'horizon');
    if (profiles !== undefined) {
      keys(profiles, '/profiles');
      for (const name in profiles)
        if (Object.hasOwn(profiles, name))
          fields(profiles[name], `/profiles/${pointerToken(name)}`, 'profile');
    }
    nurses.forEach((n, i) => {
      const at = `/nurses/${i}`;
      if (!fields(n, at, 'nurse')) return;
      location(n.start, `${at}/start`);
      location(n.end, `${at}/end`);
      window(n.shift, `${at}/shift`);
      fields(n.overtime, `${at}/overtime`, 'overtime');
      if (fields(n.position, `${at}/position`, 'position'))
        location(n.position.location, `${at}/position/location`);
      strings(n.skills, `${at}/skills`, 'skills');
      if (counted(n.breaks, `${at}/breaks`, 'breaks'))
        n.breaks.forEach((b, k) => {
          if (fields(b, `${at}/breaks/${k}`, 'break')) window(b.window, `${at}/breaks/${k}/window`);
        });
      if (counted(n.shifts, `${at}/shifts`, 'shifts'))
        n.shifts.forEach((s, k) => {
          const sAt = `${at}/shifts/${k}`;
          if (fields(s, sAt, 'shift')) fields(s.overtime, `${sAt}/overtime`, 'overtime');
          if (isObj(s) && counted(s.breaks, `${sAt}/breaks`, 'breaks'))
            s.breaks.forEach((b, j) => {
              if (fields(b, `${sAt}/breaks/${j}`, 'break')) window(b.window, `${sAt}/breaks/${j}/window`);
            });
        });
      if (fields(n.contract, `${at}/contract`, 'contract'))
        strings(n.contract.daysOff, `${at}/contract/daysOff`, 'days off');
      if (counted(n.unavailable, `${at}/unavailable`, 'unavailable periods'))
        n.unavailable.forEach((u, k) => fields(u, `${at}/unavailable/${k}`, 'unavailable'));
    });
    visits.forEach((v, i) => {
      const at = `/visits/${i}`;
      if (!fields(v, at, 'visit')) return;
      location(v.location, `${at}/location`);
      if (counted(v.timeWindows, `${at}/timeWindows`, 'time windows'))
        v.timeWindows.forEach((w, k) => window(w, `${at}/timeWindows/${k}`));
      fields(v.preferredWindow, `${at}/preferredWindow`, 'preferredWindow');
      strings(v.skills, `${at}/skills`, 'skills');
      strings(v.preferredNurses, `${at}/preferredNurses`, 'preferred nurses');
      strings(v.excludedNurses, `${at}/excludedNurses`, 'excluded nurses');
      for (const key of ['durationByNurse', 'durationBySkill'] as const)
        if (countedMap(v[key], `${at}/${key}`, 'durations')) keys(v[key], `${at}/${key}`);
      fields(v.pinned, `${at}/pinned`, 'pinned');
      fields(v.frozen, `${at}/frozen`, 'frozen');
    });
    groups.forEach((g, i) => {
      if (fields(g, `/syncGroups/${i}`, 'syncGroup')) strings(g.visits, `/syncGroups/${i}/visits`, 'visits');
    });
    deps.forEach((d, i) => fields(d, `/dependencies/${i}`, 'dependency'));
    const patients = counted(raw.patients, '/patients', 'patients', 'maxVisits') ? raw.patients : [];
    patients.forEach((p, i) => {
      const at = `/patients/${i}`;
      if (!fields(p, at, 'patient')) return;
      location(p.location, `${at}/location`);
      strings(p.preferredNurses, `${at}/preferredNurses`, 'preferred nurses');
      strings(p.excludedNurses, `${at}/excludedNurses`, 'excluded nurses');
      strings(p.history, `${at}/history`, 'nurses');
      if (counted(p.care, `${at}/care`, 'care needs'))
        p.care.forEach((c, k) => {
          const cAt = `${at}/care/${k}`;
          if (!fields(c, cAt, 'careNeed')) return;
          location(c.location, `${cAt}/location`);
          window(c.window, `${cAt}/window`);
          if (counted(c.windows, `${cAt}/windows`, 'windows'))
            c.windows.forEach((w, j) => window(w, `${cAt}/windows/${j}`));
          strings(c.skills, `${cAt}/skills`, 'skills');
          strings(c.dates, `${cAt}/dates`, 'dates');
          strings(c.weekdays, `${cAt}/weekdays`, 'weekdays');
          fields(c.preferredWindow, `${cAt}/preferredWindow`, 'preferredWindow');
          if (countedMap(c.durationBySkill, `${cAt}/durationBySkill`, 'durations'))
            keys(c.durationBySkill, `${cAt}/durationBySkill`);
        });
    });
    fields(raw.weights, '/weights', 'weights');
    fields(raw.previousPlan, '/previousPlan', 'previousPlan');
    routes.forEach((r, i) => {
      const at = `/previousPlan/routes/${i}`;
      if (fields(r, at, 'previousRoute') && counted(r.stops, `${at}/stops`, 'stops'))
        r.stops.forEach((s, k) => fields(s, `${at}/stops/${k}`, 'previousStop'));
    });
  } catch (e) {
    if (e instanceof OverLimit) return { issues: [e.issue], complete: false };
    throw e;
  }
  return { issues, complete: !overLong };
}

/**
 * The known name `key` was probably meant as: equal but for case, or within a small edit
 * distance (one edit for names of up to 5 characters, two beyond; none under 3); null if none.
 */
export function didYouMean(key: string, known: readonly string[]): string | null {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const max = key.length < 3 ? 0 : key.length <= 5 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = max + 1;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions,
 * adjacent transpositions) between a and b, or max + 1 as soon as it must exceed max.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
      smallest = Math.min(smallest, d);
    }
    if (smallest > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(prev[b.length], max + 1);
}
