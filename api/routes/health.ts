import type { FastifyInstance } from 'fastify';

/** Liveness (the process answers) and readiness (Redis answers). */
export default async function health(app: FastifyInstance) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (app.deps.mode === 'memory') return { status: 'ready', redis: 'absent: in-memory mode' };
    if (await app.deps.ping()) return { status: 'ready', redis: 'up' };
    return reply.code(503).send({ status: 'not ready', redis: 'down' });
  });
}
