import { CareData } from '../care/care-data.ts';
import { buildCarePlan } from '../care/care-plan.ts';
import { restoreSnapshot, takeSnapshot } from '../care/snapshot.ts';
import { InputError, type InputIssue } from '../model/errors.ts';
import type { CareNeedInput, PatientInput, ProblemInput } from '../model/input.ts';
import type { Plan, PlanUnassigned, SuggestedPlace } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { diffPlans } from '../replan/apply-changes.ts';
import { explainCareUnassigned } from '../care/unassigned-reasons.ts';
import type { Position } from './insertion-option.ts';
import { schedulePlan } from './plan-model.ts';
import { nurseDay, placeChosen } from './apply-recommendation.ts';
import { checkCount, diversePick, positionsOf } from './recommend.ts';
import type { Schedule } from '../care/schedule.ts';

/** A recurring need to place in a week plan: a patient of the problem (by id) or a new one, and her need. */
export interface NeedRequest {
  patient: string | PatientInput;
  care: CareNeedInput;
  count?: number;
}

/** Where one visit of the need goes. */
export interface NeedPlacement extends SuggestedPlace {
  visit: string;
}

export interface NeedOption {
  rank: number;
  /** Where its first visit goes (the task before it as the plan is now): what applying the option names. */
  first: { nurse: string; shift?: number; after: string | null };
  /** Every visit the need makes, where it goes (in the order they were placed: earliest first). */
  placements: NeedPlacement[];
  /** The distinct nurses who would see the patient for this need. */
  nurses: string[];
  addedTravelTime: number;
  costChange: number;
  terms: Record<string, number>;
  retimed: { visit: string; from: number; to: number }[];
}

export interface NeedRecommendations {
  patient: string;
  /** The visits the need makes (ids as the calendar expansion names them). */
  visits: string[];
  options: NeedOption[];
  /** No option: the first visit of the need that fits nowhere once the ones before it are placed, and why. */
  unassigned?: PlanUnassigned;
}

interface NeedModel {
  problem: ProblemInput;
  data: CareData;
  sched: Schedule;
  visits: number[];
  before: Plan;
  baselineCost: number;
}

/**
 * Where a patient's recurring need (docs/calendar.md, "Periodic care") fits in a week plan: the
 * need is expanded into its visits as the calendar does (days, windows, spacing as dependencies),
 * and the visits are placed one by one, earliest first, each at its cheapest exact position given
 * the ones already placed (spacing rules and all). Options differ by where the first visit
 * goes (the best place in each nurse-day first); each is described by the plan it makes.
 */
export function recommendNeed(problem: ProblemInput, plan: Plan, request: NeedRequest): NeedRecommendations {
  const count = checkCount(request.count);
  const m = buildNeedModel(problem, plan, request);
  const { data, sched, visits } = m;
  const patient = typeof request.patient === 'string' ? request.patient : request.patient.id;
  const firstPlaces = diversePick(positionsOf(sched, visits[0]).positions, count);
  const options: Omit<NeedOption, 'rank'>[] = [];
  let blocked: PlanUnassigned | undefined;
  for (const pos of firstPlaces) {
    const done = completeFrom(m, pos);
    if ('placements' in done) options.push(done);
    else blocked ??= done;
  }
  if (firstPlaces.length === 0) blocked = explainCareUnassigned(data, sched, visits[0]);
  const ranked = options.sort((a, b) => a.costChange - b.costChange).map((o, i) => ({ rank: i + 1, ...o }));
  return {
    patient,
    visits: visits.map((v) => data.taskId[v]),
    options: ranked,
    ...(ranked.length === 0 && blocked && { unassigned: blocked }),
  };
}

/** Where an option puts the need's first visit, as the option names it (`first`). */
export type FirstPlace = NeedOption['first'];

/**
 * The option whose first visit goes where `first` says applied: the next problem (the need
 * added to the patient, every visit it makes pinned where the option puts it) and the plan with
 * them in place. The rest of the option follows from its first place, so the same first place
 * on the same plan gives the same option, whatever list it was shown in.
 */
