import type { FastifyInstance } from 'fastify';
import { bodyDepth } from '../../hooks/body-depth.ts';
import { strictNumbers } from '../../hooks/strict-numbers.ts';

/**
 * Hooks of every /v1 route (Fastify autoload applies them to this folder's routes): the API key
 * first, then its rate limit; before schema validation, numbers in the query and path written
 * plainly, and parsed bodies no deeper than the limit.
 */
export default async function v1Hooks(app: FastifyInstance) {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.limitPerKey);
  app.addHook('preValidation', strictNumbers);
  app.addHook('preValidation', bodyDepth(app.deps.limits.maxDepth));
}
