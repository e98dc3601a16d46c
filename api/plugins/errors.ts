import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { InputError } from '../../solver/index.ts';
import { didYouMean } from '../../solver/model/validate-shape.ts';
import { InProgressError, TenantBusyError } from '../../service/enqueue.ts';
import { CheckerBusyError } from '../../service/problem-checker.ts';
import { isStoreUnavailable } from '../../service/redis-health.ts';

/**
 * One bad field: a JSON pointer (query fields start with '?', as before; `in` says where), a
 * stable code and a sentence.
 */
export interface ApiIssue {
  pointer: string;
  in?: 'body' | 'query' | 'path';
  code: string;
  message: string;
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: { properties?: Record<string, unknown> };
}

const CODES: Record<string, string> = {
  required: 'E_MISSING',
  additionalProperties: 'E_UNKNOWN_FIELD',
  type: 'E_TYPE',
  minimum: 'E_RANGE',
  maximum: 'E_RANGE',
  exclusiveMinimum: 'E_RANGE',
  exclusiveMaximum: 'E_RANGE',
  minItems: 'E_RANGE',
  minLength: 'E_RANGE',
  maxItems: 'E_LIMIT',
  maxLength: 'E_LIMIT',
  maxProperties: 'E_LIMIT',
  pattern: 'E_FORMAT',
  format: 'E_FORMAT',
  enum: 'E_RANGE',
  const: 'E_RANGE',
};

/** An Ajv error as an issue: unknown fields with the known field they were probably meant as. */
function issueOf(v: AjvIssue, where: ApiIssue['in']): ApiIssue {
  const prefix = where === 'query' ? '?' : '';
  if (v.keyword === 'additionalProperties') {
    const field = String(v.params.additionalProperty);
    const known = Object.keys(v.parentSchema?.properties ?? {});
    const guess = didYouMean(field, known);
    return {
      pointer: `${prefix}${v.instancePath}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      in: where,
      code: 'E_UNKNOWN_FIELD',
      message: `unknown field '${field.slice(0, 100)}'${guess === null ? '' : `; did you mean '${guess}'?`}`,
    };
  }
  const missing = v.keyword === 'required' ? `/${String(v.params.missingProperty)}` : '';
  return {
    pointer: `${prefix}${v.instancePath}${missing}`,
    in: where,
    code: CODES[v.keyword] ?? 'E_TYPE',
    message: v.message ?? 'is invalid',
  };
}

/**
 * Errors as JSON: 400 with one issue per bad field (schema violations and the solver's input
 * validation alike; every 400 has issues), 401/403/404/409/413/429 as thrown, 503 with
 * Retry-After when Redis or the problem checker cannot answer now, and other 5xx without details
 * (they go to the log).
 */
export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof InputError)
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'the problem is invalid',
        issues: error.issues.map((i) => ({ pointer: i.where, in: 'body', code: i.code, message: i.message })),
      });
    if (error.validation !== undefined) {
      const where =
        error.validationContext === 'querystring'
          ? 'query'
          : error.validationContext === 'params'
            ? 'path'
            : 'body';
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'the request is invalid',
        issues: (error.validation as unknown as AjvIssue[]).slice(0, 100).map((v) => issueOf(v, where)),
      });
    }
    if (error instanceof InProgressError)
      return reply
        .code(409)
        .header('retry-after', '2')
        .send({ error: 'E_IN_PROGRESS', message: error.message });
    if (error instanceof TenantBusyError)
      return reply
        .code(429)
        .header('retry-after', '30')
        .send({ error: 'E_TENANT_BUSY', message: `${error.message}: wait for some to finish` });
    const redisDown = app.deps.redis !== undefined && app.deps.redis.status !== 'ready';
    if (
      error instanceof CheckerBusyError ||
      isStoreUnavailable(error) ||
      (redisDown && (error.statusCode ?? 500) >= 500)
    ) {
      request.log.warn({ err: error }, 'service unavailable');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'E_UNAVAILABLE', message: 'the service cannot answer now: retry in a few seconds' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'E_INTERNAL', message: 'internal error' });
    }
    if (status === 400)
      return reply.code(400).send({
        error: 'E_VALIDATION',
        message: 'the request is invalid',
        issues: [{ pointer: '', in: 'body', code: 'E_FORMAT', message: error.message }],
      });
    return reply.code(status).send({ error: error.code ?? 'E_REQUEST', message: error.message });
  });
});
