import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../service/api-keys.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import type { Plan, ProblemInput } from '../solver/index.ts';
import { startTestService, type TestService } from './test-service.ts';

// Real Redis and a worker: new plans from a spreadsheet or a FHIR Bundle on a base plan's team.
let svc: TestService;
let app: FastifyInstance;
let key: string;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const day = { ...JSON.parse(fixture('care/example-day.json')), date: '2026-12-07', timeZone: 'Europe/Paris' };
const send = (url: string, payload: string | object, type = 'application/json', accept?: string) =>
  app.inject({
    method: url.startsWith('GET ') ? 'GET' : 'POST',
    url: url.replace(/^GET /, ''),
    payload: url.startsWith('GET ') ? undefined : payload,
    headers: {
      authorization: `Bearer ${key}`,
      ...(!url.startsWith('GET ') && { 'content-type': type }),
      ...(accept !== undefined && { accept }),
    },
  });
let basePlan: string;

beforeAll(async () => {
  svc = await startTestService();
  app = await svc.app();
  key = await createApiKey(svc.redis, { tenant: 'had-import', role: 'coordinator' }, svc.prefix);
  basePlan = (await send('/v1/plans?timeLimit=1&wait=30', day)).json().planId;
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
});

describe('plans from spreadsheets and FHIR, and back', () => {
  it('a day of visits as text/csv, on the base plan’s nurses and calendar, solved; the plan as CSV and FHIR', async () => {
    const res = await send(
      `/v1/plans?timeLimit=1&wait=30&base=${basePlan}`,
      fixture('requests/visits.csv'),
      'text/csv',
    );
    expect(res.statusCode).toBe(200);
    const { planId, plan } = res.json() as { planId: string; plan: Plan };
    const problem = (await svc.store.getProblem('had-import', planId))!.problem;
    expect(problem.visits.map((v) => v.id)).toEqual(['dupont-am', 'dupont-pm', 'martin', 'leroy', 'ehpad']);
    expect(problem.nurses.map((n) => n.id)).toEqual(day.nurses.map((n: { id: string }) => n.id));
    expect(problem.visits[2].timeWindows).toEqual([
      { start: 540, end: 600 },
      { start: 840, end: 900 },
    ]);
    expect(checkPlan(problem, plan).violations).toEqual([]);

    const csv = await send(`GET /v1/plans/${planId}`, '', undefined, 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers.vary).toMatch(/accept/i);
    // The export imports back as the same visits.
    const again = await send(`/v1/plans?timeLimit=1&wait=30&base=${basePlan}`, csv.body, 'text/csv');
    expect(again.statusCode).toBe(200);
    const back = (await svc.store.getProblem('had-import', again.json().planId))!.problem;
    const byId = (p: ProblemInput) => [...p.visits].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(back)).toEqual(byId(problem));

    const fhir = await send(`GET /v1/plans/${planId}/versions/1`, '', undefined, 'application/fhir+json');
    expect(fhir.statusCode).toBe(200);
    expect(fhir.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = fhir.json();
    expect(bundle.resourceType).toBe('Bundle');
    // The Bundle posted back (its booked Appointments) gives the same visits again.
    const viaFhir = await send(
      `/v1/plans?timeLimit=1&wait=30&base=${basePlan}`,
      fhir.body,
      'application/fhir+json',
    );
    expect(viaFhir.statusCode).toBe(200);
    const fromFhir = (await svc.store.getProblem('had-import', viaFhir.json().planId))!.problem;
    expect(byId(fromFhir).map((v) => [v.id, v.duration, v.timeWindows])).toEqual(
      byId(problem).map((v) => [v.id, v.duration, v.timeWindows?.slice(0, 1)]),
    );
  });

  it('orders for home care as a FHIR Bundle of ServiceRequests become visits of a new plan', async () => {
    const res = await send(
      `/v1/plans?timeLimit=1&wait=30&base=${basePlan}`,
      fixture('requests/fhir-service-requests.json'),
      'application/fhir+json',
    );
    expect(res.statusCode).toBe(200);
    const problem = (await svc.store.getProblem('had-import', res.json().planId))!.problem;
    expect(problem.visits.map((v) => [v.id, v.duration, v.timeWindows, v.preferredNurses])).toEqual([
      ['roux-dressing', 30, [{ start: 600, end: 780 }], ['claire']],
      ['roux-check', 15, [{ start: 990, end: 990 }], undefined],
    ]);
  });

  it('every error names where it is: the row and column, the Bundle entry, the base plan; nothing is stored', async () => {
    const before = await svc.redis.keys(`${svc.prefix}:t:had-import:plan:*`);
    const bad = fixture('requests/visits.csv').replace(',15,07:30,09:00,', ',quarter,07:30,09:00,');
    const csv = await send(`/v1/plans?base=${basePlan}`, bad, 'text/csv');
    expect(csv.statusCode).toBe(400);
    expect(csv.json().issues).toEqual([
      expect.objectContaining({
        pointer: '/2/duration',
        in: 'body',
        message: expect.stringMatching(/row 2, column duration/),
      }),
    ]);
    // A valid cell the problem refuses: pointed at by row and column too.
    const late = fixture('requests/visits.csv').replace(',30,09:00,10:00,', ',30,600,540,');
    const order = await send(`/v1/plans?base=${basePlan}`, late, 'text/csv');
    expect(order.statusCode).toBe(400);
    expect(order.json().issues[0]).toMatchObject({ pointer: '/4/window_end', code: 'E_WINDOW_ORDER' });

    const noBase = await send('/v1/plans', fixture('requests/visits.csv'), 'text/csv');
    expect(noBase.statusCode).toBe(400);
    expect(noBase.json().issues[0]).toMatchObject({ pointer: '?/base', code: 'E_MISSING' });
    const unknown = await send(
      '/v1/plans?base=00000000-0000-0000-0000-000000000000',
      fixture('requests/visits.csv'),
      'text/csv',
    );
    expect(unknown.json().issues[0]).toMatchObject({ pointer: '?/base', code: 'E_NOT_FOUND' });
    const malformed = await send('/v1/plans?base=nope', fixture('requests/visits.csv'), 'text/csv');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues[0]).toMatchObject({ pointer: '?/base' });
    const jsonWithBase = await send(`/v1/plans?base=${basePlan}`, day);
    expect(jsonWithBase.statusCode).toBe(400);
    expect(jsonWithBase.json().issues[0]).toMatchObject({ pointer: '?/base', code: 'E_CONFLICT' });

    const bundle = JSON.parse(fixture('requests/fhir-service-requests.json'));
    delete bundle.entry[3].resource.occurrenceTiming.repeat.duration;
    const fhir = await send(`/v1/plans?base=${basePlan}`, JSON.stringify(bundle), 'application/fhir+json');
    expect(fhir.statusCode).toBe(400);
    expect(fhir.json().issues[0]).toMatchObject({
      pointer: '/entry/3/resource/occurrenceTiming/repeat/duration',
      code: 'E_MISSING',
    });
    const broken = await send(
      `/v1/plans?base=${basePlan}`,
      '{"resourceType": "Bundle",',
      'application/fhir+json',
    );
    expect(broken.statusCode).toBe(400);
    expect(broken.json().issues[0]).toMatchObject({ code: 'E_FORMAT' });
    expect(await svc.redis.keys(`${svc.prefix}:t:had-import:plan:*`)).toEqual(before);
  });

  it('a plan without a date has no FHIR export: 406 says why', async () => {
    const undated = { ...day, date: undefined, timeZone: undefined };
    const planId = (await send('/v1/plans?timeLimit=1&wait=30', undated)).json().planId;
    const res = await send(`GET /v1/plans/${planId}`, '', undefined, 'application/fhir+json');
    expect(res.statusCode).toBe(406);
    expect(res.json()).toMatchObject({ error: 'E_UNSUPPORTED', message: expect.stringMatching(/date/) });
  });
});
