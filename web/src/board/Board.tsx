import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, type JobView } from '../api.ts';
import type { Ctx } from '../App.tsx';
import {
  boardRows,
  clock,
  figures,
  minutesPerUnit,
  nurseColour,
  type Figures,
  type Plan,
  type PlanChanges,
  type ProblemInput,
} from '../plan-view.ts';
import { Progress } from './Progress.tsx';
import { RouteMap } from './RouteMap.tsx';
import { type Changes, Replan } from './Replan.tsx';
import { Timeline } from './Timeline.tsx';

interface VersionView {
  planId: string;
  version: number;
  status: string;
  problem: number;
  plan: Plan;
  changes?: PlanChanges;
}
interface PlanView extends Partial<VersionView> {
  versions: number;
  job: JobView | null;
}

const DOWNLOADS = [
  { label: 'JSON', accept: 'application/json', ext: 'json' },
  { label: 'CSV', accept: 'text/csv', ext: 'csv' },
  { label: 'GeoJSON', accept: 'application/geo+json', ext: 'geojson' },
  { label: 'SVG', accept: 'image/svg+xml', ext: 'svg' },
];

/**
 * The coordinator's board for a plan: the figures, a row per nurse-day, the left-out visits with
 * their reasons and suggestions, the map, the re-plan events, the version history and a second
 * version side by side. A running job shows its live progress; its version then replaces the view.
 */
