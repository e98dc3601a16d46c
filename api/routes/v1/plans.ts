import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findPlan, submitPlan } from '../../../service/plans.ts';
import { waitForVersion } from '../../../service/wait-for-version.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import {
  ListQuery,
  NoQuery,
  PlanParams,
  PlansQuery,
  ProblemBody,
  ProblemParams,
  VersionParams,
} from '../../schemas.ts';
import { jobView } from '../../views/job-view.ts';
import {
  acceptImportBytes,
  acceptProblemBytes,
  IMPORT_TYPES,
  importFormat,
  problemBytes,
  rejectProblem,
} from '../../views/problem-body.ts';
import { withFields } from '../../views/stored-json.ts';

/** The export an Accept header asks for: CSV, GeoJSON, FHIR, an SVG drawing, or none (JSON). */
function exportFormat(accept: string | undefined): 'csv' | 'geojson' | 'fhir' | 'svg' | null {
  if (accept === undefined) return null;
  if (accept.includes('image/svg+xml')) return 'svg';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('application/geo+json')) return 'geojson';
  if (accept.includes('application/fhir+json')) return 'fhir';
  return null;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** Plans: submit a day (validated, stored, queued), read a plan and its versions. */
const plans: FastifyPluginAsyncTypebox = async (app) => {
  acceptProblemBytes(app);
  acceptImportBytes(app);
  // A plan's GET answers JSON, CSV, GeoJSON or FHIR by its Accept header: caches must key on it.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET') reply.header('vary', 'Accept');
  });

  /**
   * A version as a spreadsheet (`Accept: text/csv`, one row per stop) or as GeoJSON
   * (`Accept: application/geo+json`), docs/formats.md; null for JSON (the default).
   */
  const exportAs = async (
    accept: string | undefined,
    tenant: string,
    planId: string,
    versionText: string,
  ) => {
    const as = exportFormat(accept);
    if (as === null) return null;
    // The problem number sits in the stored version: read without parsing the whole plan here.
    const k =
      /"problem":(\d+)/.exec(versionText.slice(-200))?.[1] ?? /"problem":(\d+)/.exec(versionText)?.[1];
    const problem = await app.deps.store.getProblemText(tenant, planId, Number(k));
    if (problem === null) return null;
    // Parsed and written in the checker's threads: a big plan takes the event loop no time.
    const done = await app.deps.checker.export(problem.text, versionText, as);
    return done.ok
      ? { type: done.type, body: done.body }
      : {
          code: 406,
          type: 'application/json',
          body: JSON.stringify({ error: 'E_UNSUPPORTED', message: done.message }),
        };
  };

  app.post(
    '/plans',
    {
      schema: {
        body: ProblemBody,
        querystring: PlansQuery,
        consumes: ['application/json', ...Object.keys(IMPORT_TYPES)],
      },
      bodyLimit: app.deps.limits.bodyBytes,
      config: COORDINATOR_ONLY,
    },
    async (request, reply) => {
      const { tenant } = principalOfRequest(request);
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
      const { wait, base, ...solve } = request.query;
      const format = importFormat(request.headers['content-type']);
      if (base !== undefined && format === undefined)
        return reply.code(400).send({
          error: 'E_VALIDATION',
          message: 'the request is invalid',
          issues: [
            {
              pointer: '?/base',
              in: 'query',
              code: 'E_CONFLICT',
              message:
                'base is for a text/csv or application/fhir+json body; a JSON problem carries its own nurses',
            },
          ],
        });
      const submitted = await submitPlan(app.deps, tenant, problemBytes(request.body), {
        solve,
        ...(idem !== undefined && { idempotencyKey: idem }),
        ...(format !== undefined && { format }),
        ...(base !== undefined && { base }),
      });
      if (submitted.status === 'invalid') return rejectProblem(reply, submitted);
      if (submitted.status === 'conflict')
        return reply.code(422).send({
          error: 'E_IDEMPOTENCY_CONFLICT',
          message: 'this Idempotency-Key was used with another body: use a new key for another problem',
          planId: submitted.planId,
        });
      const { planId, jobId, status } = submitted;
      if (wait !== undefined && wait > 0) {
        // Queued: whatever happens while waiting, the answer is at least 202.
        const version = await waitForVersion(app.deps, tenant, jobId, wait).catch(() => null);
        if (version !== null) return reply.code(200).send({ planId, ...version });
      }
      return reply.code(202).send({ planId, jobId, status });
    },
  );

  app.get(
    '/plans/:id',
    { schema: { params: PlanParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const { id } = request.params;
      const found = await findPlan(app.deps, principalOfRequest(request).tenant, id);
      if (found === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${id}'` });
      const { record, versionText, job } = found;
      if (versionText !== null) {
        const exported = await exportAs(
          request.headers.accept,
          principalOfRequest(request).tenant,
          id,
          versionText,
        );
        if (exported !== null)
          return reply
            .code(exported.code ?? 200)
            .type(exported.type)
            .send(exported.body);
      }
      const head = {
        planId: id,
        planCreatedAt: record.createdAt,
        versions: record.versions,
        job: job ? await jobView(job) : null,
      };
      if (versionText === null) return { ...head, version: null, status: 'pending' };
      return reply.type('application/json').send(withFields(head, versionText));
    },
  );

  app.get('/plans', { schema: { querystring: ListQuery }, config: COORDINATOR_ONLY }, async (request) => {
    const { tenant } = principalOfRequest(request);
    const [records, days] = await Promise.all([
      app.deps.store.listPlans(tenant, request.query.limit ?? 50),
      app.deps.store.days(tenant),
    ]);
    const dayOf = new Map(Object.entries(days).map(([date, planId]) => [planId, date]));
    return {
      plans: records.map((r) => ({
        planId: r.id,
        createdAt: r.createdAt,
        versions: r.versions,
        ...(dayOf.has(r.id) && { day: dayOf.get(r.id) }),
      })),
    };
  });

  app.get(
    '/plans/:id/problems/:k',
    { schema: { params: ProblemParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const { id, k } = request.params;
      const { tenant } = principalOfRequest(request);
      const found =
        (await app.deps.store.getRecord(tenant, id)) === null
          ? null
          : await app.deps.store.getProblemText(tenant, id, k);
      if (found === null)
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no problem ${k} of plan '${id}'` });
      return reply.type('application/json').send(found.text);
    },
  );

  app.get(
    '/plans/:id/versions/:version',
    { schema: { params: VersionParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const { id, version } = request.params;
      const found = await app.deps.store.getVersionText(principalOfRequest(request).tenant, id, version);
      if (found === null)
        return reply
          .code(404)
          .send({ error: 'E_NOT_FOUND', message: `no version ${version} of plan '${id}'` });
      const exported = await exportAs(request.headers.accept, principalOfRequest(request).tenant, id, found);
      if (exported !== null)
        return reply
          .code(exported.code ?? 200)
          .type(exported.type)
          .send(exported.body);
      return reply.type('application/json').send(withFields({ planId: id }, found));
    },
  );
};

export default plans;
