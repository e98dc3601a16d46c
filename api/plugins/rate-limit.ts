import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook after `authenticate`: RATE_LIMIT requests per minute per API key (429 past it). */
    limitPerKey(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/**
 * Rate limits counted in Redis, so that every API process shares them: per key identity (the
 * key's hash: however the Authorization header is spelt, one key has one allowance), and per
 * client address for failed or missing keys (plugins/auth). When Redis does not answer the
 * limits are skipped and the request meets the store's own 503.
 */
export default fp(
  async function limits(app: FastifyInstance) {
    await app.register(rateLimit, {
      global: false,
      max: app.deps.limits.requestsPerMinute,
      timeWindow: 60_000,
      redis: app.deps.redis,
      nameSpace: `${app.deps.prefix}:rate:`,
      skipOnError: true,
    });
    const perKey = app.createRateLimit({
      keyGenerator: (request) => `key:${request.principal?.keyId ?? `ip:${request.ip}`}`,
    });
    app.decorate('limitPerKey', async (request: FastifyRequest, reply: FastifyReply) => {
      const status = await perKey(request);
      if (status.isAllowed) return;
      void reply.header('x-ratelimit-limit', String(status.max));
      void reply.header('x-ratelimit-remaining', String(Math.max(0, status.remaining)));
      void reply.header('x-ratelimit-reset', String(status.ttlInSeconds));
      if (status.isExceeded) {
        void reply
          .code(429)
          .header('retry-after', String(Math.max(1, status.ttlInSeconds)))
          .send({
            error: 'E_RATE_LIMIT',
            message: `more than ${status.max} requests a minute with this key`,
          });
        return reply;
      }
    });
  },
  { name: 'limits' },
);
