import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOfRequest } from '../../plugins/auth.ts';
import { NurseParams, RouteParams, RouteQuery } from '../../schemas.ts';
import { solvedDays } from '../../../service/plan-views.ts';
import { nurseRoute, toGeoJson } from '../../views/nurse-route.ts';

/**
 * A nurse's route in the latest version of a plan, for her phone: JSON, or GeoJSON with
 * `Accept: application/geo+json`. A coordinator sees every nurse of her tenant; a nurse only
 * herself.
 */
const nurseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const solvedDay = solvedDays(app.deps.store);

  /**
   * Her day without a plan id (the phone's page): the stored day (PUT /v1/days/:date) whose plan
   * covers `date` (a week is stored under its first day), never an earlier day's. `date`
   * defaults to today in UTC; the page sends the phone's own date.
   */
  app.get(
    '/nurses/:nurseId/route',
    { schema: { params: NurseParams, querystring: RouteQuery }, config: { roles: ['coordinator', 'nurse'] } },
    async (request, reply) => {
      const principal = principalOfRequest(request);
      const { nurseId } = request.params;
      if (principal.role === 'nurse' && principal.nurse !== nurseId)
        return reply.code(403).send({ error: 'E_FORBIDDEN', message: 'a nurse sees only her own route' });
      const date = request.query.date ?? new Date().toISOString().slice(0, 10);
      // A stored day's plan covers its date, or its calendar's days (a week); at most 31 back.
      const earliest = new Date(Date.parse(`${date}T00:00:00Z`) - 31 * 86_400_000).toISOString().slice(0, 10);
      const days = Object.entries(await app.deps.store.days(principal.tenant))
        .filter(([d]) => d <= date && d >= earliest)
        .sort(([a], [b]) => (a < b ? 1 : -1));
      for (const [stored, planId] of days) {
        const day = await solvedDay(principal.tenant, planId);
        if (day === null) continue;
        const calendar = day.plan.calendar;
        const last =
          calendar === undefined
            ? stored
            : new Date(Date.parse(`${calendar.start}T00:00:00Z`) + (calendar.days - 1) * 86_400_000)
                .toISOString()
                .slice(0, 10);
        if (date > last) continue;
        const view = await nurseRoute(day.problem, day.plan, nurseId, {
          osrmUrl: app.deps.osrmUrl,
          language: languageOf(request),
          date,
          today: new Date(),
        });
        if (view === null || view === 'no-day') continue;
        return { planId, version: day.version, ...view };
      }
      return reply
        .code(404)
        .send({ error: 'E_NOT_FOUND', message: `no stored day gives nurse '${nurseId}' a route on ${date}` });
    },
  );

  app.get(
    '/plans/:id/nurses/:nurseId/route',
    {
      schema: { params: RouteParams, querystring: RouteQuery },
      // A coordinator sees every nurse of her tenant; a nurse only herself (below).
      config: { roles: ['coordinator', 'nurse'] },
    },
    async (request, reply) => {
      const principal = principalOfRequest(request);
      const { id, nurseId } = request.params;
      if (principal.role === 'nurse' && principal.nurse !== nurseId)
        return reply.code(403).send({ error: 'E_FORBIDDEN', message: 'a nurse sees only her own route' });
      const day = await solvedDay(principal.tenant, id);
      if (day === null)
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no solved plan '${id}'` });
      const view = await nurseRoute(day.problem, day.plan, nurseId, {
        osrmUrl: app.deps.osrmUrl,
        language: languageOf(request),
        date: request.query.date,
        today: new Date(),
      });
      if (view === null)
        return reply
          .code(404)
          .send({ error: 'E_NOT_FOUND', message: `no nurse '${nurseId}' in plan '${id}'` });
      if (view === 'no-day')
        return reply.code(404).send({
          error: 'E_NOT_FOUND',
          message: `nurse '${nurseId}' has no route on ${String(request.query.date)} in plan '${id}'`,
        });
      const body = { planId: id, version: day.version, ...view };
      if ((request.headers.accept ?? '').includes('application/geo+json')) {
        const geo = toGeoJson(view);
        return reply
          .type('application/geo+json')
          .send({ ...geo, properties: { planId: id, version: day.version, ...geo.properties } });
      }
      return body;
    },
  );
};

/** The turn-by-turn text's language: `lang`, else the first of Accept-Language, else English. */
function languageOf(request: { query: { lang?: string }; headers: { 'accept-language'?: string } }): string {
  return request.query.lang ?? request.headers['accept-language']?.split(/[,;]/)[0]?.trim() ?? 'en';
}

export default nurseRoutes;
