import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { InputError } from '../../solver/index.ts';

/** One bad field: a JSON pointer into the body (or the query), a stable code and a sentence. */
export interface ApiIssue {
  pointer: string;
  code: string;
  message: string;
}

/**
 * Errors as JSON: 400 with one issue per bad field (schema violations and the solver's input
 * validation alike), 401/403/404 as thrown, and 5xx without details (they go to the log).
 */
export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof InputError)
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'the problem is invalid',
        issues: error.issues.map((i) => ({ pointer: i.where, code: i.code, message: i.message })),
      });
    if (error.validation !== undefined) {
      const where = error.validationContext === 'querystring' ? '?' : '';
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'the request is invalid',
        issues: error.validation.map((v) => ({
          pointer: `${where}${v.instancePath}${v.keyword === 'required' ? `/${String((v.params as { missingProperty?: string }).missingProperty)}` : ''}`,
          code: v.keyword === 'required' ? 'E_MISSING' : 'E_TYPE',
          message: v.message ?? 'is invalid',
        })),
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'E_INTERNAL', message: 'internal error' });
    }
    return reply.code(status).send({ error: error.code ?? 'E_REQUEST', message: error.message });
  });
});
