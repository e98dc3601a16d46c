import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stageAndQueue } from '../../../service/enqueue.ts';
import { upsertNightly } from '../../../service/nightly.ts';
import { requestedSolve } from '../../../service/solve-queue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { DateParams, DayQuery, NoQuery, ProblemBody } from '../../schemas.ts';
import { acceptProblemBytes, problemBytes, rejectChecked } from '../../views/problem-body.ts';

/**
 * Stored days: a tenant keeps the problem of a day so the nightly run re-optimizes it. The day's
 * pointer, the plan and its problem are written together or not at all. The nightly run is a
 * BullMQ job scheduler per tenant (routes/v1/schedule.ts), created with the first stored day.
 */
const days: FastifyPluginAsyncTypebox = async (app) => {
  const { store, queue, checker } = app.deps;
  acceptProblemBytes(app);

  app.put(
    '/days/:date',
    {
      schema: { params: DateParams, body: ProblemBody, querystring: DayQuery },
      bodyLimit: app.deps.limits.bodyBytes,
    },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const { date } = request.params;
      const body = problemBytes(request.body);
      const checked = await checker.submission(body);
      if (rejectChecked(reply, checked)) return reply;
      const staged = await stageAndQueue(app.deps, principal.tenant, { mode: 'day', day: date }, body, (s) =>
        requestedSolve(principal.tenant, s.planId, 'solve', request.query, s.problem),
      );
      // Queued: the day is kept and solving. The default nightly run is set up with the first
      // stored day; should that fail now, the next stored day sets it up.
      try {
        if ((await queue.getJobScheduler(`nightly:${principal.tenant}`)) === undefined)
          await upsertNightly(queue, principal.tenant);
      } catch (e) {
        request.log.warn({ err: e }, 'the nightly schedule could not be set up');
      }
      return reply.code(202).send({ date, planId: staged.planId, jobId: staged.jobId });
    },
  );

  app.get('/days/:date', { schema: { params: DateParams, querystring: NoQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { date } = request.params;
    const planId = await store.dayPlan(principal.tenant, date);
    if (planId === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no day ${date}` });
    const record = await store.getRecord(principal.tenant, planId);
    return { date, planId, versions: record?.versions ?? 0 };
  });
};

export default days;
