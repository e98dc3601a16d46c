/**
 * Recommendations and their application for the service, run in the checker's threads (an
 * exact evaluation of every position takes tens of milliseconds on a 600-visit day, about a
 * second on a 3,000-visit one: not for the event loop). Nothing here touches Redis: the caller
 * reads the stored problem and version, and stores what comes back.
 */
import { type ChosenPlace, pinChoice } from '../solver/explain/apply-recommendation.ts';
import {
  type FirstPlace,
  type NeedOption,
  type NeedRecommendations,
  type NeedRequest,
  pinNeed,
  recommendNeed,
} from '../solver/explain/recommend-need.ts';
import type { InsertionOption } from '../solver/explain/insertion-option.ts';
import { recommend, type Recommendations } from '../solver/explain/recommend.ts';
import { offerSlots, type SlotOffers } from '../solver/explain/slots.ts';
import { simulatePlan, type SimulationReport } from '../solver/robust/simulate.ts';
import { planCsv } from '../solver/io/csv.ts';
import { planGeoJson } from '../solver/io/plan-geojson.ts';
import { planToFhir } from '../solver/io/fhir.ts';
import { planSvg } from '../solver/plan/plan-svg.ts';
import { InputError, type Plan, type ProblemInput, type VisitInput } from '../solver/index.ts';
import type { CheckIssue } from './problem-check-task.ts';
import {
  type ThreadRoad,
  withoutPlaceMatrices,
  withPlaceIndexes,
  withThreadRoad,
} from '../solver/model/road-places.ts';

/** What POST /v1/plans/:id/recommendations asks (its body, checked by the route's schema). */
export interface RecommendationsBody {
  version?: number;
  /** A visit (new, or the id of a left-out one), or a patient's recurring need. */
  visit?: VisitInput | string;
  need?: NeedRequest;
  count?: number;
  slots?: { length: number; step?: number; from?: number | string; to?: number | string };
}

/** What POST /v1/plans/:id/recommendations/apply asks: an option as a recommendation or slot offer named it, or an option for a need by rank. */
export type ApplyBody =
  | {
      version: number;
      visit: VisitInput | string;
      nurse: string;
      shift?: number;
      after: string | null;
      /** A slot offer's slot: the visit's window becomes it. */
      window?: { start: number; end: number };
    }
  | { version: number; need: NeedRequest; first: FirstPlace };

/** `road`: the problem's road matrices (service/road/), put in before the task's work. */
export type RecommendTask = {
  kind: 'recommend';
  problem: string;
  plan: Plan;
  body: RecommendationsBody;
  road?: ThreadRoad;
};
export type SimulateTask = {
  kind: 'simulate';
  problem: string;
  plan: Plan;
  scenarios: number;
  seed: number;
  road?: ThreadRoad;
};
/** A stored version as a spreadsheet or GeoJSON (docs/formats.md), from the stored texts. */
export type ExportTask = {
  kind: 'export';
  problem: string;
  version: string;
  format: 'csv' | 'geojson' | 'fhir' | 'svg';
};
export type ExportResult = { ok: true; type: string; body: string } | { ok: false; message: string };
export type ApplyTask = { kind: 'apply'; problem: string; plan: Plan; body: ApplyBody; road?: ThreadRoad };

/** A refusal: `conflict` when the request is well formed but the plan no longer allows it (409). */
export type TaskRefusal = { ok: false; conflict: boolean; message: string; issues: CheckIssue[] };
export type RecommendResult =
  { ok: true; answer: Recommendations | SlotOffers | NeedRecommendations } | TaskRefusal;
export type ApplyResult =
  { ok: true; text: string; places: ChosenPlace[]; option: InsertionOption | NeedOption } | TaskRefusal;

/** Pointers of the solver's slot request, as the body names them. */
const SLOT_FIELDS = new Set(['/length', '/step', '/from', '/to']);

export function recommendTask(task: RecommendTask): RecommendResult {
  const problem = withThreadRoad(JSON.parse(task.problem) as ProblemInput, task.road);
  const { visit, need, count, slots } =
    task.road === undefined ? task.body : withPlaceIndexes(task.body, task.road.places);
  if (visit === undefined && need === undefined)
    return refusal('/visit', 'E_MISSING', 'give a visit (new, or the id of a left-out one) or a need');
  if (visit !== undefined && need !== undefined)
    return refusal('/need', 'E_CONFLICT', 'give a visit or a need, not both');
  if (need !== undefined && slots !== undefined)
    return refusal('/slots', 'E_CONFLICT', 'slot offers are for one visit, not a need');
  if (need !== undefined)
    return refusing(
      'the recommendation request is invalid',
      (where) => (where === '/count' ? where : `/need${where}`),
      () => ({
        ok: true as const,
        answer: recommendNeed(problem, task.plan, { ...need, ...(count !== undefined && { count }) }),
      }),
    );
  return refusing(
    'the recommendation request is invalid',
    (where) => (SLOT_FIELDS.has(where) ? `/slots${where}` : where),
    () => ({
      ok: true as const,
      answer:
        slots === undefined
          ? recommend(problem, task.plan, { visit: visit!, ...(count !== undefined && { count }) })
          : offerSlots(problem, task.plan, {
              visit: visit!,
              ...slots,
              ...(count !== undefined && { count }),
            }),
    }),
  );
}

