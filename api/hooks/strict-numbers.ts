import type { FastifyReply, FastifyRequest } from 'fastify';

const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

type Part = { properties?: Record<string, { type?: string }> } | undefined;

/** The values of one part (query or path) that the schema reads as numbers but are not plain decimals. */
function badNumbers(schema: Part, values: unknown, where: 'query' | 'path') {
  if (schema?.properties === undefined || typeof values !== 'object' || values === null) return [];
  const given = values as Record<string, unknown>;
  return Object.entries(schema.properties)
    .filter(([name, s]) => (s.type === 'number' || s.type === 'integer') && typeof given[name] === 'string')
    .filter(([name]) => !DECIMAL.test(given[name] as string))
    .map(([name, s]) => ({
      pointer: `${where === 'query' ? '?' : ''}/${name}`,
      in: where,
      code: 'E_TYPE',
      message: `must be written as a plain decimal ${s.type === 'integer' ? 'integer' : 'number'}, not '${String(given[name]).slice(0, 40)}'`,
    }));
}

/**
 * A preValidation hook: a query or path value the route's schema reads as a number must be
 * written as a plain decimal ('10', '2.5'). Schema coercion alone would read '0x10' as 16, '1e3'
 * as 1000 and ' 5' as 5.
 */
export async function strictNumbers(request: FastifyRequest, reply: FastifyReply) {
  const schema = request.routeOptions.schema;
  const issues = [
    ...badNumbers(schema?.params as Part, request.params, 'path'),
    ...badNumbers(schema?.querystring as Part, request.query, 'query'),
  ];
  if (issues.length > 0) {
    void reply.code(400).send({ error: 'E_VALIDATION', message: 'the request is invalid', issues });
    return reply;
  }
}
