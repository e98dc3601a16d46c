import type { InputIssue } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import type { DayChanges } from './apply-changes.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The issues of a re-plan's changes against the problem and plan they apply to, each with a
 * JSON pointer into the changes (`/absentNurses/0/nurse`): a nurse or a visit they name that is
 * not there, a new visit whose id is taken, an overrun of a visit that is not in the plan, a
 * nurse's position given twice, a pin of a visit cancelled, done or under way, or before now. The
 * problem itself and the new visits' other fields are the validator's (findProblemIssues).
 */
export function findChangesIssues(problem: ProblemInput, plan: Plan, changes: DayChanges): InputIssue[] {
  const issues: InputIssue[] = [];
  const add = (code: InputIssue['code'], where: string, message: string) =>
    issues.push({ code, where, message });
  const nurses = new Set(problem.nurses.map((n) => n.id));
  const visits = new Set(problem.visits.map((v) => v.id));
  const planned = new Map<string, number>();
  for (const route of plan.routes) for (const s of route.stops) planned.set(s.visit, s.start);

  /** Each element of a list of the changes, with its pointer (an absent list has none; a non-list is an issue). */
  const each = (name: keyof DayChanges, f: (x: unknown, at: string) => void) => {
    const list = changes[name];
    if (list === undefined) return;
    if (!Array.isArray(list)) return add('E_TYPE', `/${name}`, 'must be an array');
    list.forEach((x, k) => f(x, `/${name}/${k}`));
  };
  const ref = (id: unknown, at: string, known: Set<string>, what: 'nurse' | 'visit'): boolean => {
    if (typeof id !== 'string') add('E_TYPE', at, `must be a ${what} id (a string)`);
    else if (!known.has(id)) add('E_UNKNOWN_REF', at, `no ${what} with id '${id}'`);
    else return true;
    return false;
  };
  const object = (x: unknown, at: string): x is Obj => {
    if (!isObj(x)) add('E_TYPE', at, 'must be an object');
    return isObj(x);
  };

  each('absentNurses', (x, at) => object(x, at) && ref(x.nurse, `${at}/nurse`, nurses, 'nurse'));
  each('cancelledVisits', (x, at) => ref(x, at, visits, 'visit'));
  each('overruns', (x, at) => {
    if (!object(x, at) || !ref(x.visit, `${at}/visit`, visits, 'visit')) return;
    const start = planned.get(x.visit as string);
    if (start === undefined)
      add(
        'E_CONFLICT',
        `${at}/visit`,
        `visit '${String(x.visit)}' is not in the plan: only a visit under way runs longer`,
      );
    else if (typeof x.end === 'number' && x.end < start)
      add('E_RANGE', `${at}/end`, `ends (${x.end}) before the visit starts (${start})`);
  });
  const now = typeof changes.now === 'number' ? changes.now : -Infinity;
  const overrun = new Set((Array.isArray(changes.overruns) ? changes.overruns : []).map((o) => o?.visit));
  const cancelled = new Set(Array.isArray(changes.cancelledVisits) ? changes.cancelledVisits : []);
  const seen = new Map<string, string>();
  each('positions', (x, at) => {
    if (!object(x, at)) return;
    if (ref(x.nurse, `${at}/nurse`, nurses, 'nurse')) {
      const before = seen.get(x.nurse as string);
      if (before !== undefined)
        add('E_DUPLICATE_ID', `${at}/nurse`, `her position is already given at ${before}`);
      else seen.set(x.nurse as string, at);
    }
    if (!isObj(x.location))
      add('E_TYPE', `${at}/location`, 'must be a location: {lon, lat}, {x, y} or {index}');
    if (x.time !== undefined && !(typeof x.time === 'number' && Number.isFinite(x.time)))
      add('E_TYPE', `${at}/time`, 'must be a finite number');
  });
  const all = new Set(visits);
  each('newVisits', (x, at) => {
    if (!isObj(x) || typeof x.id !== 'string') return; // the validator reports it, with the rest of the visit
    if (all.has(x.id)) add('E_DUPLICATE_ID', `${at}/id`, `'${x.id}' is already the id of a visit`);
    all.add(x.id);
  });
  each('pins', (x, at) => {
    if (!object(x, at)) return;
    if (ref(x.visit, `${at}/visit`, all, 'visit')) {
      const id = x.visit as string;
      const start = planned.get(id);
      if (cancelled.has(id)) add('E_CONFLICT', `${at}/visit`, `visit '${id}' is cancelled`);
      else if ((start !== undefined && start < now) || overrun.has(id))
        add('E_CONFLICT', `${at}/visit`, `visit '${id}' is done or under way: it stays as it is`);
    }
    ref(x.nurse, `${at}/nurse`, nurses, 'nurse');
    if (x.start !== undefined) {
      if (!(typeof x.start === 'number' && Number.isFinite(x.start)))
        add('E_TYPE', `${at}/start`, 'must be a finite number');
      else if (x.start < now)
        add('E_RANGE', `${at}/start`, `is before now (${now}): nothing new starts in the past`);
    }
  });
  return issues;
}
