/** Requests to every route: content types, each route with its generators, and the whole request arbitrary. */
import fc from 'fast-check';
import {
  SOLVE_QUERY,
  TIME_LIMITS,
  authArb,
  dateArb,
  foreignJobRefArb,
  idemArb,
  jobRefArb,
  pathStyleArb,
  pick,
  planRefArb,
  queryArb,
  weighted,
} from './arbitraries.ts';
import {
  applyBodyArb,
  changesBodyArb,
  problemBodyArb,
  recommendationsBodyArb,
  scheduleBodyArb,
  vroomBodyArb,
} from './body-arbitraries.ts';
import { DAY_NURSES, DAY_TEXT } from './service.ts';
import { type BodySpec, type PlanRef, type RequestSpec, type Segment } from './specs.ts';

export const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json;charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16le',
  'application/json; boundary=x',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/geo+json',
  'application/vnd.api+json',
  'application/jsonx',
  'application/octet-stream',
  'json',
  '*/*',
  '',
  ';',
  'application/json, text/plain',
];

export const contentTypeArb = weighted<string | null>(
  [30, fc.constant('application/json')],
  [3, pick(...CONTENT_TYPES)],
  [1, fc.constant(null)],
);

export const base = {
  auth: authArb,
  pathStyle: pathStyleArb,
  headers: fc.constant({} as Record<string, string | string[]>),
};

export const noBody = { contentType: fc.constant(null), body: fc.constant<BodySpec>({ kind: 'none' }) };

export const r = (
  route: string,
  method: RequestSpec['method'],
  fields: { [K in keyof RequestSpec]?: fc.Arbitrary<RequestSpec[K]> },
) =>
  fc.record({
    route: fc.constant(route),
    method: fc.constant(method),
    query: fc.constant(''),
    ...base,
    ...noBody,
    ...fields,
  } as { [K in keyof RequestSpec]: fc.Arbitrary<RequestSpec[K]> }) as fc.Arbitrary<RequestSpec>;

/** Unknown routes, methods a route does not take, and paths of odd spellings. */
export const otherArb: fc.Arbitrary<RequestSpec> = fc
  .record({
    method: pick<RequestSpec['method']>('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
    segments: pick<Segment[]>(
      ['v1', 'plans'],
      ['v1', 'jobs'],
      ['v1', 'days'],
      ['v1', 'jobs', { job: { kind: 'random' } }, 'cancel'],
      ['v1', 'plans', { plan: { kind: 'solved' } }, 'versions'],
      ['v1', 'plans', { plan: { kind: 'solved' } }, 'nurses'],
      ['v1', 'plans', { plan: { kind: 'solved' } }],
      ['v1', 'plans', { plan: { kind: 'solved' } }, 'reoptimize'],
      ['v1', 'schedule'],
      ['v1'],
      ['v2', 'plans'],
      ['v1', 'keys'],
      ['v1', 'admin'],
      ['v1', '..', 'healthz'],
      ['v1', 'plans', '..', 'jobs', '1'],
    ),
    query: queryArb(SOLVE_QUERY),
    contentType: contentTypeArb,
    body: weighted<BodySpec>([2, fc.constant({ kind: 'none' })], [1, changesBodyArb]),
  })
  .chain(
    (fields) =>
      fc.record({
        ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fc.constant(v)])),
        route: fc.constant('other'),
        ...base,
      }) as fc.Arbitrary<RequestSpec>,
  );

export const nurseIdArb = weighted(
  [6, fc.constant('SELF')],
  [3, pick(...DAY_NURSES)],
  [
    2,
    pick('ghost', 'x'.repeat(200), 'x'.repeat(201), ' ', '..', 'claire ', 'CLAIRE', '%00', '💥', '__proto__'),
  ],
  [1, fc.string({ minLength: 1, maxLength: 30 })],
);

