import { InputError, type InputIssue, pointerToken } from './errors.ts';
import type { ProblemInput } from './input.ts';
import { resolveLimits, type ValidateOptions } from './limits.ts';
import { DEFAULT_SPEED_KMH } from './profile-defaults.ts';
import { resolveTimes } from '../calendar/resolve-times.ts';
import { findCareIssues } from './validate-care.ts';
import { findShapeIssues } from './validate-shape.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks a native problem and returns every issue found, each with a JSON pointer.
 * `validateProblem` throws them as one InputError; an accepted problem is safe to build.
 * Sizes are held to `options.limits` over DEFAULT_LIMITS (limits.ts): a list over its limit is
 * the only issue returned, and nothing else is read; a string over its limit, or an unknown
 * field, is reported with the rest. Every step is linear in the size of the problem (times at
 * most the number of nurses / 32 for the shift check of a visit).
 */
export function findProblemIssues(raw: unknown, options: ValidateOptions = {}): InputIssue[] {
  return examineProblem(raw, options).issues;
}

/** Every issue of a problem, and the problem with its calendar notation resolved to numbers (calendar/resolve-times.ts). */
function examineProblem(
  input: unknown,
  options: ValidateOptions,
): { issues: InputIssue[]; problem: unknown } {
  if (!isObj(input))
    return {
      issues: [{ code: 'E_TYPE', where: '', message: 'the problem must be a JSON object' }],
      problem: input,
    };
  const limits = resolveLimits(options.limits);
  const shape = findShapeIssues(input, limits);
  if (!shape.complete) return { issues: shape.issues, problem: input };
  const issues: InputIssue[] = shape.issues;
  const add = (code: InputIssue['code'], where: string, message: string) =>
    issues.push({ code, where, message });
  const before = issues.length;
  const resolved = resolveTimes(input, add, limits.maxVisits);
  if (resolved.broken === true) return { issues, problem: input };
  const raw = resolved.problem;
  // Nurse-days times visits sizes the care engine's tables: held to what the limits allowed
  // before nurses had several days (most nurses times most visits).
  const days = Array.isArray(raw.nurses)
    ? raw.nurses.reduce(
        (sum: number, n: unknown) => sum + (isObj(n) && Array.isArray(n.shifts) ? n.shifts.length : 1),
        0,
      )
    : 0;
  const tasks = Array.isArray(raw.visits) ? raw.visits.length : 0;
  if (days * tasks > limits.maxNurses * limits.maxVisits)
    return {
      issues: [
        {
          code: 'E_LIMIT',
          where: '/nurses',
          message: `has ${days} nurse-days for ${tasks} visits; at most ${limits.maxNurses * limits.maxVisits} nurse-day visits are accepted (limits maxNurses × maxVisits)`,
        },
      ],
      problem: input,
    };
  // A time that could not be read is reported once, not again as a wrong number.
  const reported = new Set(issues.slice(before).map((i) => i.where));
  // An issue in a visit or dependency made from a care need names the need.
  const origin = (where: string) => {
    const m = /^\/(visits|dependencies)\/\d+/.exec(where);
    const from = m === null ? undefined : resolved.origins.get(m[0]);
    return from === undefined ? where : from + where.slice(m![0].length);
  };
  findNumericIssues(raw, (code, where, message) => {
    if (!reported.has(where)) add(code, origin(where), message);
  });
  return { issues, problem: issues.length > 0 ? input : raw };
}

