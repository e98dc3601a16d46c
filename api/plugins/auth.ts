import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal, Role } from '../../service/api-keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The roles that may call a /v1 route: every /v1 route names them (routes/v1/autohooks.ts), `checkRoles` holds it to them. */
    roles?: readonly Role[];
    /** The key may come as `?token=` (a calendar app's feed URL cannot send a header). */
    tokenInQuery?: boolean;
  }
  interface FastifyInstance {
    /** An onRequest hook: the request's API key names its tenant and role, or the request is refused (401, 429). */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** A key's text in an Authorization header: `Bearer <key>`, the scheme in any case, one or more spaces. */
export function bearerKey(header: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9_-]{1,200}) *$/i.exec(header ?? '');
  return match === null ? null : match[1];
}

/**
 * Bearer API keys: every /v1 route has `authenticate` as an onRequest hook (routes/v1/autohooks),
 * attached to the routes themselves, whatever the URL's spelling. Failed or missing keys are
 * counted per client address (HHC_AUTH_FAILURES_PER_MINUTE; behind a proxy set HHC_TRUST_PROXY
 * so that the address is the client's): past the limit the address's bad keys get 429 instead of
 * 401, while valid keys go on working. A resource of another tenant is never found (404). The
 * key's role is held to the roles each route names by `checkRoles`, below.
 */
export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null);
    const failures = app.createRateLimit({
      max: app.deps.limits.authFailuresPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `auth-fail:${request.ip}`,
    });
    app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = bearerKey(request.headers.authorization);
      const fromQuery =
        request.routeOptions.config.tokenInQuery === true
          ? (request.query as { token?: unknown }).token
          : undefined;
      const queryKey =
        header === null && typeof fromQuery === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(fromQuery)
          ? fromQuery
          : null;
      const key = header ?? queryKey;
      // The key and the address's failure count are read together: with Redis frozen, both time
      // out at once (the request answers 503 within the command timeout, not twice it).
      const [principal, status] = await Promise.all([
        key === null ? null : app.deps.principalOf(key),
        failures(request, { increment: false }),
      ]);
      // Only a calendar token may travel in a URL: a full key there is refused as no key at all.
      if (principal !== null && (queryKey === null || principal.role === 'calendar')) {
        request.principal = principal;
        return;
      }
      // A valid key always passes: an address flooding bad keys (perhaps a proxy shared with
      // others) does not lock its agencies out; it is the bad keys that get 429.
      if (!status.isAllowed && (status.isExceeded || status.remaining <= 0)) {
        void reply
          .code(429)
          .header('retry-after', String(Math.max(1, status.ttlInSeconds)))
          .send({ error: 'E_RATE_LIMIT', message: 'too many failed authentications from this address' });
        return reply;
      }
      await failures(request);
      void reply.code(401).header('www-authenticate', 'Bearer').send({
        error: 'E_UNAUTHORIZED',
        message: 'a valid API key is required (Authorization: Bearer <key>)',
      });
      return reply;
    });
  },
  { name: 'auth', dependencies: ['limits'] },
);

/** The request's principal: set by `authenticate`, which every /v1 route runs first. */
export function principalOfRequest(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('a /v1 route ran without authentication');
  return request.principal;
}

/** The `config` of a route only coordinators may call. */
export const COORDINATOR_ONLY: { roles: readonly Role[] } = { roles: ['coordinator'] };

/**
 * A preHandler hook of every /v1 route (routes/v1/autohooks.ts): a principal whose role is not
 * among the route's `config.roles` is refused (403), after the request was found valid, before
 * the handler runs.
 */
export async function checkRoles(request: FastifyRequest, reply: FastifyReply) {
  const roles = request.routeOptions.config.roles ?? [];
  if (roles.includes(principalOfRequest(request).role)) return;
  void reply.code(403).send({ error: 'E_FORBIDDEN', message: `this needs the role ${roles.join(' or ')}` });
  return reply;
}
