import { useEffect, useState } from 'preact/hooks';
import { api, followJob, type JobView } from '../api.ts';
import type { Ctx } from '../App.tsx';

/** A running job's live progress (server-sent events) with a cancel button; calls `onDone` once it ends. */
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
    followJob(
      jobId,
      (e) => {
        setJob(e.data);
        if (e.type === 'done') end(e.data);
      },
      abort.signal,
    ).catch(async () => {
      // The stream failed (a proxy, the network): ask once for the job's state.
      if (abort.signal.aborted) return;
      const j = await api<JobView>(`/v1/jobs/${encodeURIComponent(jobId)}`).catch(() => null);
      if (j !== null && ['completed', 'failed', 'cancelled'].includes(j.state)) end(j);
    });
    return () => abort.abort();
  }, [jobId]);
  const cancel = () =>
    void api(`/v1/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' }).catch(() => undefined);
  const p = job.progress;
  return (
    <div class="progress card" role="status" aria-live="polite">
      <strong>{t('solving')}</strong>{' '}
      {p != null ? (
        <span>
          {t('iteration')} {p.iteration.toLocaleString(ctx.lang)} · {t('bestCost')}{' '}
          <span data-testid="best-cost">{p.bestCost.toFixed(1)}</span>
        </span>
      ) : (
        <span class="muted">{job.state}</span>
      )}{' '}
      <progress aria-label={t('solving')} />
      <button type="button" onClick={cancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
