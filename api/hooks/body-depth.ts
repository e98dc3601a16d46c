import type { FastifyReply, FastifyRequest } from 'fastify';
import { tooDeep } from '../../service/too-deep.ts';

/**
 * A preValidation hook: a JSON body Fastify parsed (re-plan changes, schedules; problem bodies
 * arrive as bytes and are checked in the checker's threads) may nest at most `maxDepth` levels,
 * so that nothing after (schema validation, a copy to a thread, JSON.stringify) meets a body
 * deep enough to overflow the stack. The walk is iterative.
 */
export function bodyDepth(maxDepth: number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (typeof request.body !== 'object' || request.body === null || Buffer.isBuffer(request.body)) return;
    const at = tooDeep(request.body, maxDepth);
    if (at === null) return;
    void reply.code(400).send({
      error: 'E_VALIDATION',
      message: 'the request is invalid',
      issues: [
        {
          pointer: at,
          in: 'body',
          code: 'E_LIMIT',
          message: `is nested more than ${maxDepth} levels deep (limit maxDepth)`,
        },
      ],
    });
    return reply;
  };
}
