import { DateTime } from 'luxon';
import { Calendar } from '../calendar/calendar.ts';
import { InputError, type InputIssue } from '../model/errors.ts';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';

/**
 * HL7 FHIR R4 (docs/formats.md, "FHIR"): a plan as a Bundle of Appointment resources, with the
 * Patient, Practitioner and Location resources they refer to, and visits read back from such a
 * Bundle (proposed or booked Appointments). Exports are validated in tests against the official
 * FHIR R4 JSON schema.
 */

type Json = Record<string, unknown>;
const VISIT_SYSTEM = 'urn:hhc:visit';

/** A FHIR id ([A-Za-z0-9-.]{1,64}) for one of ours: other characters become '-', and a long one is cut with a hash. */
export function fhirId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9.-]/g, '-');
  if (clean.length <= 64) return clean;
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return `${clean.slice(0, 55)}-${h.toString(16)}`;
}

/**
 * The plan as a FHIR R4 Bundle (type collection): per stop a booked Appointment (start, end,
 * minutesDuration, the patient, the nurse and the place as participants, the visit's window as
 * requestedPeriod, its id as an identifier), per left-out visit a waitlisted one without a
 * nurse; the Patient, Practitioner and Location (with its position) resources they refer to.
 * FHIR times are instants: the problem needs a calendar (`date` or `horizon`), else E_UNSUPPORTED.
 */
export function planToFhir(problem: ProblemInput, plan: Plan): Json {
  const calendar = Calendar.of(problem);
  if (calendar === null)
    throw new InputError([
      {
        code: 'E_UNSUPPORTED',
        where: '/date',
        message: 'FHIR times are instants: the problem needs a date or a horizon',
      },
    ]);
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const entries: Json[] = [];
  /** Whole minutes (at least one) of a time in the problem's unit. */
  const minutes = (t: number) => Math.max(1, Math.round(problem.timeUnit === 'second' ? t / 60 : t));
  const patients = new Set<string>();
  const nurses = new Set<string>();
  const appointment = (v: VisitInput, stop: { nurse: string; start: number; end: number } | null): Json => {
    const patient = v.patient ?? v.id;
    patients.add(patient);
    const window = v.timeWindows?.[0];
    const location = v.location as { lon?: number; lat?: number };
    entries.push({
      resource: {
        resourceType: 'Location',
        id: fhirId(`loc-${v.id}`),
        ...(v.address !== undefined && { address: { text: v.address } }),
        ...(location.lon !== undefined && { position: { longitude: location.lon, latitude: location.lat } }),
      },
    });
    return {
      resourceType: 'Appointment',
      id: fhirId(v.id),
      identifier: [{ system: VISIT_SYSTEM, value: v.id }],
      status: stop === null ? 'waitlist' : 'booked',
      ...(v.notes !== undefined && { description: v.notes }),
      ...(stop !== null && {
        start: calendar.format(stop.start),
        end: calendar.format(stop.end),
        minutesDuration: minutes(stop.end - stop.start),
      }),
      ...(stop === null &&
        v.duration !== undefined && {
          minutesDuration: minutes(v.duration),
        }),
      ...(window !== undefined && {
        requestedPeriod: [{ start: calendar.format(window.start), end: calendar.format(window.end) }],
      }),
      participant: [
        { actor: { reference: `Patient/${fhirId(patient)}` }, status: 'accepted' },
        ...(stop === null
          ? []
          : [{ actor: { reference: `Practitioner/${fhirId(stop.nurse)}` }, status: 'accepted' }]),
        { actor: { reference: `Location/${fhirId(`loc-${v.id}`)}` }, status: 'accepted' },
      ],
    };
  };
  for (const route of plan.routes)
    for (const s of route.stops) {
      const v = visits.get(s.visit);
      if (v === undefined) continue;
      nurses.add(route.vehicle);
      entries.push({ resource: appointment(v, { nurse: route.vehicle, start: s.start, end: s.end }) });
    }
  for (const u of plan.unassigned) {
    const v = visits.get(u.visit);
    if (v !== undefined) entries.push({ resource: appointment(v, null) });
  }
  const party = (resourceType: string, system: string) => (id: string) =>
    entries.push({ resource: { resourceType, id: fhirId(id), identifier: [{ system, value: id }] } });
  patients.forEach(party('Patient', 'urn:hhc:patient'));
  nurses.forEach(party('Practitioner', 'urn:hhc:nurse'));
  return { resourceType: 'Bundle', type: 'collection', entry: entries };
}

