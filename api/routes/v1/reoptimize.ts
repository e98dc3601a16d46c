import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DayChanges } from '../../../solver/index.ts';
import { stageAndQueue } from '../../../service/enqueue.ts';
import { requestedSolve } from '../../../service/solve-queue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { PlanParams, SolveQuery } from '../../schemas.ts';
import { rejectChecked } from '../../views/problem-body.ts';
import { waitForVersion } from '../../../service/wait-for-version.ts';

const id = Type.String({ minLength: 1, maxLength: 1000 });
const coordinate = Type.Number();
/** A location in one of the native format's forms. */
const Location = Type.Union([
  Type.Object({ lon: coordinate, lat: coordinate }, { additionalProperties: false }),
  Type.Object({ x: coordinate, y: coordinate }, { additionalProperties: false }),
  Type.Object({ index: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
]);
/** A time: a number in the problem's unit, or a local date-time (a time of day in a one-day plan), as in the problem (docs/calendar.md). */
const When = (description?: string) =>
  Type.Union(
    [
      Type.Number(),
      Type.String({
        maxLength: 40,
        pattern: '^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}.*|\\d{2}:\\d{2}(:\\d{2})?)$',
      }),
    ],
    description === undefined ? {} : { description },
  );
const Changes = Type.Object(
  {
    now: Type.Optional(When('the time now: a number in the problem time unit, or a local date-time')),
    absentNurses: Type.Optional(
      Type.Array(
        Type.Object(
          {
            nurse: id,
            from: Type.Optional(When()),
            to: Type.Optional(When('back from then (default: never)')),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5000 },
      ),
    ),
    newVisits: Type.Optional(
      Type.Array(Type.Object({}, { additionalProperties: true }), {
        maxItems: 1000,
        description: 'visits in the native format (checked as the problem is)',
      }),
    ),
    cancelledVisits: Type.Optional(Type.Array(id, { maxItems: 20000 })),
    overruns: Type.Optional(
      Type.Array(Type.Object({ visit: id, end: When() }, { additionalProperties: false }), {
        maxItems: 5000,
      }),
    ),
    positions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            nurse: id,
            location: Location,
            time: Type.Optional(When('free from then (default: now)')),
          },
          { additionalProperties: false, description: 'where a nurse is now: her day goes on from there' },
        ),
        { maxItems: 5000 },
      ),
    ),
    pins: Type.Optional(
      Type.Array(
        Type.Object(
          { visit: id, nurse: id, start: Type.Optional(When()) },
          {
            additionalProperties: false,
            description: "a coordinator's decision: this visit goes to this nurse, at `start` when given",
          },
        ),
        { maxItems: 20000 },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * Re-planning during the day: the changes since the latest version (a nurse absent, an urgent
 * visit, a cancellation, an overrun, where a nurse is, a visit pinned to a nurse, the time now) make a new problem whose started stops are
 * frozen (built and validated in the checker's threads); it is solved at a higher priority than
 * fresh and nightly work, into a new version that lists what moved.
 */
const reoptimize: FastifyPluginAsyncTypebox = async (app) => {
  const { store, checker } = app.deps;
  app.post(
    '/plans/:id/reoptimize',
    { schema: { params: PlanParams, body: Changes, querystring: SolveQuery } },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const { id: planId } = request.params;
      if ((await store.getRecord(principal.tenant, planId)) === null)
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${planId}'` });
      const latest = await store.getVersion(principal.tenant, planId);
      if (latest === null)
        return reply
          .code(409)
          .send({ error: 'E_NOT_SOLVED', message: 'the plan has no version yet: wait for its first solve' });
      // The changes apply to the problem and plan of the latest version.
      const base = await store.getProblemText(principal.tenant, planId, latest.problem);
      if (base === null)
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${planId}'` });
      const checked = await checker.replan(base.text, latest.plan, request.body as DayChanges);
      if (rejectChecked(reply, checked)) return reply;
      const staged = await stageAndQueue(
        app.deps,
        principal.tenant,
        { mode: 'add', planId },
        checked.text ?? '',
        (s) => requestedSolve(principal.tenant, s.planId, 'reoptimize', request.query, s.problem),
      );
      if (staged.status === 'missing')
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no plan '${planId}'` });
      const wait = request.query.wait;
      if (wait !== undefined && wait > 0) {
        const version = await waitForVersion(app.deps, principal.tenant, staged.jobId, wait).catch(
          () => null,
        );
        if (version !== null) return reply.code(200).send({ planId, ...version });
      }
      return reply.code(202).send({ planId, jobId: staged.jobId, status: 'queued' });
    },
  );
};

export default reoptimize;
