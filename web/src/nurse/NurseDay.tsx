import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import type { Ctx } from '../App.tsx';

/** The API's view of a nurse's day (api/views/nurse-route.ts), as this page reads it. */
interface DayView {
  planId: string;
  version: number;
  nurse: string;
  date?: string;
  routing: 'osrm' | 'straight-line';
  note?: string;
  departureClock?: string;
  returnClock?: string;
  stops: {
    order: number;
    visit: string;
    patient?: string;
    address?: string;
    notes?: string;
    location: { lon?: number; lat?: number };
    clock?: { arrival: string; start: string; end: string };
    start: number;
    end: number;
  }[];
  legs: { from: string; to: string; distance: number; duration?: number; instructions?: string[] }[];
}

interface Saved {
  view: DayView;
  /** When this page last had it from the service (ISO). */
  fetchedAt: string;
}

/** Where her last day is kept: per tenant and nurse, so that a shared phone never shows another's. */
const savedKey = (me: { tenant: string; nurse?: string }) => `hhc.nurse-day:${me.tenant}:${me.nurse ?? ''}`;

/** Forgets every saved day (signing out, a refused key). */
export function forgetSavedDays(): void {
  for (const k of Object.keys(localStorage)) if (k.startsWith('hhc.nurse-day')) localStorage.removeItem(k);
}

/**
 * A nurse's day on her phone: her stops in clock time with the address, notes, the way there (the
 * legs' distance and, with a routing service, the turn-by-turn text) and a link to her navigation
 * app. Kept in the phone (localStorage) each time it loads; offline, or when the service fails,
 * the page shows the saved day and says so, with when it was last updated. The service worker
 * keeps the page itself, so a reload offline still opens it.
 */
export function NurseDay({ ctx }: { ctx: Ctx }) {
  const { t } = ctx;
  const SAVED = savedKey(ctx.me);
  const [saved, setSaved] = useState<Saved | null>(() => {
    const s = localStorage.getItem(SAVED);
    return s === null ? null : (JSON.parse(s) as Saved);
  });
  const [stale, setStale] = useState(false);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    const date = new Date().toLocaleDateString('en-CA');
    const nurse = ctx.me.nurse ?? '';
    api<DayView>(`/v1/nurses/${encodeURIComponent(nurse)}/route?date=${date}&lang=${ctx.lang}`)
      .then((view) => {
        const entry = { view, fetchedAt: new Date().toISOString() };
        localStorage.setItem(SAVED, JSON.stringify(entry));
        setSaved(entry);
        setStale(false);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) {
          localStorage.removeItem(SAVED);
          setSaved(null);
          setMissing(true);
        } else setStale(true);
      });
  }, [ctx.lang]);

  if (saved === null)
    return <p class="card">{missing ? t('noDay') : stale ? t('offlineOld') : t('loading')}</p>;
  const { view } = saved;
  return (
    <article class="nurse-day" aria-label={t('myDay')}>
      <h1>
        {t('myDay')} · {view.nurse} {view.date !== undefined && <span class="muted small">{view.date}</span>}
      </h1>
      <p class="muted small" data-testid="updated">
        {t('lastUpdated')} {new Date(saved.fetchedAt).toLocaleString(ctx.lang)} · {t('version')}{' '}
        {view.version}
      </p>
      {stale && (
        <p role="status" class="warning" data-testid="offline">
          {t('offlineOld')}
        </p>
      )}
      <ol class="stops">
        {view.stops.map((s, k) => {
          const leg = view.legs[k];
          const nav =
            s.location.lon !== undefined
              ? `https://www.google.com/maps/dir/?api=1&destination=${s.location.lat},${s.location.lon}`
              : undefined;
          return (
            <li key={s.visit} class="stop card">
              <div class="stop-time">
                <strong>{s.clock?.start ?? s.start}</strong>
                <span class="muted small">–{s.clock?.end ?? s.end}</span>
              </div>
              <div>
                <h2>{s.patient ?? s.visit}</h2>
                {s.address !== undefined && (
                  <p>
                    <span class="sr-only">{t('address')}: </span>
                    {s.address}
                  </p>
                )}
                {s.notes !== undefined && (
                  <p class="notes">
                    <strong>{t('notes')}:</strong> {s.notes}
                  </p>
                )}
                {leg !== undefined && (
                  <details>
                    <summary>
                      {t('directions')} · {(leg.distance / 1000).toFixed(1)} {t('km')}
                      {leg.duration !== undefined && ` · ${Math.round(leg.duration / 60)} ${t('minutes')}`}
                    </summary>
                    {(leg.instructions ?? []).length > 0 ? (
                      <ol>
                        {leg.instructions!.map((x, i) => (
                          <li key={i}>{x}</li>
                        ))}
                      </ol>
                    ) : (
                      view.note !== undefined && <p class="muted small">{view.note}</p>
                    )}
                  </details>
                )}
                {nav !== undefined && (
                  <a class="button" href={nav} target="_blank" rel="noopener">
                    {t('navigate')}
                  </a>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </article>
  );
}
