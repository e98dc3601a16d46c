import type { FastifyReply, FastifyRequest } from 'fastify';

const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

/**
 * A preValidation hook: a query value the route's schema reads as a number must be written as a
 * plain decimal ('10', '2.5'). Schema coercion alone would read '0x10' as 16, '1e3' as 1000 and
 * ' 5' as 5.
 */
export async function strictQueryNumbers(request: FastifyRequest, reply: FastifyReply) {
  const schema = request.routeOptions.schema?.querystring as
    { properties?: Record<string, { type?: string }> } | undefined;
  const query = request.query as Record<string, unknown>;
  if (schema?.properties === undefined || typeof query !== 'object' || query === null) return;
  const issues = Object.entries(schema.properties)
    .filter(([name, s]) => (s.type === 'number' || s.type === 'integer') && typeof query[name] === 'string')
    .filter(([name]) => !DECIMAL.test(query[name] as string))
    .map(([name, s]) => ({
      pointer: `?/${name}`,
      code: 'E_TYPE',
      message: `must be written as a plain decimal ${s.type === 'integer' ? 'integer' : 'number'}, not '${String(query[name]).slice(0, 40)}'`,
    }));
  if (issues.length > 0) {
    void reply.code(400).send({ error: 'E_VALIDATION', message: 'the request is invalid', issues });
    return reply;
  }
}
