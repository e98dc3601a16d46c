import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CheckResult } from '../../service/problem-check-task.ts';

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

/** Answers 400 with the checker's issues when the problem is refused; true if it did. */
export function rejectChecked(
  reply: FastifyReply,
  result: CheckResult,
): result is Extract<CheckResult, { ok: false }> {
  if (result.ok) return false;
  void reply.code(400).send({
    error: 'E_VALIDATION',
    message: result.message,
    issues: result.issues.map((i) => ({ ...i, in: 'body' })),
  });
  return true;
}