/** A refusal of one field. */
function refusal(pointer: string, code: string, message: string): TaskRefusal {
  return {
    ok: false,
    conflict: false,
    message: 'the recommendation request is invalid',
    issues: [{ pointer, code, message }],
  };
}

export function applyTask(task: ApplyTask): ApplyResult {
  const given = JSON.parse(task.problem) as ProblemInput;
  const problem = withThreadRoad(given, task.road);
  // The next problem is stored as given: by lon/lat, without the road matrices it was timed with.
  const stored = (p: ProblemInput) =>
    JSON.stringify(task.road === undefined ? p : withoutPlaceMatrices(p, given));
  const body = task.road === undefined ? task.body : withPlaceIndexes(task.body, task.road.places);
  if ('need' in body)
    return refusing(
      'the option cannot be applied',
      (where) => (where.startsWith('/first') ? where : `/need${where}`),
      () => {
        const pinned = pinNeed(problem, task.plan, { ...body.need, first: body.first });
        return {
          ok: true as const,
          text: stored(pinned.problem),
          places: pinned.option.placements.map(({ visit, nurse, shift, after }) => ({
            visit,
            nurse,
            shift,
            after,
          })),
          option: pinned.option,
        };
      },
    );
  const { visit, nurse, shift, after, window } = body;
  if (window !== undefined && window.start > window.end)
    return {
      ok: false,
      conflict: false,
      message: 'the option cannot be applied',
      issues: [
        {
          pointer: '/window/end',
          code: 'E_WINDOW_ORDER',
          message: `end ${window.end} is before start ${window.start}`,
        },
      ],
    };
  // A slot offer's slot becomes the visit's window (and replaces a pin, as the offer did).
  const slotted = (v: VisitInput): VisitInput =>
    window === undefined ? v : { ...v, pinned: undefined, timeWindows: [window] };
  return refusing(
    'the option cannot be applied',
    (where) => where,
    () => {
      const choice = { nurse, ...(shift !== undefined && { shift }), after };
      const pinned = pinChoice(
        typeof visit === 'string'
          ? { ...problem, visits: problem.visits.map((x) => (x.id === visit ? slotted(x) : x)) }
          : problem,
        task.plan,
        { visit: typeof visit === 'string' ? visit : slotted(visit), ...choice },
      );
      return {
        ok: true as const,
        text: stored(pinned.problem),
        places: [{ visit: pinned.visit, ...choice }],
        option: pinned.option,
      };
    },
  );
}

/** A plan on sampled days (docs/explain.md, "Plans that hold when visits overrun"). */
export function simulateTask(task: SimulateTask): SimulationReport {
  return simulatePlan(withThreadRoad(JSON.parse(task.problem) as ProblemInput, task.road), task.plan, {
    scenarios: task.scenarios,
    seed: task.seed,
  });
}

/** The export of a version; a problem without lon/lat has no GeoJSON, one without a date no FHIR (ok: false, why). */
export function exportTask(task: ExportTask): ExportResult {
  const problem = JSON.parse(task.problem) as ProblemInput;
  const { plan } = JSON.parse(task.version) as { plan: Plan };
  if (task.format === 'csv')
    return { ok: true, type: 'text/csv; charset=utf-8', body: planCsv(problem, plan) };
  if (task.format === 'svg') return { ok: true, type: 'image/svg+xml', body: planSvg(problem, plan) };
  try {
    if (task.format === 'fhir')
      return { ok: true, type: 'application/fhir+json', body: JSON.stringify(planToFhir(problem, plan)) };
    return { ok: true, type: 'application/geo+json', body: JSON.stringify(planGeoJson(problem, plan)) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { ok: false, message: e.issues[0]?.message ?? e.message };
  }
}

/** Runs f; an input error becomes a refusal whose pointers point into the request (E_CONFLICT at /after: the plan moved on). */
function refusing<T>(message: string, pointer: (where: string) => string, f: () => T): T | TaskRefusal {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const issues = e.issues.map((i) => ({ pointer: pointer(i.where), code: i.code, message: i.message }));
    // The request is fine but the plan is not as it thought: the visit is planned (or done), the place is gone.
    const stateful = (p: string) => p === '/visit' || p === '/after' || p.startsWith('/plan');
    const conflict = issues.every((i) => i.code === 'E_CONFLICT' && stateful(i.pointer));
    return {
      ok: false,
      conflict,
      message: conflict ? 'the plan no longer allows it' : message,
      issues: issues.slice(0, 100),
    };
  }
}
