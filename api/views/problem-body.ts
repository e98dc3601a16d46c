import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CheckRefusal } from '../../service/problem-check-task.ts';

/**
 * In the calling route plugin, JSON bodies arrive as bytes (up to the problem body limit), not
 * parsed on the event loop: the routes hand them to the problem checker's threads.
 */
export function acceptProblemBytes(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: app.deps.limits.bodyBytes },
    (_request, body, done) => done(null, body),
  );
}

/** The bytes of a body that acceptProblemBytes let through (a Buffer; anything else is no problem at all). */
export function problemBytes(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body ?? null));
}

/** Answers 400 with the checker's issues for a refused problem. */
export function rejectProblem(reply: FastifyReply, refused: CheckRefusal): FastifyReply {
  return reply.code(400).send({
    error: 'E_VALIDATION',
    message: refused.message,
    issues: refused.issues.map((i) => ({ ...i, in: 'body' })),
  });
}
