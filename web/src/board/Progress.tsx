import { useEffect, useState } from 'preact/hooks';
import { api, followJob, type JobView } from '../api.ts';
import type { Ctx } from '../App.tsx';

const FINAL = new Set(['completed', 'failed', 'cancelled', 'removed']);

/**
 * A running job's live progress (server-sent events) with a cancel button; calls `onDone` once
 * it ends. A stream that closes before the end (it expires after 15 min, a proxy cuts it) is
 * followed again after asking the job's state. Only the job's state is announced to screen
 * readers, not every improvement.
 */
export function Progress({
  ctx,
  jobId,
  onDone,
}: {
  ctx: Ctx;
  jobId: string;
  onDone: (job: Partial<JobView>) => void;
}) {
  const { t } = ctx;
  const [job, setJob] = useState<Partial<JobView>>({ state: 'waiting' });
  useEffect(() => {
    const abort = new AbortController();
    let ended = false;
    const end = (j: Partial<JobView>) => {
      if (ended) return;
      ended = true;
      onDone(j);
    };
    void (async () => {
      while (!ended && !abort.signal.aborted) {
        await followJob(
          jobId,
          (e) => {
            if (e.type === 'expired') return;
            setJob(e.data);
            if (e.type === 'done') end(e.data);
          },
          abort.signal,
        ).catch(() => undefined);
        if (ended || abort.signal.aborted) return;
        const j = await api<JobView>(`/v1/jobs/${encodeURIComponent(jobId)}`).catch(() => null);
        if (j !== null && FINAL.has(j.state)) return end(j);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    return () => abort.abort();
  }, [jobId]);
  const cancel = () =>
    void api(`/v1/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' }).catch(() => undefined);
  const p = job.progress;
  return (
    <div class="progress card">
      <strong role="status">
        {t('solving')} <span class="muted">({job.state})</span>
      </strong>{' '}
      {p != null && (
        <span>
          {t('iteration')} {p.iteration.toLocaleString(ctx.lang)} · {t('bestCost')}{' '}
          <span data-testid="best-cost">{p.bestCost.toFixed(1)}</span>
        </span>
      )}{' '}
      <progress aria-label={t('solving')} />
      <button type="button" onClick={cancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
