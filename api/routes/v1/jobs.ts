import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cancelJob, FINAL_STATES, findJob } from '../../../service/jobs.ts';
import { isSolveProgress } from '../../../service/solve-queue.ts';
import { COORDINATOR_ONLY, principalOfRequest } from '../../plugins/auth.ts';
import { JobParams, NoQuery } from '../../schemas.ts';
import { jobView, type JobView } from '../../views/job-view.ts';

/** Jobs: state and progress, server-sent events until done, and cancellation. */
const jobs: FastifyPluginAsyncTypebox = async (app) => {
  const { events, limits } = app.deps;
  /** Open event streams per API key in this process. */
  const streams = new Map<string, number>();

  app.get(
    '/jobs/:id',
    { schema: { params: JobParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const job = await findJob(app.deps, principalOfRequest(request).tenant, request.params.id);
      if (job === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
      return jobView(job);
    },
  );

  app.delete(
    '/jobs/:id',
    { schema: { params: JobParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const job = await findJob(app.deps, principalOfRequest(request).tenant, request.params.id);
      if (job === null) return reply.code(404).send({ error: 'E_NOT_FOUND', message: 'no such job' });
      // A running job: the worker running it stops the solver; the best plan so far is kept, marked cancelled.
      const cancelled = await cancelJob(job, app.deps.cancel);
      if (cancelled.outcome === 'finished')
        return reply
          .code(409)
          .send({ error: 'E_FINISHED', message: `the job is already ${cancelled.state}` });
      if (cancelled.outcome === 'cancelling')
        return reply.code(202).send({ id: String(job.id), state: 'cancelling' });
      return reply.code(200).send({ id: String(job.id), state: 'cancelled' });
    },
  );

  /**
   * Server-sent events: 'progress' with the job's view at each change, then 'done' at its end,
   * pushed from the queue's events (no polling); at most HHC_SSE_PER_KEY streams per key, each
   * closed after HHC_SSE_MAX_SECONDS with an 'expired' event (reconnect to go on).
   */
  app.get(
    '/jobs/:id/events',
    { schema: { params: JobParams, querystring: NoQuery }, config: COORDINATOR_ONLY },
    async (request, reply) => {
      const principal = principalOfRequest(request);
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
          const progress = isSolveProgress(e.progress) ? e.progress : null;
          current = { ...current, progress, bestCost: progress?.bestCost ?? current.bestCost };
        } else current = { ...current, state: e.state };
        dirty = true;
        wake();
      });
      const timers: NodeJS.Timeout[] = [];
      try {
        const first = await findJob(app.deps, principal.tenant, id);
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
              const job = await findJob(app.deps, principal.tenant, id).catch(() => undefined);
              if (job === null) current = { ...current, state: 'removed' };
              else if (job !== undefined) current = await jobView(job);
              dirty = true;
            }
            if (dirty) {
              dirty = false;
              const text = JSON.stringify(current);
              if (text !== last) {
                last = text;
                const done = FINAL_STATES.has(current.state);
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
