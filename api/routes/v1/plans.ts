import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type ProblemInput } from '../../../solver/index.ts';
import { asSolveJob, requestedSolve } from '../../../workers/solve-queue.ts';
import { enqueueSolve } from '../../../workers/enqueue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { rejectInvalidProblem } from '../../views/problem-errors.ts';
import { jobView } from '../../views/job-view.ts';
import { waitForVersion } from '../../views/wait-for-version.ts';

const Problem = Type.Object(
  { nurses: Type.Array(Type.Unknown(), { minItems: 1 }), visits: Type.Array(Type.Unknown()) },
  {
    additionalProperties: true,
    description: 'a day in the native problem format (README, "The problem format")',
  },
);
const SubmitQuery = Type.Object({
  timeLimit: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 3600, description: 'seconds of search (default 10)' }),
  ),
  seed: Type.Optional(Type.Integer({ minimum: 0 })),
  wait: Type.Optional(
    Type.Number({ minimum: 0, maximum: 60, description: 'seconds to wait for the finished plan' }),
  ),
});
const PlanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const VersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  version: Type.Integer({ minimum: 1 }),
});

/** Plans: submit a day (validated, stored, queued), read a plan and its versions. */
export default async function plans(app: FastifyInstance) {
  const { store, queue } = app.deps;

  app.post('/plans', { schema: { body: Problem, querystring: SubmitQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const problem = request.body as unknown as ProblemInput;
    if (rejectInvalidProblem(reply, problem)) return reply;
    const q = request.query as { timeLimit?: number; seed?: number; wait?: number };
    const idem = request.headers['idempotency-key'];
    const key = typeof idem === 'string' && idem.length > 0 && idem.length <= 200 ? idem : undefined;
    const { id, created } = await store.createPlan(principal.tenant, problem, key);
    let jobId = (await store.getRecord(principal.tenant, id))?.jobId ?? null;
    if (created || jobId === null) {
      jobId = await enqueueSolve(queue, store, requestedSolve(principal.tenant, id, 'solve', q));
    }
    if (q.wait !== undefined && q.wait > 0) {
      const version = await waitForVersion(queue, store, principal.tenant, jobId, q.wait);
      if (version !== null) return reply.code(200).send({ planId: id, ...version });
    }
    return reply.code(202).send({ planId: id, jobId, status: created ? 'queued' : 'existing' });
  });

  app.get('/plans/:id', { schema: { params: PlanParams } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { id } = request.params as { id: string };
    const record = await store.getRecord(principal.tenant, id);
    if (record === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${id}'` });
    const version = await store.getVersion(principal.tenant, id);
    const job = record.jobId === null ? null : asSolveJob(await queue.getJob(record.jobId));
    return {
      planId: id,
      planCreatedAt: record.createdAt,
      versions: record.versions,
      job: job ? await jobView(job) : null,
      ...(version ?? { version: null, status: 'pending' }),
    };
  });

  app.get('/plans/:id/versions/:version', { schema: { params: VersionParams } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { id, version } = request.params as { id: string; version: number };
    const found = await store.getVersion(principal.tenant, id, version);
    if (found === null)
      return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no version ${version} of plan '${id}'` });
    return { planId: id, ...found };
  });
}
