import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { submitPlan } from '../../../service/plans.ts';
import { parsedProblem } from '../../../service/plan-store.ts';
import { waitForVersion } from '../../../service/wait-for-version.ts';
import { DEFAULT_TIME_LIMIT } from '../../../service/solve-queue.ts';
import { toVroom } from '../../../solver/io/vroom.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import { SolveQuery, VroomBody } from '../../schemas.ts';
import { acceptProblemBytes, problemBytes, rejectProblem } from '../../views/problem-body.ts';

/**
 * VROOM's API (docs/formats.md, "VROOM requests"): a VROOM request is read as a native problem
 * (in the checker's threads), stored as a plan and solved like any other, and the answer, once
 * solved, is in VROOM's output shape; a VROOM user switches by changing the URL. The request
 * waits for its solve (its time limit and 10 s, at most 60 s; `wait` overrides); a solve not done
 * by then answers 202 with the plan and job to read later, as `POST /v1/plans` does.
 */
const vroom: FastifyPluginAsyncTypebox = async (app) => {
  acceptProblemBytes(app);

  app.post(
    '/vroom',
    {
      schema: { body: VroomBody, querystring: SolveQuery },
      bodyLimit: app.deps.limits.bodyBytes,
      config: COORDINATOR_ONLY,
    },
    async (request, reply) => {
      const { tenant } = principalOfRequest(request);
      const { wait, ...solve } = request.query;
      const started = performance.now();
      const submitted = await submitPlan(app.deps, tenant, problemBytes(request.body), {
        solve,
        format: 'vroom',
      });
      if (submitted.status === 'invalid') return rejectProblem(reply, submitted);
      if (submitted.status === 'conflict')
        return reply.code(422).send({
          error: 'E_IDEMPOTENCY_CONFLICT',
          message: 'no Idempotency-Key here',
          planId: submitted.planId,
        });
      const { planId, jobId, status } = submitted;
      const loaded = performance.now();
      const seconds = wait ?? Math.min(60, (solve.timeLimit ?? DEFAULT_TIME_LIMIT) + 10);
      const version =
        seconds > 0 ? await waitForVersion(app.deps, tenant, jobId, seconds).catch(() => null) : null;
      if (version === null) return reply.code(202).send({ planId, jobId, status });
      const problem = parsedProblem(await app.deps.store.getProblemText(tenant, planId, version.problem));
      if (problem === null) return reply.code(202).send({ planId, jobId, status });
      return reply.code(200).send(
        toVroom(problem.problem, version.plan, {
          loading: loaded - started,
          solving: performance.now() - loaded,
        }),
      );
    },
  );
};

export default vroom;