function findNumericIssues(
  raw: Obj,
  add: (code: InputIssue['code'], where: string, message: string) => void,
): void {
  if (raw.timeUnit !== undefined && raw.timeUnit !== 'minute' && raw.timeUnit !== 'second')
    add('E_RANGE', '/timeUnit', "must be 'minute' or 'second'");
  if (raw.strict !== undefined && typeof raw.strict !== 'boolean')
    add('E_TYPE', '/strict', 'must be true or false');
  if (
    raw.travelSpread !== undefined &&
    !(isNum(raw.travelSpread) && raw.travelSpread >= 0 && raw.travelSpread <= 10)
  )
    add(
      'E_RANGE',
      '/travelSpread',
      'must be a number from 0 to 10 (0.2: a leg takes at most 20% more 9 times in 10)',
    );
  if (
    raw.confidence !== undefined &&
    !(isNum(raw.confidence) && raw.confidence >= 0.5 && raw.confidence <= 0.99)
  )
    add('E_RANGE', '/confidence', 'must be a number from 0.5 to 0.99');
  if (raw.objective !== undefined && !['distance', 'duration', 'vehicles'].includes(raw.objective as string))
    add('E_RANGE', '/objective', "must be 'distance', 'duration' or 'vehicles'");

  const profileSizes = new Map<string, number | null>();
  if (raw.profiles !== undefined) {
    if (!isObj(raw.profiles)) add('E_TYPE', '/profiles', 'must be an object of profiles by name');
    else
      for (const [name, p] of Object.entries(raw.profiles)) {
        const at = `/profiles/${pointerToken(name)}`;
        if (!isObj(p)) {
          add('E_TYPE', at, 'must be an object');
          continue;
        }
        let size: number | null = null;
        for (const key of ['durations', 'distances'] as const) {
          if (p[key] === undefined) continue;
          const n = checkMatrix(p[key], `${at}/${key}`, add);
          if (n === null) continue;
          if (size !== null && n !== size)
            add('E_MATRIX_SIZE', `${at}/${key}`, `is ${n}x${n} but durations is ${size}x${size}`);
          size ??= n;
        }
        if (p.distances !== undefined && p.durations === undefined)
          add('E_MISSING', `${at}/durations`, 'a profile with distances needs durations too');
        for (const key of ['speed', 'circuity'] as const)
          if (p[key] !== undefined && !(isNum(p[key]) && (p[key] as number) > 0))
            add('E_RANGE', `${at}/${key}`, 'must be a positive number');
        profileSizes.set(name, size);
      }
  }
  const matrixSizes = [...new Set([...profileSizes.values()].filter((s): s is number => s !== null))];
  if (matrixSizes.length > 1)
    add('E_MATRIX_SIZE', '/profiles', 'every profile matrix must have the same size');
  const matrixSize = matrixSizes.length > 0 ? matrixSizes[0] : null;
  let firstKind: { kind: string; at: string } | null = null;

  const checkLocation = (loc: unknown, at: string) => {
    if (!isObj(loc)) return add('E_TYPE', at, 'must be an object with lon/lat, x/y or index');
    const forms = ['lon' in loc || 'lat' in loc, 'x' in loc || 'y' in loc, 'index' in loc];
    // An index may carry lon/lat (a matrix for travel, coordinates for maps): still an index location.
    const indexWithCoords = forms[0] && !forms[1] && forms[2];
    if (forms.filter(Boolean).length !== 1 && !indexWithCoords)
      return add('E_TYPE', at, 'must have exactly one of lon/lat, x/y or index (an index may add lon/lat)');
    const kind = forms[2] ? 'index' : forms[0] ? 'lon/lat' : 'x/y';
    if (firstKind === null) firstKind = { kind, at };
    else if (firstKind.kind !== kind)
      return add(
        'E_TYPE',
        at,
        `uses ${kind} but ${firstKind.at} uses ${firstKind.kind}: use one form everywhere`,
      );
    if ('index' in loc) {
      if (!Number.isInteger(loc.index) || (loc.index as number) < 0)
        return add('E_RANGE', `${at}/index`, 'must be a non-negative integer');
      if (matrixSize === null)
        return add('E_MISSING', `${at}/index`, 'an index location needs a durations matrix in /profiles');
      if ((loc.index as number) >= matrixSize)
        add('E_MATRIX_SIZE', `${at}/index`, `is ${String(loc.index)} but the matrix has ${matrixSize} rows`);
      if (!forms[0]) return;
    }
    if ('lon' in loc) {
      if (!isNum(loc.lon) || Math.abs(loc.lon) > 180)
        add('E_RANGE', `${at}/lon`, 'must be a number in [-180, 180]');
      if (!isNum(loc.lat) || Math.abs(loc.lat) > 90)
        add('E_RANGE', `${at}/lat`, 'must be a number in [-90, 90]');
    } else {
      if (!isNum(loc.x)) add('E_TYPE', `${at}/x`, 'must be a finite number');
      if (!isNum(loc.y)) add('E_TYPE', `${at}/y`, 'must be a finite number');
    }
  };
  const checkWindow = (w: unknown, at: string) => {
    if (!isObj(w)) return add('E_TYPE', at, 'must be an object {start, end}');
    if (!isNum(w.start)) add('E_TYPE', `${at}/start`, 'must be a finite number');
    if (!isNum(w.end)) add('E_TYPE', `${at}/end`, 'must be a finite number');
    if (isNum(w.start) && isNum(w.end) && w.end < w.start)
      add('E_WINDOW_ORDER', `${at}/end`, `ends (${w.end}) before it starts (${w.start})`);
  };
  const checkNonNegative = (v: unknown, at: string) => {
    if (v !== undefined && !(isNum(v) && v >= 0)) add('E_RANGE', at, 'must be a non-negative number');
  };

  // Nurse ids and visit ids are separate namespaces.
  const nurseIds = new Map<string, string>();
  const visitIds = new Map<string, string>();
  const checkId = (id: unknown, at: string, seen: Map<string, string>) => {
    if (typeof id !== 'string' || id.length === 0)
      return add('E_TYPE', `${at}/id`, 'must be a non-empty string');
    const other = seen.get(id);
    if (other !== undefined) add('E_DUPLICATE_ID', `${at}/id`, `'${id}' is already used at ${other}`);
    else seen.set(id, at);
  };

  if (!Array.isArray(raw.nurses) || raw.nurses.length === 0)
    add('E_MISSING', '/nurses', 'must be a non-empty array of nurses');
  else
    raw.nurses.forEach((n: unknown, i: number) => {
      const at = `/nurses/${i}`;
      if (!isObj(n)) return add('E_TYPE', at, 'must be an object');
      checkId(n.id, at, nurseIds);
      const profile = n.profile === undefined ? 'car' : n.profile;
      if (typeof profile !== 'string') add('E_TYPE', `${at}/profile`, 'must be a string');
      else if (!profileSizes.has(profile) && !Object.hasOwn(DEFAULT_SPEED_KMH, profile))
        add(
          'E_UNKNOWN_REF',
          `${at}/profile`,
          `names profile '${profile}', which is neither in /profiles nor a built-in one (${Object.keys(DEFAULT_SPEED_KMH).join(', ')})`,
        );
      else if (matrixSize !== null && (profileSizes.get(profile) ?? null) === null)
        add('E_MISSING', `${at}/profile`, `profile '${profile}' has no durations matrix while others do`);
      checkLocation(n.start, `${at}/start`);
      if (n.end !== undefined && n.end !== null) checkLocation(n.end, `${at}/end`);
      if (n.position !== undefined) {
        if (!isObj(n.position)) add('E_TYPE', `${at}/position`, 'must be an object {location, time}');
        else {
          checkLocation(n.position.location, `${at}/position/location`);
          if (!isNum(n.position.time)) add('E_TYPE', `${at}/position/time`, 'must be a finite number');
        }
      }
      if (n.shift !== undefined) checkWindow(n.shift, `${at}/shift`);
      checkNonNegative(n.capacity, `${at}/capacity`);
      checkNonNegative(n.fixedCost, `${at}/fixedCost`);
    });

  if (!Array.isArray(raw.visits)) add('E_MISSING', '/visits', 'must be an array of visits');
  else
    raw.visits.forEach((v: unknown, i: number) => {
      const at = `/visits/${i}`;
      if (!isObj(v)) return add('E_TYPE', at, 'must be an object');
      checkId(v.id, at, visitIds);
      checkLocation(v.location, `${at}/location`);
      checkNonNegative(v.duration, `${at}/duration`);
      checkNonNegative(v.durationP90, `${at}/durationP90`);
      if (isNum(v.durationP90) && isNum(v.duration) && v.durationP90 < v.duration)
        add('E_RANGE', `${at}/durationP90`, `must be at least its duration (${v.duration})`);
      checkNonNegative(v.demand, `${at}/demand`);
      if (v.timeWindows !== undefined) {
        if (!Array.isArray(v.timeWindows))
          add('E_TYPE', `${at}/timeWindows`, 'must be an array of {start, end}');
        else v.timeWindows.forEach((w: unknown, k: number) => checkWindow(w, `${at}/timeWindows/${k}`));
      }
    });

  if (Array.isArray(raw.nurses) && Array.isArray(raw.visits))
    findCareIssues(
      raw,
      raw.nurses.map((n: unknown) => (isObj(n) ? n : {})),
      raw.visits.map((v: unknown) => (isObj(v) ? v : {})),
      add,
    );
}

function checkMatrix(
  m: unknown,
  at: string,
  add: (code: InputIssue['code'], where: string, message: string) => void,
): number | null {
  if (!Array.isArray(m) || m.length === 0) {
    add('E_TYPE', at, 'must be a non-empty square array of arrays');
    return null;
  }
  const n = m.length;
  for (let i = 0; i < n; i++) {
    const row: unknown = m[i];
    if (!Array.isArray(row) || row.length !== n) {
      add('E_MATRIX_SIZE', `${at}/${i}`, `row must have ${n} entries (the matrix has ${n} rows)`);
      return null;
    }
    for (let j = 0; j < n; j++) {
      const x: unknown = row[j];
      if (!isNum(x) || x < 0) {
        add('E_RANGE', `${at}/${i}/${j}`, 'must be a non-negative finite number');
        return null;
      }
    }
  }
  return n;
}

/**
 * The problem, checked, with every time as a number on its time axis (a problem given in
 * numbers only is returned as it is); throws an InputError with every issue found.
 */
export function validateProblem(raw: unknown, options: ValidateOptions = {}): ProblemInput {
  const { issues, problem } = examineProblem(raw, options);
  if (issues.length > 0) throw new InputError(issues);
  return problem as ProblemInput;
}
