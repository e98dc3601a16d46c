import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.ts';
import type { Ctx } from './App.tsx';

interface PlanItem {
  planId: string;
  createdAt: string;
  versions: number;
  day?: string;
}

/** The coordinator's start: her plans (newest first), and a day to upload and plan. */
export function Home({ ctx }: { ctx: Ctx }) {
  const { t } = ctx;
  const [plans, setPlans] = useState<PlanItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [base, setBase] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ plans: PlanItem[] }>('/v1/plans')
      .then((r) => {
        setPlans(r.plans);
        if (r.plans.length > 0) setBase(r.plans[0].planId);
      })
      .catch((e: unknown) => setError(String(e)));
  }, []);
  const csv = file !== null && /\.csv$/i.test(file.name);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    try {
      const text = await file.text();
      const url = `/v1/plans?timeLimit=10${csv ? `&base=${encodeURIComponent(base)}` : ''}`;
      const r = await api<{ planId: string; jobId: string }>(url, {
        method: 'POST',
        raw: { text, type: csv ? 'text/csv' : 'application/json' },
      });
      location.hash = `#/plans/${encodeURIComponent(r.planId)}?job=${encodeURIComponent(r.jobId)}`;
    } catch (err) {
      setError(err instanceof ApiError ? err.describe() : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="home">
      <section class="card">
        <h1>{t('plans')}</h1>
        {plans === null && error === null && <p>{t('loading')}</p>}
        {plans !== null && plans.length === 0 && <p>{t('noPlans')}</p>}
        {plans !== null && plans.length > 0 && (
          <ul class="plans">
            {plans.map((p) => (
              <li key={p.planId}>
                <a href={`#/plans/${encodeURIComponent(p.planId)}`}>
                  {p.day ?? new Date(p.createdAt).toLocaleString(ctx.lang)}
                </a>{' '}
                <span class="muted">
                  {p.versions} {t('versions')} · {p.planId.slice(0, 8)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form class="card" onSubmit={submit}>
        <h2>{t('newDay')}</h2>
        <label for="day-file">{t('uploadDay')}</label>
        <input
          id="day-file"
          type="file"
          accept=".json,.csv,application/json,text/csv"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
        />
        {csv && (
          <>
            <label for="base">{t('teamFrom')}</label>
            <select id="base" value={base} onChange={(e) => setBase((e.target as HTMLSelectElement).value)}>
              {(plans ?? []).map((p) => (
                <option key={p.planId} value={p.planId}>
                  {p.day ?? p.planId.slice(0, 8)}
                </option>
              ))}
            </select>
          </>
        )}
        {error !== null && (
          <pre role="alert" class="error">
            {error}
          </pre>
        )}
        <button type="submit" class="primary" disabled={file === null || busy}>
          {t('submit')}
        </button>
      </form>
    </div>
  );
}
