import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readDay, storeDay } from '../../../service/plans.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import { DateParams, DayQuery, NoQuery, ProblemBody } from '../../schemas.ts';
import { acceptProblemBytes, problemBytes, rejectProblem } from '../../views/problem-body.ts';

/**
 * Stored days: a tenant keeps the problem of a day so the nightly run re-optimizes it. The day's
 * pointer, the plan and its problem are written together or not at all. The nightly run is a
 * BullMQ job scheduler per tenant (routes/v1/schedule.ts), created with the first stored day.
 */
const days: FastifyPluginAsyncTypebox = async (app) => {
  acceptProblemBytes(app);

  app.put(
    '/days/:date',
    {
      schema: { params: DateParams, body: ProblemBody, querystring: DayQuery },
      bodyLimit: app.deps.limits.bodyBytes,
      config: COORDINATOR_ONLY,
    },
    async (request, reply) => {
      const { date } = request.params;
      const { tenant } = principalOfRequest(request);
      const stored = await storeDay(app.deps, tenant, date, problemBytes(request.body), request.query);
      if (stored.status === 'invalid') return rejectProblem(reply, stored);
      // Queued: the day is kept and solving; a nightly run that could not be set up now is set
      // up with the next stored day.
      if (stored.scheduleError !== undefined)
        request.log.warn({ err: stored.scheduleError }, 'the nightly schedule could not be set up');
      return reply.code(202).send({ date, planId: stored.planId, jobId: stored.jobId });
    },
  );

  app.get(
    '/days/:date',
    { schema: { params: DateParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const { date } = request.params;
      const day = await readDay(app.deps, principalOfRequest(request).tenant, date);
      if (day === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no day ${date}` });
      return { date, ...day };
    },
  );
};

export default days;