export function applyNeed(
  problem: ProblemInput,
  plan: Plan,
  request: NeedRequest & { first: FirstPlace },
): { problem: ProblemInput; plan: Plan; option: NeedOption } {
  const pinned = pinNeed(problem, plan, request);
  return { ...pinned, plan: placeChosen(pinned.problem, plan, pinned.option.placements) };
}

/** The next problem of an option for a need, without its plan (the service's job makes it). */
export function pinNeed(
  problem: ProblemInput,
  plan: Plan,
  request: NeedRequest & { first: FirstPlace },
): { problem: ProblemInput; option: NeedOption } {
  const m = buildNeedModel(problem, plan, request);
  const { data, sched } = m;
  const { nurse, shift, after } = request.first;
  const r = nurseDay(data, nurse, shift);
  if (r < 0)
    throw new InputError([
      {
        code: 'E_UNKNOWN_REF',
        where: '/first/nurse',
        message: `no nurse-day of '${nurse}' (shift ${shift ?? 0})`,
      },
    ]);
  const p = after === null ? 0 : sched.routes[r].findIndex((x) => data.taskId[x] === after) + 1;
  if (p === 0 && after !== null)
    throw new InputError([
      { code: 'E_UNKNOWN_REF', where: '/first/after', message: `'${after}' is not in that nurse-day` },
    ]);
  if (!sched.canInsertInto(m.visits[0], r) || sched.evaluateInsertAt(m.visits[0], r, p) === Infinity)
    throw new InputError([
      {
        code: 'E_CONFLICT',
        where: '/first',
        message: "the need's first visit does not fit there: ask again",
      },
    ]);
  const done = completeFrom(m, { r, p });
  if (!('placements' in done))
    throw new InputError([
      {
        code: 'E_CONFLICT',
        where: '/first',
        message: `${done.visit} fits nowhere after it: ${done.message}`,
      },
    ]);
  const option = { rank: 1, ...done };
  const at = new Map(option.placements.map((x) => [x.visit, x]));
  const pinned = validateProblem({
    ...m.problem,
    visits: m.problem.visits.map((v) => {
      const x = at.get(v.id);
      return x === undefined ? v : { ...v, pinned: { nurse: x.nurse, start: x.start } };
    }),
  });
  return { problem: pinned, option };
}

/** The need's first visit at `pos`, each next one at its cheapest place; the option, or why a visit fits nowhere. The model is left as it was. */
function completeFrom(m: NeedModel, pos: Position): Omit<NeedOption, 'rank'> | PlanUnassigned {
  const { data, sched, visits } = m;
  const snap = takeSnapshot(sched);
  const route = sched.routes[pos.r];
  const nurse = data.input.nurses[data.routeNurse[pos.r]];
  const first: FirstPlace = {
    nurse: nurse.id,
    ...(nurse.shifts !== undefined && { shift: data.routeShift[pos.r] }),
    after: pos.p > 0 ? data.taskId[route[pos.p - 1]] : null,
  };
  sched.insert(visits[0], pos.r, pos.p);
  let out: Omit<NeedOption, 'rank'> | PlanUnassigned | null = null;
  for (const v of visits.slice(1)) {
    const best = positionsOf(sched, v).positions[0];
    if (best === undefined) {
      out = explainCareUnassigned(data, sched, v);
      break;
    }
    sched.insert(v, best.r, best.p);
  }
  out ??= { first, ...describe(m) };
  restoreSnapshot(sched, snap);
  return out;
}

