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
 * Visits from a FHIR Bundle: each Appointment (proposed, pending, booked or waitlisted) becomes a
 * visit: its id (our identifier, else the resource's), its patient (the Patient participant's
 * identifier or id), its place (the Location participant's position and address), its duration
 * (minutesDuration, in the problem's unit), its window (requestedPeriod, as local date-times the
 * problem's calendar reads), its notes (description). Issues point into the Bundle.
 */
export function visitsFromFhir(bundle: unknown, timeUnit: 'minute' | 'second' = 'minute'): VisitInput[] {
  const issues: InputIssue[] = [];
  const add = (where: string, code: InputIssue['code'], message: string) =>
    issues.push({ code, where, message });
  if (typeof bundle !== 'object' || bundle === null || (bundle as Json).resourceType !== 'Bundle')
    throw new InputError([{ code: 'E_TYPE', where: '/resourceType', message: "must be a FHIR 'Bundle'" }]);
  const entries = Array.isArray((bundle as Json).entry) ? ((bundle as Json).entry as Json[]) : [];
  const byRef = new Map<string, Json>();
  for (const e of entries) {
    const r = (e?.resource ?? null) as Json | null;
    if (r !== null && typeof r.resourceType === 'string' && typeof r.id === 'string')
      byRef.set(`${r.resourceType}/${r.id}`, r);
  }
  const ident = (r: Json | undefined, system: string) =>
    ((r?.identifier as { system?: string; value?: string }[] | undefined) ?? []).find(
      (i) => i.system === system,
    )?.value;
  const visits: VisitInput[] = [];
  entries.forEach((e, k) => {
    const r = (e?.resource ?? null) as Json | null;
    if (r === null || r.resourceType !== 'Appointment') return;
    const at = `/entry/${k}/resource`;
    if (!['proposed', 'pending', 'booked', 'waitlist'].includes(String(r.status))) return; // cancelled, fulfilled, …
    const participants = (Array.isArray(r.participant) ? r.participant : []) as {
      actor?: { reference?: string };
    }[];
    const ref = (type: string) =>
      participants.map((p) => p.actor?.reference ?? '').find((x) => x.startsWith(`${type}/`));
    const id = ident(r, VISIT_SYSTEM) ?? (typeof r.id === 'string' ? r.id : undefined);
    if (id === undefined) add(`${at}/id`, 'E_MISSING', 'an Appointment needs an id or an identifier');
    const patientRef = ref('Patient');
    const patient =
      patientRef === undefined
        ? undefined
        : (ident(byRef.get(patientRef), 'urn:hhc:patient') ?? patientRef.slice(8));
    const locationRef = ref('Location');
    const location = locationRef === undefined ? undefined : byRef.get(locationRef);
    const position = location?.position as { longitude?: number; latitude?: number } | undefined;
    if (position?.longitude === undefined || position.latitude === undefined)
      add(
        `${at}/participant`,
        'E_MISSING',
        'needs a Location participant with a position (longitude, latitude) in the Bundle',
      );
    const minutes = r.minutesDuration;
    if (typeof minutes !== 'number') add(`${at}/minutesDuration`, 'E_MISSING', 'needs minutesDuration');
    const period = (Array.isArray(r.requestedPeriod) ? r.requestedPeriod[0] : undefined) as
      { start?: string; end?: string } | undefined;
    const local = (t: string | undefined) => t?.slice(0, 16); // the local date-time, read in the problem's time zone
    visits.push({
      id: id ?? String(k),
      ...(patient !== undefined && { patient }),
      ...(typeof (location?.address as Json | undefined)?.text === 'string' && {
        address: (location!.address as Json).text as string,
      }),
      location: { lon: position?.longitude ?? 0, lat: position?.latitude ?? 0 },
      duration: typeof minutes === 'number' ? minutes * (timeUnit === 'second' ? 60 : 1) : 0,
      ...(period?.start !== undefined &&
        period.end !== undefined && {
          timeWindows: [
            { start: local(period.start), end: local(period.end) } as unknown as {
              start: number;
              end: number;
            },
          ],
        }),
      ...(typeof r.description === 'string' && { notes: r.description }),
    });
  });
  if (issues.length > 0) throw new InputError(issues);
  return visits;
}
