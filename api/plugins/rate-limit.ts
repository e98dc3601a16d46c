import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A rate limit per API key (per client address without one), counted in Redis so that every
 * API process shares it: RATE_LIMIT requests per minute (default 600).
 */
export default fp(async function limits(app: FastifyInstance) {
  await app.register(rateLimit, {
    max: app.deps.rateLimit ?? 600,
    timeWindow: 60_000,
    redis: app.deps.redis,
    nameSpace: `${app.deps.prefix}:rate:`,
    keyGenerator: (request) => {
      const header = request.headers.authorization;
      return header ? createHash('sha256').update(header).digest('hex') : request.ip;
    },
    allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
  });
});
