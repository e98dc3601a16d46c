import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { replanPlan } from '../../../service/plans.ts';
import { waitForVersion } from '../../../service/wait-for-version.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import { Changes, PlanParams, SolveQuery } from '../../schemas.ts';
import { rejectProblem } from '../../views/problem-body.ts';

/**
 * Re-planning during the day: the changes since the latest version (a nurse absent, an urgent
 * visit, a cancellation, an overrun, where a nurse is, a visit pinned to a nurse, the time now) make a new problem whose started stops are
 * frozen (built and validated in the checker's threads); it is solved at a higher priority than
 * fresh and nightly work, into a new version that lists what moved.
 */
const reoptimize: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/plans/:id/reoptimize',
    {
      schema: { params: PlanParams, body: Changes, querystring: SolveQuery },
      config: COORDINATOR_ONLY,
    },
    async (request, reply) => {
      const { tenant } = principalOfRequest(request);
      const { id: planId } = request.params;
      const { wait, ...solve } = request.query;
      const replanned = await replanPlan(app.deps, tenant, planId, request.body, solve);
      if (replanned.status === 'not-found')
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${planId}'` });
      if (replanned.status === 'not-solved')
        return reply
          .code(409)
          .send({ error: 'E_NOT_SOLVED', message: 'the plan has no version yet: wait for its first solve' });
      if (replanned.status === 'busy')
        return reply.code(409).send({
          error: 'E_PLAN_BUSY',
          message: `an applied recommendation (job ${replanned.jobId}) has not written its version yet: re-plan once it has`,
          jobId: replanned.jobId,
        });
      if (replanned.status === 'invalid') return rejectProblem(reply, replanned);
      if (wait !== undefined && wait > 0) {
        const version = await waitForVersion(app.deps, tenant, replanned.jobId, wait).catch(() => null);
        if (version !== null) return reply.code(200).send({ planId, ...version });
      }
      return reply.code(202).send({ planId, jobId: replanned.jobId, status: 'queued' });
    },
  );
};

export default reoptimize;
