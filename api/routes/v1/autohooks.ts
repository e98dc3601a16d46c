import type { FastifyInstance } from 'fastify';
import { strictQueryNumbers } from '../../hooks/strict-query.ts';

/**
 * Hooks of every /v1 route (Fastify autoload applies them to this folder's routes): the API key
 * first, then its rate limit, then numbers in the query written plainly.
 */
export default async function v1Hooks(app: FastifyInstance) {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.limitPerKey);
  app.addHook('preValidation', strictQueryNumbers);
}
