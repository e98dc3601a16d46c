import type { InsertionOption } from '../solver/explain/insertion-option.ts';
import type { Recommendations } from '../solver/explain/recommend.ts';
import type { NeedOption, NeedRecommendations } from '../solver/explain/recommend-need.ts';
import type { SlotOffers } from '../solver/explain/slots.ts';
import type { ServiceDeps } from './deps.ts';
import type { Plan } from '../solver/model/plan.ts';
import type { PlanVersion } from './plan-store.ts';
import type { SimulationReport } from '../solver/robust/simulate.ts';
import { stageAndQueue } from './enqueue.ts';
import type { CheckIssue } from './problem-check-task.ts';
import type { ApplyBody, RecommendationsBody } from './recommend-task.ts';
import { IN_FLIGHT, requestedSolve } from './solve-queue.ts';

/** Why a request about a plan's version was not carried out, in the domain's terms (the routes make them status codes). */
export type VersionRefusal =
  | { status: 'not-found' }
  | { status: 'busy'; jobId: string }
  | { status: 'no-version'; version: number }
  | { status: 'not-solved' }
  | { status: 'stale'; latest: number }
  | { status: 'invalid' | 'conflict'; message: string; issues: CheckIssue[] }
  /** The routing service failed: road times cannot be had for the plan's problem. */
  | { status: 'routing'; message: string };

/**
 * Recommendations (or slot offers) for a visit on a version of a plan (the latest when none is
 * named), computed in the checker's threads on the problem that version solved.
 */
export async function recommendOnPlan(
  deps: Pick<ServiceDeps, 'store' | 'checker' | 'road'>,
  tenant: string,
  planId: string,
  body: RecommendationsBody,
): Promise<
  | VersionRefusal
  | { status: 'ok'; version: number; answer: Recommendations | SlotOffers | NeedRecommendations }
> {
  const found = await versionWithProblem(deps, tenant, planId, body.version);
  if ('status' in found) return found;
  const { version, problem } = found;
  const road = await roadOf(deps, version.plan, problem, body);
  if (road?.failed !== undefined) return { status: 'routing', message: road.failed };
  const result = await deps.checker.recommend(problem, version.plan, body, road?.road);
  if (!result.ok)
    return {
      status: result.conflict ? 'conflict' : 'invalid',
      message: result.message,
      issues: result.issues,
    };
  return { status: 'ok', version: version.version, answer: result.answer };
}

/**
 * An option applied to the latest version (named by the request, so that an option computed on
 * an older one is refused): the next problem, with the visit pinned to the option's nurse and
 * start, is stored as the plan's next problem, and its job (at the re-planning priority, no
 * search) writes the next version: the plan with the visit in place.
 */
export async function applyOnPlan(
  deps: Pick<ServiceDeps, 'store' | 'queue' | 'slots' | 'checker' | 'road'>,
  tenant: string,
  planId: string,
  body: ApplyBody,
): Promise<VersionRefusal | { status: 'queued'; jobId: string; option: InsertionOption | NeedOption }> {
  const { store } = deps;
  const record = await store.getRecord(tenant, planId);
  if (record === null) return { status: 'not-found' };
  const latest = await store.getVersion(tenant, planId);
  if (latest === null) return { status: 'not-solved' };
  if (latest.version !== body.version) return { status: 'stale', latest: latest.version };
  // A solve, re-plan or apply of this plan still to write its version would write over this one.
  const job = record.jobId === null ? undefined : await deps.queue.getJob(record.jobId);
  if (job !== undefined && IN_FLIGHT.has(await job.getState()))
    return { status: 'busy', jobId: record.jobId! };
  const problem = await store.getProblemText(tenant, planId, latest.problem);
  if (problem === null) return { status: 'not-found' };
  const road = await roadOf(deps, latest.plan, problem.text, body);
  if (road?.failed !== undefined) return { status: 'routing', message: road.failed };
  const applied = await deps.checker.apply(problem.text, latest.plan, body, road?.road);
  if (!applied.ok)
    return {
      status: applied.conflict ? 'conflict' : 'invalid',
      message: applied.message,
      issues: applied.issues,
    };
  const staged = await stageAndQueue(deps, tenant, { mode: 'add', planId }, applied.text, (st) => ({
    ...requestedSolve(tenant, st.planId, 'apply', {}, st.problem),
    validated: true,
    apply: { baseVersion: latest.version, places: applied.places },
  }));
  if (staged.status === 'missing') return { status: 'not-found' };
  return { status: 'queued', jobId: staged.jobId, option: applied.option };
}

/** The most sampled visits one simulation request replays (about 2 s of the checker's thread). */
export const MAX_SIMULATED_STOPS = 10_000_000;

/** A version of a plan (the latest when none is named) replayed on sampled days, in the checker's threads. */
export async function simulateOnPlan(
  deps: Pick<ServiceDeps, 'store' | 'checker' | 'road'>,
  tenant: string,
  planId: string,
  request: { version?: number; scenarios: number; seed: number },
): Promise<VersionRefusal | { status: 'ok'; version: number; report: SimulationReport }> {
  const found = await versionWithProblem(deps, tenant, planId, request.version);
  if ('status' in found) return found;
  const { version, problem } = found;
  // Sampled visit-days are the work: a bound keeps one request from holding the checker for long.
  const stops = version.plan.routes.reduce((n, r) => n + r.stops.length, 0);
  if (stops * request.scenarios > MAX_SIMULATED_STOPS)
    return {
      status: 'invalid',
      message: 'the simulation asks too much',
      issues: [
        {
          pointer: '?/scenarios',
          code: 'E_LIMIT',
          message: `${request.scenarios} days of ${stops} visits: at most ${MAX_SIMULATED_STOPS} visits are simulated per request (at most ${Math.floor(MAX_SIMULATED_STOPS / Math.max(1, stops))} days here)`,
        },
      ],
    };
  const road = await roadOf(deps, version.plan, problem);
  if (road?.failed !== undefined) return { status: 'routing', message: road.failed };
  const report = await deps.checker.simulate(
    problem,
    version.plan,
    request.scenarios,
    request.seed,
    road?.road,
  );
  return { status: 'ok', version: version.version, report };
}

/**
 * The road matrices to time a computation on a version with: those of its problem when the
 * version was timed on roads (`travel.source` osrm), else none (the coordinate model it was made with).
 */
function roadOf(deps: Pick<ServiceDeps, 'road'>, plan: Plan, problem: string, request?: unknown) {
  if (deps.road === undefined || plan.travel?.source !== 'osrm') return Promise.resolve(undefined);
  return deps.road.forProblemText(problem, request);
}

/** A version of a plan (the latest when none is named) and the problem it solved (JSON text), or why not. */
async function versionWithProblem(
  deps: Pick<ServiceDeps, 'store'>,
  tenant: string,
  planId: string,
  n: number | undefined,
): Promise<
  | Extract<VersionRefusal, { status: 'not-found' | 'not-solved' | 'no-version' }>
  | { version: PlanVersion; problem: string }
> {
  const { store } = deps;
  if ((await store.getRecord(tenant, planId)) === null) return { status: 'not-found' };
  const version = await store.getVersion(tenant, planId, n);
  if (version === null)
    return n === undefined ? { status: 'not-solved' } : { status: 'no-version', version: n };
  const problem = await store.getProblemText(tenant, planId, version.problem);
  return problem === null ? { status: 'not-found' } : { version, problem: problem.text };
}
