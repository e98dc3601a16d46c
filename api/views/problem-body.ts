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

/** Bodies of other formats a new plan may come as (docs/formats.md): a spreadsheet of visits, a FHIR Bundle. */
export const IMPORT_TYPES = { 'text/csv': 'csv', 'application/fhir+json': 'fhir' } as const;

/** In the calling route plugin, CSV and FHIR bodies arrive as bytes too (up to the same limit). */
export function acceptImportBytes(app: FastifyInstance): void {
  for (const type of Object.keys(IMPORT_TYPES))
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: app.deps.limits.bodyBytes },
      (_request, body, done) => done(null, body),
    );
}

/** The import format of a request's Content-Type, or undefined for JSON. */
export function importFormat(contentType: string | undefined): 'csv' | 'fhir' | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return (IMPORT_TYPES as Record<string, 'csv' | 'fhir'>)[type];
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