/** The problem with the need expanded (validated), the plan scheduled on it, the need's visits out and in start order. */
function buildNeedModel(problem: ProblemInput, plan: Plan, request: NeedRequest): NeedModel {
  const known = new Set(problem.visits.map((v) => v.id));
  const patients = problem.patients ?? [];
  let withNeed: ProblemInput;
  if (typeof request.patient === 'string') {
    const id = request.patient;
    if (!patients.some((p) => p.id === id))
      throw new InputError([
        { code: 'E_UNKNOWN_REF', where: '/patient', message: `no patient '${id}' in the problem` },
      ]);
    withNeed = {
      ...problem,
      patients: patients.map((p) => (p.id === id ? { ...p, care: [...(p.care ?? []), request.care] } : p)),
    };
  } else withNeed = { ...problem, patients: [...patients, { ...request.patient, care: [request.care] }] };
  const k =
    typeof request.patient === 'string'
      ? patients.findIndex((p) => p.id === request.patient)
      : patients.length;
  let expanded: ProblemInput;
  try {
    expanded = validateProblem(withNeed);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // Issues of the need (or of the new patient) point into the request.
    const at = `/patients/${k}`;
    const mapped = e.issues.map((i): InputIssue => {
      if (!i.where.startsWith(at)) return i;
      const rest = i.where.slice(at.length);
      // /patients/k/care/j/... is the need's /care/...; anything else of the patient is /patient/...
      const care = /^\/care\/\d+(.*)$/.exec(rest);
      return care !== null ? { ...i, where: `/care${care[1]}` } : { ...i, where: `/patient${rest}` };
    });
    // One issue per field (every visit the need makes repeats it).
    const seen = new Set<string>();
    const unique = mapped.filter(
      (i) => !seen.has(`${i.code} ${i.where}`) && seen.add(`${i.code} ${i.where}`),
    );
    throw new InputError(unique);
  }
  const data = new CareData(expanded, { validated: true, lazyTravel: true });
  const sched = schedulePlan(data, plan);
  const visits = expanded.visits
    .filter((v) => !known.has(v.id))
    .map((v) => data.visitIndex.get(v.id)!)
    .sort((a, b) => data.firstWindowStart(a) - data.firstWindowStart(b) || a - b);
  if (visits.length === 0)
    throw new InputError([{ code: 'E_RANGE', where: '/care', message: 'makes no visit in the horizon' }]);
  const before = buildCarePlan(data, sched);
  let penalties = 0;
  for (const v of visits) if (data.mandatory[v] === 0) penalties += data.penalty[v];
  return { problem: expanded, data, sched, visits, before, baselineCost: before.summary.cost - penalties };
}

/** The option the schedule now holds (every visit of the need in place). */
function describe(m: NeedModel): Omit<NeedOption, 'rank' | 'first'> {
  const { data, sched, visits } = m;
  const after = buildCarePlan(data, sched);
  const placements = visits.map((v): NeedPlacement => {
    const r = sched.routeOf[v];
    const p = sched.pos[v];
    const nurse = data.input.nurses[data.routeNurse[r]];
    return {
      visit: data.taskId[v],
      nurse: nurse.id,
      ...(nurse.shifts !== undefined && { shift: data.routeShift[r] }),
      ...(data.calendar !== null && { date: data.calendar.dateOfDay(data.routeDay[r]) }),
      after: p > 0 ? data.taskId[sched.routes[r][p - 1]] : null,
      start: sched.start[v],
      ...(data.calendar !== null && { startTime: data.calendar.format(sched.start[v]) }),
    };
  });
  const terms: Record<string, number> = {};
  const was = m.before.summary.terms ?? {};
  for (const [name, term] of Object.entries(after.summary.terms ?? {})) {
    let change = term.cost - (was[name]?.cost ?? 0);
    if (name === 'unassigned') for (const v of visits) if (data.mandatory[v] === 0) change += data.penalty[v];
    if (Math.abs(change) > 1e-9) terms[name] = change;
  }
  const ids = new Set(placements.map((p) => p.visit));
  return {
    placements,
    nurses: [...new Set(placements.map((p) => p.nurse))],
    addedTravelTime: after.summary.travelTime - m.before.summary.travelTime,
    costChange: after.summary.cost - m.baselineCost,
    terms,
    retimed: diffPlans(m.before, after, 1e-6).retimed.filter((x) => !ids.has(x.visit)),
  };
}