/**
 * Visits from a FHIR Bundle (docs/formats.md, "FHIR R4", field by field):
 * - each Appointment proposed, pending, booked or waitlisted: its id (our identifier, else the
 *   resource's), its patient (the Patient participant's identifier or id), its place (the Location
 *   participant's position and address), its duration (minutesDuration, in the problem's unit),
 *   its window (requestedPeriod, as local date-times the problem's calendar reads), its notes
 *   (description); a proposed or pending one's Practitioner is the patient's usual nurse
 *   (preferredNurses; a booked one's is the plan's choice, not a rule);
 * - each ServiceRequest active or draft (an order for home care): its id, its patient (`subject`),
 *   its place (the first of `locationReference`), its duration (`occurrenceTiming.repeat.duration`
 *   with its `durationUnit`, s, min or h), its window (`occurrencePeriod`,
 *   `occurrenceTiming.repeat.boundsPeriod`, or an exact time: `occurrenceTiming.event[0]`,
 *   `occurrenceDateTime`), its skills
 *   (`performerType`: its text or its codings' codes), its usual nurses (Practitioner
 *   `performer`s), its notes (`note[].text`, then `patientInstruction`).
 * Times with an offset are read in `timeZone` (the problem's), local ones as they are.
 * Other resources and statuses are skipped. Issues point into the Bundle; `entries`, when given,
 * receives the entry index of each visit, so that a later issue about a visit can point there.
 */
