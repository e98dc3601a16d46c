import { useState } from 'preact/hooks';
import type { Ctx } from '../App.tsx';
import { clock, minutesPerUnit, type ProblemInput, type Row, type Segment } from '../plan-view.ts';

const KIND_WORD = {
  travel: 'travel',
  care: 'care',
  waiting: 'waiting',
  break: 'breakTime',
  overtime: 'overtime',
} as const;

/**
 * The board's rows: one per nurse-day, her travel, care, waiting, breaks and overtime on a
 * common clock axis. Every visit is a focusable button whose label says the patient, the times
 * and the windows; visits may be dragged onto another nurse's row (or given to her with the
 * keyboard: `onGive`), which pins them there for the next re-plan.
 */
export function Timeline(props: {
  ctx: Ctx;
  problem: ProblemInput;
  rows: Row[];
  colours: Map<string, string>;
  selected: string | null;
  onSelect: (nurse: string | null) => void;
  highlight: Set<string>;
  onGive: (visit: string, nurse: string) => void;
  pins: Map<string, string>;
}) {
  const { ctx, problem, rows } = props;
  const { t } = ctx;
  // The visit under the pointer or the keyboard's focus, written out under the rows.
  const [detail, setDetail] = useState<string | null>(null);
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  // Minutes from the row's own midnight: a plan of several days is drawn on one day's clock.
  const m = minutesPerUnit(problem);
  const midnight = (x: number) => Math.floor(x / 1440) * 1440;
  const within = (r: Row, x: number) => x * m - midnight(r.route.departure * m);
  const starts = rows.map((r) => within(r, Math.min(r.route.departure, r.shift?.start ?? r.route.departure)));
  const ends = rows.map((r) => within(r, Math.max(r.route.return, r.shift?.end ?? r.route.return)));
  const lo = rows.length > 0 ? Math.floor(Math.min(...starts) / 60) * 60 : 480;
  const hi = rows.length > 0 ? Math.ceil(Math.max(...ends, lo + 60) / 60) * 60 : lo + 600;
  const pct = (r: Row, x: number) => `${((within(r, x) - lo) / (hi - lo)) * 100}%`;
  const width = (a: number, b: number) => `${(((b - a) * m) / (hi - lo)) * 100}%`;
  const hours: number[] = [];
  for (let h = lo; h <= hi; h += 60) hours.push(h);
  const windowText = (id: string) =>
    (visits.get(id)?.timeWindows ?? [])
      .map((w) => `${clock(w.start, problem)}–${clock(w.end, problem)}`)
      .join(', ');
  const label = (s: Segment) => {
    if (s.visit === undefined || s.kind !== 'care')
      return `${t(KIND_WORD[s.kind])} ${clock(s.from, problem)}–${clock(s.to, problem)}`;
    const v = visits.get(s.visit);
    return `${t('visit')} ${s.visit} · ${t('patient')} ${v?.patient ?? s.visit} · ${clock(s.from, problem)}–${clock(s.to, problem)} · ${t('window')} ${windowText(s.visit) || '—'}${v?.address ? ` · ${v.address}` : ''}`;
  };
  return (
    <section class="card timeline" aria-label={t('routes')}>
      <p class="muted small">{t('dragHint')}</p>
      <div class="axis" aria-hidden="true">
        <div class="row-label" />
        <div class="track">
          {hours.map((h) => (
            <span key={h} class="tick" style={{ left: `${((h - lo) / (hi - lo)) * 100}%` }}>
              {clock(h, { ...problem, timeUnit: 'minute' })}
            </span>
          ))}
        </div>
      </div>
      {rows.map((r) => {
        const key = `${r.nurse}|${r.date ?? ''}`;
        return (
          <div
            key={key}
            class={`row${props.selected === r.nurse ? ' selected' : ''}`}
            data-nurse={r.nurse}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const visit = e.dataTransfer?.getData('text/plain');
              if (visit) props.onGive(visit, r.nurse);
            }}
          >
            <button
              type="button"
              class="row-label"
              aria-pressed={props.selected === r.nurse}
              onClick={() => props.onSelect(props.selected === r.nurse ? null : r.nurse)}
            >
              <span class="swatch" style={{ background: props.colours.get(r.nurse) }} aria-hidden="true" />
              {r.nurse}
              {r.date !== undefined && <span class="muted small"> {r.date}</span>}
            </button>
            <div class="track">
              {r.shift !== undefined && (
                <span
                  class="shift"
                  style={{ left: pct(r, r.shift.start), width: width(r.shift.start, r.shift.end) }}
                  aria-hidden="true"
                />
              )}
              {r.segments.map((s, i) =>
                s.kind === 'care' ? (
                  <button
                    type="button"
                    key={i}
                    class={`seg care${props.highlight.has(s.visit!) ? ' changed' : ''}${props.pins.has(s.visit!) ? ' pinned' : ''}`}
                    style={{
                      left: pct(r, s.from),
                      width: width(s.from, s.to),
                      background: props.colours.get(r.nurse),
                    }}
                    draggable
                    data-visit={s.visit}
                    title={label(s)}
                    aria-label={`${label(s)}${props.highlight.has(s.visit!) ? ` · ${t('changedMark')}` : ''}${props.pins.has(s.visit!) ? ` · ${t('pinned')} → ${props.pins.get(s.visit!)}` : ''}`}
                    onDragStart={(e) => e.dataTransfer?.setData('text/plain', s.visit!)}
                    onFocus={() => setDetail(label(s))}
                    onMouseEnter={() => setDetail(label(s))}
                    onClick={() => props.onSelect(r.nurse)}
                  />
                ) : (
                  <span
                    key={i}
                    class={`seg ${s.kind}`}
                    style={{ left: pct(r, s.from), width: width(s.from, s.to) }}
                    title={label(s)}
                  />
                ),
              )}
            </div>
          </div>
        );
      })}
      <p class="detail small" aria-hidden="true">
        {detail ?? '\u00a0'}
      </p>
      <ul class="legend" aria-label="legend">
        {(['travel', 'care', 'waiting', 'break', 'overtime'] as const).map((k) => (
          <li key={k}>
            <span class={`seg-key ${k}`} aria-hidden="true" /> {t(KIND_WORD[k])}
          </li>
        ))}
      </ul>
    </section>
  );
}
