import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stageAndQueue } from '../../../service/enqueue.ts';
import { asSolveJob, requestedSolve } from '../../../service/solve-queue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { NoQuery, PlanParams, ProblemBody, SolveQuery, VersionParams } from '../../schemas.ts';
import { jobView } from '../../views/job-view.ts';
import { acceptProblemBytes, problemBytes, rejectChecked } from '../../views/problem-body.ts';
import { withFields } from '../../views/stored-json.ts';
import { waitForVersion } from '../../../service/wait-for-version.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Plans: submit a day (validated, stored, queued), read a plan and its versions. */
const plans: FastifyPluginAsyncTypebox = async (app) => {
  const { store, queue, checker } = app.deps;
  acceptProblemBytes(app);

  app.post(
    '/plans',
    { schema: { body: ProblemBody, querystring: SolveQuery }, bodyLimit: app.deps.limits.bodyBytes },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const idem = request.headers['idempotency-key'];
      if (idem !== undefined && (typeof idem !== 'string' || !IDEMPOTENCY_KEY.test(idem)))
        return reply.code(400).send({
          error: 'E_VALIDATION',
          message: 'the request is invalid',
          issues: [
            {
              pointer: 'Idempotency-Key',
              in: 'header',
              code: 'E_FORMAT',
              message: 'must be 1 to 200 printable ASCII characters without spaces',
            },
          ],
        });
      const body = problemBytes(request.body);
      const checked = await checker.submission(body);
      if (rejectChecked(reply, checked)) return reply;
      const staged = await stageAndQueue(
        app.deps,
        principal.tenant,
        {
          mode: 'new',
          ...(idem !== undefined && { idempotency: { key: idem, fingerprint: checked.fingerprint } }),
        },
        body,
        (s) => requestedSolve(principal.tenant, s.planId, 'solve', request.query, s.problem),
      );
      if (staged.status === 'conflict')
        return reply.code(422).send({
          error: 'E_IDEMPOTENCY_CONFLICT',
          message: 'this Idempotency-Key was used with another body: use a new key for another problem',
          planId: staged.planId,
        });
      const wait = request.query.wait;
      if (wait !== undefined && wait > 0) {
        // Queued: whatever happens while waiting, the answer is at least 202.
        const version = await waitForVersion(app.deps, principal.tenant, staged.jobId, wait).catch(
          () => null,
        );
        if (version !== null) return reply.code(200).send({ planId: staged.planId, ...version });
      }
      return reply.code(202).send({
        planId: staged.planId,
        jobId: staged.jobId,
        status: staged.status === 'existing' ? 'existing' : 'queued',
      });
    },
  );

  app.get('/plans/:id', { schema: { params: PlanParams, querystring: NoQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { id } = request.params;
    const record = await store.getRecord(principal.tenant, id);
    if (record === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${id}'` });
    const version = await store.getVersionText(principal.tenant, id);
    const job = record.jobId === null ? null : asSolveJob(await queue.getJob(record.jobId));
    const head = {
      planId: id,
      planCreatedAt: record.createdAt,
      versions: record.versions,
      job: job ? await jobView(job) : null,
    };
    if (version === null) return { ...head, version: null, status: 'pending' };
    return reply.type('application/json').send(withFields(head, version));
  });

  app.get(
    '/plans/:id/versions/:version',
    { schema: { params: VersionParams, querystring: NoQuery } },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const { id, version } = request.params;
      const found = await store.getVersionText(principal.tenant, id, version);
      if (found === null)
        return reply
          .code(404)
          .send({ error: 'E_NOT_FOUND', message: `no version ${version} of plan '${id}'` });
      return reply.type('application/json').send(withFields({ planId: id }, found));
    },
  );
};

export default plans;
