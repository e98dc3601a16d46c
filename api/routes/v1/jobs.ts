import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asSolveJob } from '../../../service/solve-queue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { JobParams, NoQuery } from '../../schemas.ts';
import { jobView, type JobView } from '../../views/job-view.ts';

const FINAL = new Set(['completed', 'failed', 'cancelled', 'removed']);

/** Jobs: state and progress, server-sent events until done, and cancellation. */
const jobs: FastifyPluginAsyncTypebox = async (app) => {
  const { queue, events, limits } = app.deps;
  /** Open event streams per API key in this process. */
  const streams = new Map<string, number>();

  /** The job, only within the caller's tenant (another tenant's job is not found). */
  const find = async (tenant: string, id: string) => {
    const job = asSolveJob(await queue.getJob(id));
    return job !== null && job.data.tenant === tenant ? job : null;
  };

  app.get('/jobs/:id', { schema: { params: JobParams, querystring: NoQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const job = await find(principal.tenant, request.params.id);
    if (job === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
    return jobView(job);
  });

  app.delete('/jobs/:id', { schema: { params: JobParams, querystring: NoQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const job = await find(principal.tenant, request.params.id);
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

  /**
   * Server-sent events: 'progress' with the job's view at each change, then 'done' at its end,
   * pushed from the queue's events (no polling); at most HHC_SSE_PER_KEY streams per key, each
   * closed after HHC_SSE_MAX_SECONDS with an 'expired' event (reconnect to go on).
   */
  app.get(
    '/jobs/:id/events',
    { schema: { params: JobParams, querystring: NoQuery } },
    async (request, reply) => {
      const principal = requireRole(request, reply, 'coordinator');
      if (principal === null) return reply;
      const id = request.params.id;
      const open = streams.get(principal.keyId) ?? 0;
      if (open >= limits.streamsPerKey)
        return reply
          .code(429)
          .header('retry-after', '10')
          .send({
            error: 'E_TOO_MANY_STREAMS',
            message: `at most ${limits.streamsPerKey} event streams at once per key (limit HHC_SSE_PER_KEY)`,
          });
      // Taken at once (before any await), so that concurrent requests count each other.
      streams.set(principal.keyId, open + 1);
      let current: JobView | null = null;
      let dirty = true; // the first view is written at once
      let reread = false;
      let closed = false;
      let wake = () => {};
      const unsubscribe = events.subscribe(id, (e) => {
        if (current === null || e.kind === 'ended' || e.kind === 'removed') reread = true;
        else if (e.kind === 'progress') {
          const progress = e.progress as JobView['progress'];
          current = { ...current, progress, bestCost: progress?.bestCost ?? current.bestCost };
        } else current = { ...current, state: e.state };
        dirty = true;
        wake();
      });
      const timers: NodeJS.Timeout[] = [];
      try {
        const first = await find(principal.tenant, id);
        if (first === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
        current = await jobView(first);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        const close = () => {
          closed = true;
          wake();
        };
        request.raw.on('close', close);
        timers.push(
          setTimeout(() => {
            res.write('event: expired\ndata: {"reconnect":true}\n\n');
            close();
          }, limits.streamMaxSeconds * 1000),
          setInterval(() => res.write(': keep-alive\n\n'), 15_000),
        );
        let last = '';
        try {
          while (!closed) {
            if (reread) {
              reread = false;
              const job = await find(principal.tenant, id).catch(() => undefined);
              if (job === null) current = { ...current, state: 'removed' };
              else if (job !== undefined) current = await jobView(job);
              dirty = true;
            }
            if (dirty) {
              dirty = false;
              const text = JSON.stringify(current);
              if (text !== last) {
                last = text;
                const done = FINAL.has(current.state);
                res.write(`event: ${done ? 'done' : 'progress'}\ndata: ${text}\n\n`);
                if (done) break;
              }
            }
            if (!dirty && !reread && !closed) await new Promise<void>((resolve) => (wake = resolve));
          }
        } finally {
          res.end();
        }
        return reply;
      } finally {
        for (const t of timers) clearTimeout(t);
        unsubscribe();
        const left = (streams.get(principal.keyId) ?? 1) - 1;
        if (left > 0) streams.set(principal.keyId, left);
        else streams.delete(principal.keyId);
      }
    },
  );
};

export default jobs;
