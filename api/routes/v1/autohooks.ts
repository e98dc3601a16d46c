import type { FastifyInstance } from 'fastify';
import { bodyDepth } from '../../hooks/body-depth.ts';
import { strictNumbers } from '../../hooks/strict-numbers.ts';
import { checkRoles } from '../../plugins/auth.ts';

/**
 * Hooks of every /v1 route (Fastify autoload applies them to this folder's routes): the API key
 * first, then its rate limit; before schema validation, numbers in the query and path written
 * plainly, and parsed bodies no deeper than the limit; once the request is valid, the key's role
 * among those the route names (`config: { roles }`: a route that names none does not load).
 */
export default async function v1Hooks(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if ((route.config?.roles?.length ?? 0) === 0)
      throw new Error(
        `${String(route.method)} ${route.url}: a /v1 route names the roles that may call it (config.roles)`,
      );
  });
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.limitPerKey);
  app.addHook('preValidation', strictNumbers);
  app.addHook('preValidation', bodyDepth(app.deps.limits.maxDepth));
  app.addHook('preHandler', checkRoles);
}
