import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { asSolveJob } from '../../../workers/solve-queue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { jobView } from '../../views/job-view.ts';

const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** Jobs: state and progress, server-sent events until done, and cancellation. */
export default async function jobs(app: FastifyInstance) {
  const { queue } = app.deps;

  /** The job, only within the caller's tenant (another tenant's job is not found). */
  const find = async (tenant: string, id: string) => {
    const job = asSolveJob(await queue.getJob(id));
    return job !== null && job.data.tenant === tenant ? job : null;
  };

  app.get('/jobs/:id', { schema: { params: JobParams } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const job = await find(principal.tenant, (request.params as { id: string }).id);
    if (job === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
    return jobView(job);
  });

  app.delete('/jobs/:id', { schema: { params: JobParams } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const job = await find(principal.tenant, (request.params as { id: string }).id);
    if (job === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
    const state = await job.getState();
    if (FINAL.has(state))
      return reply.code(409).send({ error: 'E_FINISHED', message: `the job is already ${state}` });
    if (state === 'active') {
      // The worker running it stops the solver; the best plan so far is kept, marked cancelled.
      await app.deps.cancel(String(job.id));
      return reply.code(202).send({ id: String(job.id), state: 'cancelling' });
    }
    await job.remove();
    return reply.code(200).send({ id: String(job.id), state: 'cancelled' });
  });

  app.get('/jobs/:id/events', { schema: { params: JobParams } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const id = (request.params as { id: string }).id;
    const first = await find(principal.tenant, id);
    if (first === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    let closed = false;
    request.raw.on('close', () => (closed = true));
    let last = '';
    while (!closed) {
      const job = await find(principal.tenant, id);
      const view = job === null ? { id, state: 'removed' } : await jobView(job);
      const text = JSON.stringify(view);
      if (text !== last) {
        res.write(
          `event: ${FINAL.has(view.state) || view.state === 'removed' ? 'done' : 'progress'}\ndata: ${text}\n\n`,
        );
        last = text;
      }
      if (FINAL.has(view.state) || view.state === 'removed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    res.end();
  });
}
