import type { FastifyInstance } from 'fastify';

/** Liveness (the process answers) and readiness (Redis answers). */
export default async function health(app: FastifyInstance) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await app.deps.redis.ping();
      return { status: 'ready', redis: 'up' };
    } catch {
      return reply.code(503).send({ status: 'not ready', redis: 'down' });
    }
  });
}
