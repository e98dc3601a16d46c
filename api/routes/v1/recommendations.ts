import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import {
  applyOnPlan,
  recommendOnPlan,
  simulateOnPlan,
  type VersionRefusal,
} from '../../../service/recommendations.ts';
import type { ApplyBody, RecommendationsBody as Body } from '../../../service/recommend-task.ts';
import { waitForVersion } from '../../../service/wait-for-version.ts';
import type { VisitInput } from '../../../solver/index.ts';
import type { NeedRequest } from '../../../solver/explain/recommend-need.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import {
  ApplyRecommendationBody,
  NoQuery,
  PlanParams,
  RecommendationsBody,
  SimulationQuery,
  WaitQuery,
} from '../../schemas.ts';

/**
 * Where a new visit (or a left-out one) fits in a plan's version, best first, or the booking
 * slots that can take it; and an option applied: the visit pinned there in a new version
 * (docs/explain.md, "Recommendations").
 */
const recommendations: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/plans/:id/recommendations',
    {
      schema: { params: PlanParams, body: RecommendationsBody, querystring: NoQuery },
      config: COORDINATOR_ONLY,
    },
    async (request, reply) => {
      const { id: planId } = request.params;
      const { visit, need, ...rest } = request.body;
      const body: Body = {
        ...rest,
        ...(visit !== undefined && { visit: visit as VisitInput | string }),
        ...(need !== undefined && { need: need as NeedRequest }),
      };
      const found = await recommendOnPlan(app.deps, principalOfRequest(request).tenant, planId, body);
      if (found.status !== 'ok') return refuse(reply, planId, found);
      return { planId, version: found.version, ...found.answer };
    },
  );

  app.get(
    '/plans/:id/simulation',
    { schema: { params: PlanParams, querystring: SimulationQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const { id: planId } = request.params;
      const { version, scenarios = 1000, seed = 1 } = request.query;
      const found = await simulateOnPlan(app.deps, principalOfRequest(request).tenant, planId, {
        ...(version !== undefined && { version }),
        scenarios,
        seed,
      });
      if (found.status !== 'ok') return refuse(reply, planId, found);
      return { planId, version: found.version, ...found.report };
    },
  );

  app.post(
    '/plans/:id/recommendations/apply',
    {
      schema: { params: PlanParams, body: ApplyRecommendationBody, querystring: WaitQuery },
      config: COORDINATOR_ONLY,
    },
    async (request, reply) => {
      const { tenant } = principalOfRequest(request);
      const { id: planId } = request.params;
      const given = request.body;
      const body: ApplyBody =
        'need' in given
          ? { ...given, need: given.need as NeedRequest }
          : { ...given, visit: given.visit as VisitInput | string };
      const applied = await applyOnPlan(app.deps, tenant, planId, body);
      if (applied.status !== 'queued') return refuse(reply, planId, applied);
      const { wait } = request.query;
      if (wait !== undefined && wait > 0) {
        const version = await waitForVersion(app.deps, tenant, applied.jobId, wait).catch(() => null);
        if (version !== null) return reply.code(200).send({ planId, option: applied.option, ...version });
      }
      return reply.code(202).send({ planId, jobId: applied.jobId, status: 'queued', option: applied.option });
    },
  );
};

function refuse(reply: FastifyReply, planId: string, r: VersionRefusal): FastifyReply {
  switch (r.status) {
    case 'not-found':
      return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${planId}'` });
    case 'no-version':
      return reply
        .code(404)
        .send({ error: 'E_NOT_FOUND', message: `no version ${r.version} of plan '${planId}'` });
    case 'not-solved':
      return reply
        .code(409)
        .send({ error: 'E_NOT_SOLVED', message: 'the plan has no version yet: wait for its first solve' });
    case 'busy':
      return reply.code(409).send({
        error: 'E_PLAN_BUSY',
        message: `job ${r.jobId} of this plan has not written its version yet: apply an option of that version`,
        jobId: r.jobId,
      });
    case 'stale':
      return reply.code(409).send({
        error: 'E_STALE_VERSION',
        message: `the plan's latest version is ${r.latest}: ask for recommendations on it again`,
        latest: r.latest,
      });
    case 'conflict':
      return reply.code(409).send({
        error: 'E_CONFLICT',
        message: r.message,
        issues: r.issues.map((i) => ({ ...i, in: 'body' })),
      });
    case 'routing':
      return reply
        .code(503)
        .header('retry-after', '30')
        .send({
          error: 'E_ROUTING',
          message: `road travel times cannot be had now (${r.message}): the plan was timed on roads, so this waits for the routing service`,
        });
    case 'invalid':
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: r.message,
        issues: r.issues.map((i) => ({ ...i, in: 'body' })),
      });
  }
}

export default recommendations;
