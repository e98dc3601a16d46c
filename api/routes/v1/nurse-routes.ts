import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOfRequest } from '../../plugins/auth.ts';
import { RouteParams, RouteQuery } from '../../schemas.ts';
import { nurseRoute, toGeoJson } from '../../views/nurse-route.ts';

/**
 * A nurse's route in the latest version of a plan, for her phone: JSON, or GeoJSON with
 * `Accept: application/geo+json`. A coordinator sees every nurse of her tenant; a nurse only
 * herself.
 */
const nurseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.deps;
  app.get(
    '/plans/:id/nurses/:nurseId/route',
    { schema: { params: RouteParams, querystring: RouteQuery } },
    async (request, reply) => {
      const principal = principalOfRequest(request);
      const { id, nurseId } = request.params;
      if (principal.role === 'nurse' && principal.nurse !== nurseId)
        return reply.code(403).send({ error: 'E_FORBIDDEN', message: 'a nurse sees only her own route' });
      const version = await store.getVersion(principal.tenant, id);
      const problem = version === null ? null : await store.getProblem(principal.tenant, id, version.problem);
      if (version === null || problem === null)
        return reply.code(404).send({ error: 'E_NOT_FOUND', message: `no solved plan '${id}'` });
      const lang = request.query.lang ?? request.headers['accept-language']?.split(/[,;]/)[0]?.trim() ?? 'en';
      const view = await nurseRoute(problem.problem, version.plan, nurseId, {
        osrmUrl: app.deps.osrmUrl,
        language: lang,
      });
      if (view === null)
        return reply
          .code(404)
          .send({ error: 'E_NOT_FOUND', message: `no nurse '${nurseId}' in plan '${id}'` });
      const body = { planId: id, version: version.version, ...view };
      if ((request.headers.accept ?? '').includes('application/geo+json')) {
        const geo = toGeoJson(view);
        return reply
          .type('application/geo+json')
          .send({ ...geo, properties: { planId: id, version: version.version, ...geo.properties } });
      }
      return body;
    },
  );
};

export default nurseRoutes;
