import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { applyChanges, type DayChanges } from '../../../solver/index.ts';
import { requestedSolve } from '../../../workers/solve-queue.ts';
import { enqueueSolve } from '../../../workers/enqueue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { rejectInvalidProblem } from '../../views/problem-errors.ts';
import { waitForVersion } from '../../views/wait-for-version.ts';

const Changes = Type.Object(
  {
    now: Type.Optional(Type.Number({ description: 'the time now, in the problem time unit' })),
    absentNurses: Type.Optional(
      Type.Array(Type.Object({ nurse: Type.String({ minLength: 1 }), from: Type.Optional(Type.Number()) })),
    ),
    newVisits: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
    cancelledVisits: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    overruns: Type.Optional(
      Type.Array(Type.Object({ visit: Type.String({ minLength: 1 }), end: Type.Number() })),
    ),
  },
  { additionalProperties: false },
);
const Query = Type.Object({
  timeLimit: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
  seed: Type.Optional(Type.Integer({ minimum: 0 })),
  wait: Type.Optional(Type.Number({ minimum: 0, maximum: 60 })),
});
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * Re-planning during the day: the changes since the latest version (a nurse absent, an urgent
 * visit, a cancellation, an overrun, the time now) make a new problem whose started stops are
 * frozen; it is solved at a higher priority than fresh and nightly work, into a new version
 * that lists what moved.
 */
export default async function reoptimize(app: FastifyInstance) {
  const { store, queue } = app.deps;
  app.post(
    '/plans/:id/reoptimize',
    { schema: { params: Params, body: Changes, querystring: Query } },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const { id } = request.params as { id: string };
      const latest = await store.getVersion(principal.tenant, id);
      if ((await store.getRecord(principal.tenant, id)) === null)
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${id}'` });
      if (latest === null)
        return reply
          .code(409)
          .send({ error: 'E_NOT_SOLVED', message: 'the plan has no version yet: wait for its first solve' });
      // The changes apply to the problem and plan of the latest version.
      const base = await store.getProblem(principal.tenant, id, latest.problem);
      if (base === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${id}'` });
      const changes = request.body as DayChanges;
      const next = applyChanges(base.problem, latest.plan, changes);
      if (rejectInvalidProblem(reply, next, 'the changes make an invalid problem')) return reply;
      await store.setProblem(principal.tenant, id, next);
      const q = request.query as { timeLimit?: number; seed?: number; wait?: number };
      const jobId = await enqueueSolve(queue, store, requestedSolve(principal.tenant, id, 'reoptimize', q));
      if (q.wait !== undefined && q.wait > 0) {
        const version = await waitForVersion(queue, store, principal.tenant, jobId, q.wait);
        if (version !== null) return reply.code(200).send({ planId: id, ...version });
      }
      return reply.code(202).send({ planId: id, jobId, status: 'queued' });
    },
  );
}