export function visitsFromFhir(
  bundle: unknown,
  timeUnit: 'minute' | 'second' = 'minute',
  entries: number[] = [],
  timeZone?: string,
): VisitInput[] {
  const issues: InputIssue[] = [];
  const add = (where: string, code: InputIssue['code'], message: string) =>
    issues.push({ code, where, message });
  if (typeof bundle !== 'object' || bundle === null || (bundle as Json).resourceType !== 'Bundle')
    throw new InputError([{ code: 'E_TYPE', where: '/resourceType', message: "must be a FHIR 'Bundle'" }]);
  const all = Array.isArray((bundle as Json).entry) ? ((bundle as Json).entry as Json[]) : [];
  const byRef = new Map<string, Json>();
  for (const e of all) {
    const r = (e?.resource ?? null) as Json | null;
    if (r !== null && typeof r.resourceType === 'string' && typeof r.id === 'string')
      byRef.set(`${r.resourceType}/${r.id}`, r);
  }
  const ident = (r: Json | undefined, system: string) => {
    const list = Array.isArray(r?.identifier) ? (r!.identifier as unknown[]) : [];
    const found = list.find(
      (i): i is { system: string; value: string } =>
        typeof i === 'object' &&
        i !== null &&
        (i as Json).system === system &&
        typeof (i as Json).value === 'string',
    );
    return found?.value;
  };
  /** Our id of a referred Patient or Practitioner: its identifier, else the reference's id. */
  const partyId = (ref: unknown, type: 'Patient' | 'Practitioner') =>
    typeof ref !== 'string' || !ref.startsWith(`${type}/`)
      ? undefined
      : (ident(byRef.get(ref), type === 'Patient' ? 'urn:hhc:patient' : 'urn:hhc:nurse') ??
        ref.slice(type.length + 1));
  // An instant with its offset (`Z`, `+01:00`) is read in the problem's time zone; a date-time
  // without one is the problem's local time as it is.
  const local = (t: unknown) => {
    if (typeof t !== 'string') return undefined;
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(t) || timeZone === undefined) return t.slice(0, 16);
    const at = DateTime.fromISO(t, { setZone: true });
    return at.isValid ? at.setZone(timeZone).toFormat("yyyy-MM-dd'T'HH:mm") : t.slice(0, 16);
  };
  const window = (start: string | undefined, end: string | undefined) =>
    start === undefined || end === undefined
      ? {}
      : { timeWindows: [{ start, end } as unknown as { start: number; end: number }] };
  const perUnit = timeUnit === 'second' ? 60 : 1;
  const visits: VisitInput[] = [];
  all.forEach((e, k) => {
    const at = `/entry/${k}/resource`;
    // Whatever shape a resource has, reading it ends in a visit or in an issue at its entry.
    try {
      readEntry(e, k, at);
    } catch (err) {
      add(at, 'E_TYPE', `cannot be read as FHIR R4 (${(err as Error).message})`);
    }
  });
  function readEntry(e: Json | null, k: number, at: string): void {
    const r = (
      typeof e === 'object' && e !== null && typeof e.resource === 'object' ? e.resource : null
    ) as Json | null;
    if (r === null) return;
    const kind = r.resourceType;
    if (kind !== 'Appointment' && kind !== 'ServiceRequest') return;
    const wanted =
      kind === 'Appointment' ? ['proposed', 'pending', 'booked', 'waitlist'] : ['active', 'draft'];
    if (!wanted.includes(String(r.status))) return; // cancelled, fulfilled, completed, …
    const id = ident(r, VISIT_SYSTEM) ?? (typeof r.id === 'string' ? r.id : undefined);
    if (id === undefined) add(`${at}/id`, 'E_MISSING', `a ${String(kind)} needs an id or an identifier`);
    let patient: string | undefined;
    let locationRef: string | undefined;
    let duration: number | undefined;
    let period: { start?: string; end?: string } = {};
    let preferred: string[] = [];
    let skills: string[] = [];
    let notes: string | undefined;
    if (kind === 'Appointment') {
      const refs = (Array.isArray(r.participant) ? r.participant : [])
        .map((p: { actor?: { reference?: string } }) => p.actor?.reference)
        .filter((x): x is string => typeof x === 'string');
      patient = partyId(
        refs.find((x) => x.startsWith('Patient/')),
        'Patient',
      );
      locationRef = refs.find((x) => x.startsWith('Location/'));
      if (r.status === 'proposed' || r.status === 'pending')
        preferred = refs.map((x) => partyId(x, 'Practitioner')).filter((x): x is string => x !== undefined);
      if (typeof r.minutesDuration === 'number') duration = r.minutesDuration * perUnit;
      else add(`${at}/minutesDuration`, 'E_MISSING', 'needs minutesDuration');
      const p = (Array.isArray(r.requestedPeriod) ? r.requestedPeriod[0] : undefined) as Json | undefined;
      period = { start: local(p?.start), end: local(p?.end) };
      if (typeof r.description === 'string') notes = r.description;
    } else {
      patient = partyId((r.subject as Json | undefined)?.reference as string | undefined, 'Patient');
      if (patient === undefined) add(`${at}/subject`, 'E_MISSING', 'needs a subject referring to a Patient');
      const locations = Array.isArray(r.locationReference) ? (r.locationReference as Json[]) : [];
      locationRef = locations.map((l) => l.reference).find((x): x is string => typeof x === 'string');
      const timing = (r.occurrenceTiming as Json | undefined)?.repeat as Json | undefined;
      const unitMinutes: Record<string, number> = { s: 1 / 60, min: 1, h: 60 };
      if (typeof timing?.duration === 'number' && unitMinutes[String(timing.durationUnit)] !== undefined)
        duration = timing.duration * unitMinutes[String(timing.durationUnit)] * perUnit;
      else
        add(
          `${at}/occurrenceTiming/repeat/duration`,
          'E_MISSING',
          'needs occurrenceTiming.repeat.duration with durationUnit s, min or h: how long the care takes',
        );
      const bounds = (r.occurrencePeriod ?? timing?.boundsPeriod) as Json | undefined;
      const events = (r.occurrenceTiming as Json | undefined)?.event;
      const exact = Array.isArray(events) ? (events[0] as unknown) : r.occurrenceDateTime;
      if (bounds !== undefined) period = { start: local(bounds.start), end: local(bounds.end) };
      else if (typeof exact === 'string') period = { start: local(exact), end: local(exact) };
      preferred = (Array.isArray(r.performer) ? (r.performer as Json[]) : [])
        .map((p) => partyId(p.reference as string | undefined, 'Practitioner'))
        .filter((x): x is string => x !== undefined);
      // performerType is one CodeableConcept (0..1 in R4): its codings' codes, else its text.
      const type = (r.performerType ?? {}) as Json;
      const codes = (Array.isArray(type.coding) ? (type.coding as Json[]) : [])
        .map((x) => x.code)
        .filter((x): x is string => typeof x === 'string');
      skills = codes.length > 0 ? codes : typeof type.text === 'string' ? [type.text] : [];
      const texts = (Array.isArray(r.note) ? (r.note as Json[]) : [])
        .map((n) => n.text)
        .filter((x): x is string => typeof x === 'string');
      if (typeof r.patientInstruction === 'string') texts.push(r.patientInstruction);
      if (texts.length > 0) notes = texts.join('\n');
    }
    const location = locationRef === undefined ? undefined : byRef.get(locationRef);
    const position = location?.position as { longitude?: number; latitude?: number } | undefined;
    if (position?.longitude === undefined || position.latitude === undefined)
      add(
        kind === 'Appointment' ? `${at}/participant` : `${at}/locationReference`,
        'E_MISSING',
        `needs a Location ${kind === 'Appointment' ? 'participant' : 'reference'} with a position (longitude, latitude) in the Bundle`,
      );
    entries.push(k);
    visits.push({
      id: id ?? String(k),
      ...(patient !== undefined && { patient }),
      ...(typeof (location?.address as Json | undefined)?.text === 'string' && {
        address: (location!.address as Json).text as string,
      }),
      location: { lon: position?.longitude ?? 0, lat: position?.latitude ?? 0 },
      duration: duration ?? 0,
      ...window(period.start, period.end),
      ...(skills.length > 0 && { skills }),
      ...(preferred.length > 0 && { preferredNurses: preferred }),
      ...(notes !== undefined && { notes }),
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  return visits;
}