export function Board({ ctx, planId, jobId }: { ctx: Ctx; planId: string; jobId?: string }) {
  const { t } = ctx;
  const [head, setHead] = useState<PlanView | null>(null);
  const [shown, setShown] = useState<VersionView | null>(null);
  const [other, setOther] = useState<VersionView | null>(null);
  const [problem, setProblem] = useState<ProblemInput | null>(null);
  const [job, setJob] = useState<string | null>(jobId ?? null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [pins, setPins] = useState<Map<string, string>>(new Map());
  const base = `/v1/plans/${encodeURIComponent(planId)}`;

  const load = async (n?: number) => {
    try {
      const h = await api<PlanView>(base);
      setHead(h);
      if (h.job !== null && !['completed', 'failed', 'cancelled'].includes(h.job.state)) setJob(h.job.id);
      const latest = h.version ?? null;
      if (latest === null) return;
      const v =
        n === undefined || n === latest
          ? (h as VersionView)
          : await api<VersionView>(`${base}/versions/${n}`);
      setShown(v);
      setProblem(await api<ProblemInput>(`${base}/problems/${v.problem}`));
    } catch (e) {
      setError(e instanceof ApiError ? e.describe() : String(e));
    }
  };
  useEffect(() => void load(), [planId]);

  const rows = useMemo(() => (problem && shown ? boardRows(problem, shown.plan) : []), [problem, shown]);
  const colours = useMemo(
    () => new Map((problem?.nurses ?? []).map((n, k) => [n.id, nurseColour(k)])),
    [problem],
  );
  const fig = useMemo(
    () => (problem && shown ? figures(problem, shown.plan, rows) : null),
    [problem, shown, rows],
  );
  const highlight = useMemo(
    () =>
      new Set<string>([
        ...(shown?.changes?.moved ?? []).map((m) => m.visit),
        ...(shown?.changes?.retimed ?? []).map((r) => r.visit),
        ...(shown?.changes?.added ?? []),
      ]),
    [shown],
  );

  const replan = async (changes: Changes) => {
    setError(null);
    // On a plan whose days hold today, `now` is the clock: what has begun stays as it is.
    // The clock in the plan's time zone, as the API reads its local date-times.
    const zone = shown?.plan.calendar?.timeZone;
    const parts = new Intl.DateTimeFormat('en-CA', {
      ...(zone !== undefined && { timeZone: zone }),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date());
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
    const today = `${part('year')}-${part('month')}-${part('day')}`;
    const hhmm = `${part('hour')}:${part('minute')}`;
    const days = shown === null ? [] : planDays(shown.plan);
    const holdsToday = shown?.plan.calendar?.start === today || days.includes(today);
    const withNow =
      holdsToday && changes.now === undefined ? { ...changes, now: `${today}T${hhmm}` } : changes;
    try {
      const r = await api<{ jobId: string }>(`${base}/reoptimize?timeLimit=5`, {
        method: 'POST',
        body: withNow,
      });
      setPins(new Map());
      setJob(r.jobId);
    } catch (e) {
      setError(e instanceof ApiError ? e.describe() : String(e));
    }
  };

  /** A visit given to a nurse (dragged, or the form): pinned for the next re-plan, unless she may not do it. */
  const give = (visit: string, nurse: string) => {
    const why = problem === null ? null : cannotDo(problem, visit, nurse);
    if (why !== null) return setError(why);
    setError(null);
    setPins(new Map(pins).set(visit, nurse));
  };

  const download = async (d: (typeof DOWNLOADS)[number]) => {
    try {
      const url = shown === null ? base : `${base}/versions/${shown.version}`;
      const body = await api<unknown>(url, { accept: d.accept });
      const blob = new Blob([typeof body === 'string' ? body : JSON.stringify(body, null, 2)], {
        type: d.accept,
      });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `plan-${planId.slice(0, 8)}-v${shown?.version ?? 0}.${d.ext}`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setError(e instanceof ApiError ? e.describe() : String(e));
    }
  };

  const compare = async (n: number | null) => {
    if (n === null) return setOther(null);
    setOther(await api<VersionView>(`${base}/versions/${n}`));
  };

  const versions = Array.from({ length: head?.versions ?? 0 }, (_, i) => i + 1);
  const visitIds = problem?.visits.map((v) => v.id) ?? [];
  const fmt = (x: number) =>
    Math.round(x * minutesPerUnit(problem ?? { nurses: [], visits: [] })).toLocaleString(ctx.lang);
  return (
    <div class="board">
      <div class="board-head">
        <h1>
          {t('board')} <span class="muted small">{planId.slice(0, 8)}</span>
        </h1>
        {versions.length > 0 && (
          <VersionSelect
            label={t('version')}
            value={shown?.version ?? null}
            versions={versions}
            onPick={(n) => void load(n ?? undefined)}
          />
        )}
        {versions.length > 1 && (
          <VersionSelect
            label={t('compare')}
            value={other?.version ?? null}
            versions={versions}
            none
            onPick={(n) => void compare(n)}
          />
        )}
        <span class="downloads">
          {t('download')}:{' '}
          {DOWNLOADS.map((d) => (
            <button type="button" key={d.ext} onClick={() => void download(d)}>
              {d.label}
            </button>
          ))}
        </span>
      </div>
      {error !== null && (
        <pre role="alert" class="error">
          {error}
        </pre>
      )}
      {job !== null && (
        <Progress
          ctx={ctx}
          jobId={job}
          onDone={(j) => {
            setJob(null);
            if (j.state === 'failed') setError(`${t('failed')}: ${j.error ?? ''}`);
            void load();
          }}
        />
      )}
      {fig !== null && (
        <dl class="figures" aria-label="figures">
          <div>
            <dt>{t('travel')}</dt>
            <dd data-testid="fig-travel">
              {fmt(fig.travel)} {t('minutes')}
            </dd>
          </div>
          <div>
            <dt>{t('overtime')}</dt>
            <dd>
              {fmt(fig.overtime)} {t('minutes')}
            </dd>
          </div>
          <div>
            <dt>{t('leftOut')}</dt>
            <dd data-testid="fig-left-out">{fig.leftOut}</dd>
          </div>
          <div>
            <dt>{t('continuity')}</dt>
            <dd>{fig.continuity.toFixed(2)}</dd>
          </div>
          <div>
            <dt>{t('onTime')}</dt>
            <dd>{Math.round(fig.onTime * 100)} %</dd>
          </div>
          <div>
            <dt>{t('version')}</dt>
            <dd data-testid="version">{shown?.version}</dd>
          </div>
        </dl>
      )}
      {shown?.changes !== undefined && (
        <p class="changes card" data-testid="changes">
          <strong>{t('changes')}:</strong> {shown.changes.moved.length} {t('moved')},{' '}
          {shown.changes.retimed.length} {t('retimed')}, {shown.changes.added.length} {t('added')},{' '}
          {shown.changes.removed.length} {t('removed')}
          {shown.changes.moved.length > 0 && (
            <span class="muted">
              {' '}
              ({shown.changes.moved.map((m) => `${m.visit}: ${m.from} → ${m.to}`).join(', ')})
            </span>
          )}
          {problem !== null && shown.changes.retimed.length > 0 && (
            <span class="muted">
              {' '}
              ·{' '}
              {shown.changes.retimed
                .slice(0, 8)
                .map((r) => `${r.visit} ${clock(r.from, problem)}→${clock(r.to, problem)}`)
                .join(', ')}
              {shown.changes.retimed.length > 8 && ' …'}
            </span>
          )}
        </p>
      )}
      {problem !== null && shown !== null && (
        <div class="board-grid">
          <div class="board-main">
            <Timeline
              ctx={ctx}
              problem={problem}
              rows={rows}
              colours={colours}
              selected={selected}
              onSelect={setSelected}
              highlight={highlight}
              pins={pins}
              onGive={give}
            />
            <section class="card" aria-label={t('unassigned')}>
              <h2>
                {t('unassigned')} ({shown.plan.unassigned.length})
              </h2>
              {shown.plan.unassigned.length === 0 ? (
                <p>{t('noneLeftOut')}</p>
              ) : (
                <ul class="unassigned">
                  {shown.plan.unassigned.map((u) => (
                    <li key={u.visit}>
                      <strong>{u.visit}</strong> — {u.message}
                      {(u.suggestions ?? []).length > 0 && (
                        <ul>
                          {u.suggestions!.map((s, i) => (
                            <li key={i} class="muted">
                              {s.message}
                            </li>
                          ))}
                        </ul>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {other !== null && (
              <section class="card" aria-label={`${t('version')} ${other.version}`}>
                <h2>
                  {t('version')} {other.version}
                </h2>
                {fig !== null && (
                  <CompareFigures
                    ctx={ctx}
                    a={{ n: shown.version, f: fig }}
                    b={{ n: other.version, f: figures(problem, other.plan, boardRows(problem, other.plan)) }}
                    scale={minutesPerUnit(problem)}
                  />
                )}
                <Timeline
                  ctx={ctx}
                  problem={problem}
                  rows={boardRows(problem, other.plan)}
                  colours={colours}
                  selected={selected}
                  onSelect={setSelected}
                  highlight={new Set()}
                  pins={new Map()}
                  onGive={() => undefined}
                />
              </section>
            )}
          </div>
          <div class="board-side">
            <RouteMap
              ctx={ctx}
              problem={problem}
              plan={shown.plan}
              colours={colours}
              selected={selected}
              onSelect={setSelected}
            />
            <Replan
              ctx={ctx}
              problem={problem}
              days={planDays(shown.plan)}
              visitIds={visitIds}
              pins={pins}
              busy={job !== null}
              onReplan={(c) => void replan(c)}
              onPin={give}
              onClearPins={() => setPins(new Map())}
            />
          </div>
        </div>
      )}
      {head !== null && shown === null && job === null && error === null && <p>{t('loading')}</p>}
    </div>
  );
}

/** Two versions' figures side by side, with the difference. */
function CompareFigures(props: {
  ctx: Ctx;
  a: { n: number; f: Figures };
  b: { n: number; f: Figures };
  scale: number;
}) {
  const { t } = props.ctx;
  const { a, b, scale } = props;
  const rows: [string, (f: Figures) => number, number][] = [
    [`${t('travel')} (${t('minutes')})`, (f) => f.travel * scale, 0],
    [`${t('overtime')} (${t('minutes')})`, (f) => f.overtime * scale, 0],
    [t('leftOut'), (f) => f.leftOut, 0],
    [t('continuity'), (f) => f.continuity, 2],
    [`${t('onTime')} (%)`, (f) => f.onTime * 100, 0],
  ];
  return (
    <table class="compare">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">
            {t('version')} {a.n}
          </th>
          <th scope="col">
            {t('version')} {b.n}
          </th>
          <th scope="col">Δ</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, get, digits]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{get(a.f).toFixed(digits)}</td>
            <td>{get(b.f).toFixed(digits)}</td>
            <td>{(get(b.f) - get(a.f)).toFixed(digits)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The dates of a plan of several days (its calendar's), else none. */
function planDays(plan: Plan): string[] {
  const c = plan.calendar;
  if (c === undefined || c.days <= 1) return [];
  const start = new Date(`${c.start}T12:00:00Z`);
  return Array.from({ length: c.days }, (_, k) =>
    new Date(start.getTime() + k * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Why a nurse may not do a visit (skills, the patient's refusal, another nurse required), or null. */
function cannotDo(problem: ProblemInput, visitId: string, nurseId: string): string | null {
  const visit = problem.visits.find((v) => v.id === visitId);
  const nurse = problem.nurses.find((n) => n.id === nurseId);
  if (visit === undefined || nurse === undefined) return null;
  const missing = (visit.skills ?? []).filter((k) => !(nurse.skills ?? []).includes(k));
  if (missing.length > 0) return `${nurseId} lacks the skills ${missing.join(', ')} that ${visitId} needs`;
  if ((visit.excludedNurses ?? []).includes(nurseId)) return `the patient of ${visitId} refused ${nurseId}`;
  if (visit.requiredNurse !== undefined && visit.requiredNurse !== nurseId)
    return `only ${visit.requiredNurse} may do ${visitId}`;
  return null;
}

/** A choice of a plan's versions (`none`: also "—", no version). */
function VersionSelect(props: {
  label: string;
  value: number | null;
  versions: number[];
  none?: boolean;
  onPick: (n: number | null) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select
        value={props.value ?? ''}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          props.onPick(v === '' ? null : Number(v));
        }}
      >
        {props.none === true && <option value="">—</option>}
        {props.versions.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
