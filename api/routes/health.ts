import type { FastifyInstance } from 'fastify';

/**
 * Liveness (the process answers) and readiness: Redis answers within a second, and whether it
 * keeps plans across a restart and never evicts them (`persistence`: the problems found). In
 * memory mode it says so.
 */
export default async function health(app: FastifyInstance) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const r = await app.deps.readiness();
    const body = {
      status: r.ready ? 'ready' : 'not ready',
      mode: app.deps.mode,
      redis: r.redis,
      ...(r.persistence !== undefined && { persistence: r.persistence }),
    };
    return r.ready ? body : reply.code(503).header('retry-after', '5').send(body);
  });
}
