import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOfRequest } from '../../plugins/auth.ts';
import { NoQuery } from '../../schemas.ts';

/**
 * Who the key speaks for, and what the web app needs to know of the service: the tenant, the
 * role, a nurse key's nurse, and the map's tiles (HHC_TILE_URL, HHC_TILE_ATTRIBUTION; none: the
 * app draws the territory's outline on a plain background).
 */
const me: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    { schema: { querystring: NoQuery }, config: { roles: ['coordinator', 'nurse'] } },
    async (request) => {
      const { tenant, role, nurse } = principalOfRequest(request);
      return {
        tenant,
        role,
        ...(nurse !== undefined && { nurse }),
        map: {
          ...(app.deps.tiles?.url !== undefined && { tileUrl: app.deps.tiles.url }),
          ...(app.deps.tiles?.attribution !== undefined && { attribution: app.deps.tiles.attribution }),
        },
        routing: app.deps.osrmUrl !== undefined,
      };
    },
  );
};

export default me;
