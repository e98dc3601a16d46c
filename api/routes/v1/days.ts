import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type ProblemInput } from '../../../solver/index.ts';
import { upsertNightly } from '../../../workers/nightly.ts';
import { NIGHTLY_DEFAULT, requestedSolve } from '../../../workers/solve-queue.ts';
import { enqueueSolve } from '../../../workers/enqueue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { rejectInvalidProblem } from '../../views/problem-errors.ts';

const DateParams = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
});
const Problem = Type.Object(
  { nurses: Type.Array(Type.Unknown(), { minItems: 1 }), visits: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);
const DayQuery = Type.Object({
  timeLimit: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
});
const Schedule = Type.Object(
  {
    cron: Type.String({ minLength: 9, maxLength: 100, description: "cron pattern, e.g. '0 2 * * *'" }),
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: "IANA time zone, e.g. 'Europe/Paris'",
    }),
    timeLimit: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
  },
  { additionalProperties: false },
);

/**
 * Stored days: a tenant keeps the problem of a day so the nightly run re-optimizes it. The
 * nightly run is a BullMQ job scheduler per tenant (default 02:00 Europe/Paris), set with PUT /schedule.
 */
export default async function days(app: FastifyInstance) {
  const { store, queue } = app.deps;

  app.put(
    '/days/:date',
    { schema: { params: DateParams, body: Problem, querystring: DayQuery } },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const { date } = request.params as { date: string };
      const problem = request.body as unknown as ProblemInput;
      if (rejectInvalidProblem(reply, problem)) return reply;
      let planId = await store.dayPlan(principal.tenant, date);
      if (planId === null) {
        planId = (await store.createPlan(principal.tenant, problem)).id;
        await store.setDayPlan(principal.tenant, date, planId);
      } else await store.setProblem(principal.tenant, planId, problem);
      const query = request.query as { timeLimit?: number };
      const jobId = await enqueueSolve(
        queue,
        store,
        requestedSolve(principal.tenant, planId, 'solve', query),
      );
      if ((await queue.getJobScheduler(`nightly:${principal.tenant}`)) === undefined)
        await upsertNightly(queue, principal.tenant);
      return reply.code(202).send({ date, planId, jobId });
    },
  );

  app.get('/days/:date', { schema: { params: DateParams } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { date } = request.params as { date: string };
    const planId = await store.dayPlan(principal.tenant, date);
    if (planId === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no day ${date}` });
    const record = await store.getRecord(principal.tenant, planId);
    return { date, planId, versions: record?.versions ?? 0 };
  });

  app.put('/schedule', { schema: { body: Schedule } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { cron, timezone, timeLimit } = request.body as {
      cron: string;
      timezone: string;
      timeLimit?: number;
    };
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'unknown time zone',
        issues: [
          { pointer: '/timezone', code: 'E_RANGE', message: `'${timezone}' is not an IANA time zone` },
        ],
      });
    }
    try {
      await upsertNightly(queue, principal.tenant, { pattern: cron, tz: timezone }, timeLimit);
    } catch (e) {
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'bad cron pattern',
        issues: [{ pointer: '/cron', code: 'E_FORMAT', message: (e as Error).message }],
      });
    }
    return { cron, timezone, timeLimit: timeLimit ?? 30 };
  });

  app.get('/schedule', async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const s = await queue.getJobScheduler(`nightly:${principal.tenant}`);
    if (s === undefined) return { cron: null, timezone: null, default: NIGHTLY_DEFAULT };
    return {
      cron: s.pattern ?? null,
      timezone: s.tz ?? null,
      every: s.every ?? null,
      next: s.next ? new Date(s.next).toISOString() : null,
    };
  });
}
