import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../auth/api-keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Bearer API keys: every /v1 request names its tenant and role through its key (stored hashed).
 * Routes call `requireRole`; a resource of another tenant is never found (404), not forbidden.
 */
export default fp(async function auth(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await app.deps.principalOf(match[1]) : null;
    if (principal === null)
      return reply.code(401).header('www-authenticate', 'Bearer').send({
        error: 'E_UNAUTHORIZED',
        message: 'a valid API key is required (Authorization: Bearer <key>)',
      });
    request.principal = principal;
  });
});

/** Refuses (403) a principal whose role is not among `roles`. */
export function requireRole(
  request: FastifyRequest,
  reply: FastifyReply,
  ...roles: Principal['role'][]
): Principal | null {
  const p = request.principal;
  if (p === null || !roles.includes(p.role)) {
    void reply.code(403).send({ error: 'E_FORBIDDEN', message: `this needs the role ${roles.join(' or ')}` });
    return null;
  }
  return p;
}