/** One request to some route, by weight (submissions and re-plans most, as they carry bodies). */
export const requestArbitrary: fc.Arbitrary<RequestSpec> = weighted<RequestSpec>(
  [
    26,
    r('POST /v1/plans', 'POST', {
      segments: fc.constant(['v1', 'plans']),
      query: queryArb(SOLVE_QUERY),
      headers: idemArb.map((k): Record<string, string | string[]> =>
        k === null ? {} : { 'idempotency-key': k },
      ),
      contentType: contentTypeArb,
      body: problemBodyArb,
    }),
  ],
  [
    8,
    r('PUT /v1/days/:date', 'PUT', {
      segments: dateArb.map((d) => ['v1', 'days', d]),
      query: queryArb({ timeLimit: TIME_LIMITS }),
      contentType: contentTypeArb,
      body: problemBodyArb,
    }),
  ],
  [4, r('GET /v1/days/:date', 'GET', { segments: dateArb.map((d) => ['v1', 'days', d]) })],
  [5, r('GET /v1/plans/:id', 'GET', { segments: planRefArb.map((plan) => ['v1', 'plans', { plan }]) })],
  [
    4,
    r('GET /v1/plans/:id/versions/:n', 'GET', {
      segments: fc
        .tuple(
          planRefArb,
          weighted(
            [3, pick('1', '2')],
            [
              2,
              pick(
                '0',
                '-1',
                '1.5',
                '1e3',
                '0x1',
                ' 1',
                '01',
                '+1',
                '1000000000',
                '1000000001',
                '99999999999999999999',
                'abc',
                '',
                '%31',
                '١',
                'NaN',
              ),
            ],
          ),
        )
        .map(([plan, n]) => ['v1', 'plans', { plan }, 'versions', n]),
    }),
  ],
  [
    18,
    r('POST /v1/plans/:id/reoptimize', 'POST', {
      segments: weighted<PlanRef>([5, fc.constant({ kind: 'solved' })], [2, planRefArb]).map((plan) => [
        'v1',
        'plans',
        { plan },
        'reoptimize',
      ]),
      query: queryArb(SOLVE_QUERY),
      contentType: contentTypeArb,
      body: changesBodyArb,
    }),
  ],
  [
    8,
    r('POST /v1/plans/:id/recommendations', 'POST', {
      segments: weighted<PlanRef>([5, fc.constant({ kind: 'solved' })], [2, planRefArb]).map((plan) => [
        'v1',
        'plans',
        { plan },
        'recommendations',
      ]),
      contentType: contentTypeArb,
      body: recommendationsBodyArb,
    }),
  ],
  [
    2,
    r('GET /v1/nurses/:nurseId/calendar.ics', 'GET', {
      segments: nurseIdArb.map((nurse) => ['v1', 'nurses', nurse, 'calendar.ics']),
      query: pick('', 'token=hhc_nope', 'token=', 'token=%00', 'token=' + 'x'.repeat(201)),
    }),
  ],
  [
    3,
    r('POST /v1/vroom', 'POST', {
      segments: fc.constant(['v1', 'vroom']),
      // Never waits here (no worker runs in the fuzz service): a solved request answers 202.
      query: pick('wait=0', 'wait=0&timeLimit=1', 'wait=0&timeLimit=-1', 'wait=0&seed=x'),
      contentType: contentTypeArb,
      body: vroomBodyArb,
    }),
  ],
  [
    3,
    r('GET /v1/plans/:id/simulation', 'GET', {
      segments: weighted<PlanRef>([3, fc.constant({ kind: 'solved' })], [2, planRefArb]).map((plan) => [
        'v1',
        'plans',
        { plan },
        'simulation',
      ]),
      query: queryArb({
        scenarios: ['1', '50', '0', '-1', '20000', '20001', '1.5', 'x'],
        seed: ['0', '7', '-1', 'x'],
        version: ['1', '2', '0', 'x'],
      }),
    }),
  ],
  [
    6,
    r('POST /v1/plans/:id/recommendations/apply', 'POST', {
      segments: weighted<PlanRef>([5, fc.constant({ kind: 'solved' })], [2, planRefArb]).map((plan) => [
        'v1',
        'plans',
        { plan },
        'recommendations',
        'apply',
      ]),
      query: queryArb({ wait: ['0', '1', '-1', 'x'] }),
      contentType: contentTypeArb,
      body: applyBodyArb,
    }),
  ],
  [
    6,
    r('GET /v1/plans/:id/nurses/:nurseId/route', 'GET', {
      segments: fc
        .tuple(weighted<PlanRef>([3, fc.constant({ kind: 'solved' })], [2, planRefArb]), nurseIdArb)
        .map(([plan, nurse]) => ['v1', 'plans', { plan }, 'nurses', nurse, 'route']),
      query: queryArb({
        lang: ['en', 'fr', 'de', 'zz', 'e', 'x'.repeat(11), 'en-US', '../etc', '', 'fr_FR', '__proto__'],
      }),
      headers: fc.record(
        {
          accept: pick(
            'application/json',
            'application/geo+json',
            'text/html',
            '*/*',
            'application/geo+json;q=0',
          ),
          'accept-language': pick(
            'fr',
            'en-GB,en;q=0.8',
            'zz',
            '',
            ';;;',
            'x'.repeat(5000),
            '*',
            '../../etc/passwd',
            '__proto__',
          ),
        },
        { requiredKeys: [] },
      ),
    }),
  ],
  [4, r('GET /v1/jobs/:id', 'GET', { segments: jobRefArb.map((job) => ['v1', 'jobs', { job }]) })],
  [4, r('DELETE /v1/jobs/:id', 'DELETE', { segments: jobRefArb.map((job) => ['v1', 'jobs', { job }]) })],
  [
    3,
    r('GET /v1/jobs/:id/events', 'GET', {
      segments: foreignJobRefArb.map((job) => ['v1', 'jobs', { job }, 'events']),
    }),
  ],
  [
    5,
    r('PUT /v1/schedule', 'PUT', {
      segments: fc.constant(['v1', 'schedule']),
      contentType: contentTypeArb,
      body: scheduleBodyArb,
    }),
  ],
  [
    2,
    r('GET /v1/schedule', 'GET', {
      segments: fc.constant(['v1', 'schedule']),
      query: queryArb({ x: ['1'] }),
    }),
  ],
  [4, otherArb],
);

/** A request of a coordinator of the first tenant, JSON body given as text. */
export const coordinatorRequest = (
  route: string,
  method: RequestSpec['method'],
  segments: Segment[],
  body: string,
): RequestSpec => ({
  route,
  method,
  segments,
  query: '',
  auth: { kind: 'key', who: 'coordinator', style: 'Bearer KEY' },
  headers: {},
  contentType: 'application/json',
  body: { kind: 'json', value: null, mutations: [], text: { op: 'replace', text: body } },
  pathStyle: 'plain',
});

/** The fixture as it is, submitted as a new plan: accepted (202) while the tenant is under its cap. */
export const validSubmission = coordinatorRequest('POST /v1/plans', 'POST', ['v1', 'plans'], DAY_TEXT);
