import { useState } from 'preact/hooks';
import type { Ctx } from '../App.tsx';
import type { ProblemInput } from '../plan-view.ts';

/** The changes of a re-plan (docs/problem-format.md, "Re-planning during the day"), as the API takes them. */
/** A time as the API reads it: a number in the problem's unit, or a local date-time of a plan with a calendar. */
type Time = number | string;

export interface Changes {
  now?: Time;
  absentNurses?: { nurse: string; from?: Time }[];
  newVisits?: object[];
  cancelledVisits?: string[];
  overruns?: { visit: string; end: Time }[];
  pins?: { visit: string; nurse: string }[];
}

/**
 * The events of a day: a nurse absent from a time, an urgent visit, a cancelled visit, a visit
 * that overruns; and the visits dragged onto another nurse (pins). Each form sends one re-plan.
 */
export function Replan(props: {
  ctx: Ctx;
  problem: ProblemInput;
  /** A plan of several days: its dates (the events' times are on the chosen one). */
  days: string[];
  visitIds: string[];
  pins: Map<string, string>;
  busy: boolean;
  onReplan: (changes: Changes) => void;
  onPin: (visit: string, nurse: string) => void;
  onClearPins: () => void;
}) {
  const { t } = props.ctx;
  const [day, setDay] = useState(props.days[0] ?? '');
  /**
   * "HH:MM" as the API reads a time: on a plan of several days, the chosen day's local date-time;
   * else the time from the day's midnight in the problem's unit.
   */
  const minutes = (hhmm: string): Time => {
    if (props.days.length > 1) return `${day}T${hhmm}`;
    const [h, m] = hhmm.split(':').map(Number);
    return (h * 60 + m) * (props.problem.timeUnit === 'second' ? 60 : 1);
  };
  const nurses = props.problem.nurses.map((n) => n.id);
  const [absent, setAbsent] = useState({ nurse: nurses[0] ?? '', from: '12:00' });
  const [urgent, setUrgent] = useState({
    id: 'urgent-1',
    patient: '',
    lon: '',
    lat: '',
    duration: '30',
    start: '14:00',
    end: '17:00',
  });
  const [cancelled, setCancelled] = useState(props.visitIds[0] ?? '');
  const [overrun, setOverrun] = useState({ visit: props.visitIds[0] ?? '', end: '12:00' });
  const [give, setGive] = useState({ visit: props.visitIds[0] ?? '', nurse: nurses[0] ?? '' });
  const pins = [...props.pins].map(([visit, nurse]) => ({ visit, nurse }));
  const send = (e: Event, changes: Changes) => {
    e.preventDefault();
    props.onReplan(pins.length > 0 ? { ...changes, pins } : changes);
  };
  const input = (
    id: string,
    label: string,
    value: string,
    on: (v: string) => void,
    type = 'text',
    extra: { required?: boolean; min?: number; max?: number; step?: string } = {},
  ) => (
    <span class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        {...extra}
        onInput={(e) => on((e.target as HTMLInputElement).value)}
      />
    </span>
  );
  const select = (id: string, label: string, value: string, options: string[], on: (v: string) => void) => (
    <span class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => on((e.target as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </span>
  );
  return (
    <section class="card replan" aria-label={t('replan')}>
      <h2>{t('replan')}</h2>
      {props.days.length > 1 && select('replan-day', t('day'), day, props.days, setDay)}
      {pins.length > 0 && (
        <div class="pins">
          <strong>{t('pinned')}:</strong> {pins.map((p) => `${p.visit} → ${p.nurse}`).join(', ')}{' '}
          <button type="button" onClick={props.onClearPins} aria-label={t('cancel')}>
            ✕
          </button>{' '}
          <button type="button" class="primary" disabled={props.busy} onClick={(e) => send(e, {})}>
            {t('apply')}
          </button>
        </div>
      )}
      <form
        aria-label={t('moveTo')}
        onSubmit={(e) => {
          e.preventDefault();
          props.onPin(give.visit, give.nurse);
        }}
      >
        <h3>{t('moveTo')}</h3>
        {select('give-visit', t('visit'), give.visit, props.visitIds, (v) => setGive({ ...give, visit: v }))}
        {select('give-nurse', t('nurse'), give.nurse, nurses, (v) => setGive({ ...give, nurse: v }))}
        <button type="submit">{t('pin')}</button>
      </form>
      <form
        onSubmit={(e) => send(e, { absentNurses: [{ nurse: absent.nurse, from: minutes(absent.from) }] })}
        aria-label={t('absent')}
      >
        <h3>{t('absent')}</h3>
        {select('absent-nurse', t('nurse'), absent.nurse, nurses, (v) => setAbsent({ ...absent, nurse: v }))}
        {input('absent-from', t('from'), absent.from, (v) => setAbsent({ ...absent, from: v }), 'time')}
        <button type="submit" class="primary" disabled={props.busy}>
          {t('apply')}
        </button>
      </form>
      <form
        aria-label={t('urgent')}
        onSubmit={(e) =>
          send(e, {
            newVisits: [
              {
                id: urgent.id,
                ...(urgent.patient !== '' && { patient: urgent.patient }),
                location: { lon: Number(urgent.lon), lat: Number(urgent.lat) },
                duration: Number(urgent.duration) * (props.problem.timeUnit === 'second' ? 60 : 1),
                timeWindows: [{ start: minutes(urgent.start), end: minutes(urgent.end) }],
              },
            ],
          })
        }
      >
        <h3>{t('urgent')}</h3>
        {input('urgent-id', t('visit'), urgent.id, (v) => setUrgent({ ...urgent, id: v }), 'text', {
          required: true,
        })}
        {input('urgent-patient', t('patient'), urgent.patient, (v) => setUrgent({ ...urgent, patient: v }))}
        {input('urgent-lon', t('lon'), urgent.lon, (v) => setUrgent({ ...urgent, lon: v }), 'number', {
          required: true,
          min: -180,
          max: 180,
          step: 'any',
        })}
        {input('urgent-lat', t('lat'), urgent.lat, (v) => setUrgent({ ...urgent, lat: v }), 'number', {
          required: true,
          min: -90,
          max: 90,
          step: 'any',
        })}
        {input(
          'urgent-duration',
          t('duration'),
          urgent.duration,
          (v) => setUrgent({ ...urgent, duration: v }),
          'number',
        )}
        {input(
          'urgent-start',
          t('windowStart'),
          urgent.start,
          (v) => setUrgent({ ...urgent, start: v }),
          'time',
        )}
        {input('urgent-end', t('windowEnd'), urgent.end, (v) => setUrgent({ ...urgent, end: v }), 'time')}
        <button type="submit" class="primary" disabled={props.busy}>
          {t('apply')}
        </button>
      </form>
      <form aria-label={t('cancelVisit')} onSubmit={(e) => send(e, { cancelledVisits: [cancelled] })}>
        <h3>{t('cancelVisit')}</h3>
        {select('cancel-visit', t('visit'), cancelled, props.visitIds, setCancelled)}
        <button type="submit" class="primary" disabled={props.busy}>
          {t('apply')}
        </button>
      </form>
      <form
        aria-label={t('overrun')}
        onSubmit={(e) => send(e, { overruns: [{ visit: overrun.visit, end: minutes(overrun.end) }] })}
      >
        <h3>{t('overrun')}</h3>
        {select('overrun-visit', t('visit'), overrun.visit, props.visitIds, (v) =>
          setOverrun({ ...overrun, visit: v }),
        )}
        {input('overrun-end', t('endsAt'), overrun.end, (v) => setOverrun({ ...overrun, end: v }), 'time')}
        <button type="submit" class="primary" disabled={props.busy}>
          {t('apply')}
        </button>
      </form>
    </section>
  );
}
