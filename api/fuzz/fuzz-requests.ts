/**
 * Fuzzing the API (issue 11, "Prove it"): generated and mutated requests to every /v1 route,
 * sent through `app.inject()` against a real-Redis test service, with three invariants checked
 * on every answer:
 *
 *   1. no 5xx, ever;
 *   2. every 400 names a field: a JSON body whose `issues` is a non-empty array of
 *      `{ pointer: string, code: string, message: string }`;
 *   3. a refused request (any 4xx) leaves nothing behind: the Redis keys under the service's
 *      prefix and of its BullMQ queue (key set, type and value, or a SHA-1 of a long value) and
 *      the queue's job counts are the same after it as before. Left out: rate-limit and
 *      failed-authentication counters (`:rate:`), the queue's event stream, and members a
 *      tenant's `queued` set forgets (jobs that ended or were removed: workers/tenant-slots.ts).
 *
 * (HEAD answers have no body: their 400s are not checked for issues.)
 * Accepted requests are checked for 1 and 2 only, and a 202 submission's plan must be readable
 * with GET /v1/plans/:id. Requests are fast-check values (a fixed seed replays a run); ids that
 * exist only at run time (plans, jobs, keys) are symbolic in the values and resolved when sent.
 * No test framework here: api/fuzz.test.ts (the CI slice) and bench/fuzz-api.ts (the long run)
 * call runFuzz.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createStop, type Plan, solve } from '../../solver/index.ts';
import type { ProblemInput } from '../../solver/index.ts';
import type { PlanStore } from '../../workers/plan-store.ts';
import type { SolveQueue } from '../../workers/solve-queue.ts';
import { createApiKey, revokeApiKey } from '../auth/api-keys.ts';
import { DEFAULT_SERVICE_LIMITS, type ServiceLimits } from '../limits.ts';

// ---------------------------------------------------------------------------------------------
// The service under test
// ---------------------------------------------------------------------------------------------

/** What the fuzzer needs of the service (api/test-service.ts gives it; use `worker: false`). */
export interface FuzzService {
  prefix: string;
  queueName: string;
  redis: Redis;
  store: Pick<PlanStore, 'addVersion'>;
  queue: Pick<SolveQueue, 'getJobCounts' | 'obliterate' | 'toKey'>;
}

/** The app's limits for fuzzing: the service's own, with rate limits out of the way. */
export const FUZZ_LIMITS: ServiceLimits = {
  ...DEFAULT_SERVICE_LIMITS,
  requestsPerMinute: 1e9,
  authFailuresPerMinute: 1e9,
};

/** API keys of two tenants: a coordinator and a nurse of the first, a coordinator of the second, a revoked key. */
export interface FuzzKeys {
  tenant: string;
  otherTenant: string;
  coordinator: string;
  nurse: string;
  /** The nurse's id in the fixtures (example-day.json). */
  nurseId: string;
  other: string;
  revoked: string;
}

export async function createFuzzKeys(
  svc: Pick<FuzzService, 'redis' | 'prefix'>,
  tenants: { tenant: string; otherTenant: string } = { tenant: 'fuzz-a', otherTenant: 'fuzz-b' },
): Promise<FuzzKeys> {
  const { redis, prefix } = svc;
  const { tenant, otherTenant } = tenants;
  const nurseId = 'claire';
  const revoked = await createApiKey(redis, { tenant, role: 'coordinator' }, prefix);
  await revokeApiKey(redis, revoked, prefix);
  return {
    tenant,
    otherTenant,
    coordinator: await createApiKey(redis, { tenant, role: 'coordinator' }, prefix),
    nurse: await createApiKey(redis, { tenant, role: 'nurse', nurse: nurseId }, prefix),
    nurseId,
    other: await createApiKey(redis, { tenant: otherTenant, role: 'coordinator' }, prefix),
    revoked,
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const fixture = (name: string): JsonObject =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/care/${name}.json`, import.meta.url), 'utf8'),
  ) as JsonObject;

const BASES = { 'example-day': fixture('example-day'), 'had-5n-40v': fixture('had-5n-40v') };
type BaseName = keyof typeof BASES;
const DAY = BASES['example-day'];
const DAY_TEXT = JSON.stringify(DAY);
const DAY_NURSES = (DAY.nurses as JsonObject[]).map((n) => String(n.id));
const DAY_VISITS = (DAY.visits as JsonObject[]).map((v) => String(v.id));

let solvedDay: Plan | null = null;
/** A plan of example-day.json, solved once per process (a short deterministic search). */
function solvedPlan(): Plan {
  solvedDay ??= solve(DAY as unknown as ProblemInput, { seed: 1, stop: createStop({ iterations: 30 }) }).plan;
  return solvedDay;
}

// ---------------------------------------------------------------------------------------------
// Request specs: what fast-check generates (pure values; run-time ids are symbolic)
// ---------------------------------------------------------------------------------------------

type Who = 'coordinator' | 'nurse' | 'other';

/** The Authorization header: a key (by whom) written in some style, or none, or garbage. */
export type AuthSpec =
  | { kind: 'key'; who: Who; style: string }
  | { kind: 'missing' }
  | { kind: 'revoked' }
  | { kind: 'garbage'; text: string }
  | { kind: 'twice'; who: Who };

/** A plan id: one that exists (solved, not yet solved, just submitted, the other tenant's), a random UUID, or a bad shape. */
export type PlanRef =
  { kind: 'solved' | 'pending' | 'recent' | 'otherSolved' | 'random' } | { kind: 'bad'; text: string };

/** A job id; `cross` is a job of a tenant other than the caller's. */
export type JobRef =
  | { kind: 'waiting' | 'recent' | 'cross' | 'random' }
  | { kind: 'numeric'; n: number }
  | { kind: 'bad'; text: string };

type Segment = string | { plan: PlanRef } | { job: JobRef };

/** How the path is spelt: as is, or percent-encoded, doubled slashes, and so on. */
export type PathStyle =
  | 'plain'
  | 'encode-v1'
  | 'encode-ids'
  | 'upper'
  | 'double-slash'
  | 'trailing-slash'
  | 'dot-segment'
  | 'encoded-slash'
  | 'semicolon';

export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'rename'; at: number; how: number }
  | { op: 'set'; at: number; value: Json }
  | { op: 'raw'; at: number; text: string }
  | { op: 'extra'; at: number; name: string; value: Json }
  | { op: 'wrap'; at: number }
  | { op: 'dupId'; from: number; to: number }
  | { op: 'ghostRef'; at: number }
  | { op: 'longString'; at: number; length: number; char: string }
  | { op: 'bigList'; field: string; count: number };

/** Changes to the rendered text of a body. */
export type TextOp =
  | { op: 'none' }
  | { op: 'truncate'; fraction: number }
  | { op: 'append'; text: string }
  | { op: 'prepend'; text: string }
  | { op: 'dupKey'; key: string; value: string }
  | { op: 'badBytes'; bytes: number[]; at: number }
  | { op: 'replace'; text: string };

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'problem'; base: BaseName; mutations: Mutation[]; text: TextOp }
  | { kind: 'json'; value: Json; mutations: Mutation[]; text: TextOp }
  | { kind: 'huge'; bytes: number };

export interface RequestSpec {
  /** The route as a label ('POST /v1/plans', or 'other' for unknown routes and methods). */
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  segments: Segment[];
  query: string;
  auth: AuthSpec;
  headers: Record<string, string | string[]>;
  /** The Content-Type header; null: none. */
  contentType: string | null;
  body: BodySpec;
  pathStyle: PathStyle;
}

// --- Generators -------------------------------------------------------------------------------

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const weighted = <T>(...entries: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...entries.map(([weight, arbitrary]) => ({ weight, arbitrary })));

export const AUTH_STYLES = [
  'Bearer KEY',
  'bearer KEY',
  'BEARER KEY',
  'Bearer  KEY',
  'Bearer KEY  ',
  ' Bearer KEY',
  'Bearer\tKEY',
  'KEY',
  'Bearer',
  'Bearer ',
  'Bearer KEY KEY',
  'Bearer KEYx',
  'Bearer "KEY"',
  'Token KEY',
  'Basic KEY',
  'Bearer: KEY',
  'Bearer=KEY',
  'Bearer KEY,Bearer KEY',
];

const authArb: fc.Arbitrary<AuthSpec> = weighted<AuthSpec>(
  [80, fc.constant({ kind: 'key', who: 'coordinator', style: 'Bearer KEY' })],
  [
    6,
    fc.record({
      kind: fc.constant('key' as const),
      who: pick<Who>('nurse', 'other'),
      style: fc.constant('Bearer KEY'),
    }),
  ],
  [
    8,
    fc.record({
      kind: fc.constant('key' as const),
      who: pick<Who>('coordinator', 'nurse', 'other'),
      style: pick(...AUTH_STYLES),
    }),
  ],
  [2, fc.constant({ kind: 'missing' })],
  [1, fc.constant({ kind: 'revoked' })],
  [1, fc.record({ kind: fc.constant('twice' as const), who: pick<Who>('coordinator', 'other') })],
  [
    2,
    fc.record({
      kind: fc.constant('garbage' as const),
      text: weighted(
        [3, fc.string({ maxLength: 40 })],
        [
          1,
          pick(
            'Bearer ' + 'A'.repeat(201),
            'Bearer hhc_' + 'x'.repeat(32),
            'Bearer ../../etc',
            'Bearer *',
            'Bearer hhc_%00',
          ),
        ],
        [1, fc.string({ minLength: 1, maxLength: 200, unit: 'binary-ascii' }).map((s) => `Bearer ${s}`)],
      ),
    }),
  ],
);

/** Ids of every bad shape: BullMQ's own key names, store key parts, encodings, lengths. */
export const BAD_IDS = [
  'events',
  'id',
  'active',
  'completed',
  'failed',
  'waiting',
  'wait',
  'paused',
  'prioritized',
  'delayed',
  'repeat',
  'marker',
  'meta',
  'pc',
  'stalled',
  'stalled-check',
  'limiter',
  'de',
  'P:v:1',
  'P:problem:1',
  '*',
  '?',
  '..',
  '.',
  '-1',
  '0',
  '1e3',
  '0x10',
  ' 1',
  '1 ',
  '1234567890123456',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-00000000000G',
  'AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA',
  '{uuid}',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '%00',
  'é',
  '💥',
  'a'.repeat(300),
  '1'.repeat(2000),
];

const planRefArb: fc.Arbitrary<PlanRef> = weighted<PlanRef>(
  [6, fc.constant({ kind: 'solved' })],
  [2, fc.constant({ kind: 'pending' })],
  [2, fc.constant({ kind: 'recent' })],
  [2, fc.constant({ kind: 'otherSolved' })],
  [2, fc.constant({ kind: 'random' })],
  [
    3,
    fc.record({
      kind: fc.constant('bad' as const),
      text: weighted([4, pick(...BAD_IDS)], [1, fc.string({ maxLength: 60 })]),
    }),
  ],
);

const jobRefArb: fc.Arbitrary<JobRef> = weighted<JobRef>(
  [3, fc.constant({ kind: 'waiting' })],
  [2, fc.constant({ kind: 'recent' })],
  [2, fc.constant({ kind: 'cross' })],
  [2, fc.constant({ kind: 'random' })],
  [1, fc.record({ kind: fc.constant('numeric' as const), n: fc.nat() })],
  [
    3,
    fc.record({
      kind: fc.constant('bad' as const),
      text: weighted([4, pick(...BAD_IDS)], [1, fc.string({ maxLength: 60 })]),
    }),
  ],
);

/** For the event stream only: ids that are not the caller's own jobs (a real stream waits until the job ends). */
const foreignJobRefArb: fc.Arbitrary<JobRef> = weighted<JobRef>(
  [2, fc.constant({ kind: 'cross' })],
  [2, fc.constant({ kind: 'random' })],
  [1, fc.record({ kind: fc.constant('numeric' as const), n: fc.nat() })],
  [
    3,
    fc.record({
      kind: fc.constant('bad' as const),
      text: weighted([4, pick(...BAD_IDS)], [1, fc.string({ maxLength: 60 })]),
    }),
  ],
);

const pathStyleArb: fc.Arbitrary<PathStyle> = weighted<PathStyle>(
  [40, fc.constant('plain')],
  [
    4,
    pick<PathStyle>(
      'encode-v1',
      'encode-ids',
      'upper',
      'double-slash',
      'trailing-slash',
      'dot-segment',
      'encoded-slash',
      'semicolon',
    ),
  ],
);

export const BAD_DATES = [
  '9999-99-99',
  '2026-02-30',
  '2026-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '2026-1-5',
  '20260105',
  '2026/01/05',
  '2026-01-05T00:00:00Z',
  ' 2026-01-05',
  '2026-01-05 ',
  '0000-00-00',
  '-2026-01-05',
  '２０２６-01-05',
  'today',
  'P:v:1',
  'events',
];

const dateArb = weighted(
  [2, fc.constant('SEEDED')],
  [
    3,
    fc
      .tuple(
        fc.integer({ min: 1970, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  ],
  [1, pick('2024-02-29', '2000-02-29', '0000-01-01', '1900-02-28')],
  [4, pick(...BAD_DATES)],
  [1, fc.string({ maxLength: 20 })],
);

/** Query values, good and bad, by parameter. `wait` is never a positive number however it is read. */
const TIME_LIMITS = [
  '1',
  '0.5',
  '3600',
  '3601',
  '0',
  '-1',
  '-0',
  '0x10',
  '1e3',
  ' 5',
  '5 ',
  '+5',
  'NaN',
  'Infinity',
  '',
  'abc',
  '1.',
  '.5',
  '00001',
  '1.0000000000000001',
  '９',
  '1,5',
  '1_000',
];
const SEEDS = [
  '0',
  '1',
  '2147483647',
  '2147483648',
  '-1',
  '1.5',
  '0x10',
  '1e3',
  ' 5',
  'abc',
  '99999999999999999',
  '',
];
const WAITS = [
  '0',
  '0.0',
  '00',
  '-0',
  '-1',
  '0x10',
  '1e3',
  ' 5',
  '61',
  '60.5',
  'NaN',
  'Infinity',
  'abc',
  '',
  '1,5',
];
const UNKNOWN_PARAMS = [
  'timelimit',
  'time_limit',
  'TimeLimit',
  'seeds',
  'foo',
  '__proto__',
  'constructor',
  'lang',
  '',
];

function queryArb(params: Record<string, string[]>): fc.Arbitrary<string> {
  const names = Object.keys(params);
  const pair = weighted<[string, string]>(
    ...names.map(
      (name) =>
        [6, fc.tuple(fc.constant(name), pick(...params[name]))] as [number, fc.Arbitrary<[string, string]>],
    ),
    [1, fc.tuple(pick(...UNKNOWN_PARAMS), pick('1', '', 'x'))],
  );
  const structured = fc.uniqueArray(pair, { maxLength: 3, selector: (p) => p[0] }).chain((pairs) =>
    fc.tuple(fc.constant(pairs), fc.boolean(), fc.boolean()).map(([ps, dup, encode]) => {
      const all = dup && ps.length > 0 ? [...ps, ps[0]] : ps; // a parameter given twice becomes an array
      return all.map(([k, v]) => `${encode ? encodeURIComponent(k) : k}=${encodeURIComponent(v)}`).join('&');
    }),
  );
  return weighted(
    [8, fc.constant('')],
    [10, structured],
    [
      1,
      pick(
        '&&',
        '=',
        '=1',
        'timeLimit',
        'timeLimit=',
        'timeLimit=%',
        'timeLimit=%E0%A4%A',
        'seed[]=1',
        'seed[a]=1',
        'a=' + 'x'.repeat(5000),
        '%ZZ=1',
        '?=?',
      ),
    ],
  );
}

const SOLVE_QUERY = { timeLimit: TIME_LIMITS, seed: SEEDS, wait: WAITS };

const IDEMPOTENCY_KEYS = ['fuzz-1', 'fuzz-2', 'fuzz-3'];
const idemArb = weighted<string | string[] | null>(
  [6, fc.constant(null)],
  [3, pick(...IDEMPOTENCY_KEYS)],
  [
    1,
    pick<string | string[]>('', ' ', 'has space', 'k'.repeat(200), 'k'.repeat(201), 'tab\there', '\u007f', [
      'fuzz-1',
      'fuzz-2',
    ]),
  ],
);

// --- Body mutations ----------------------------------------------------------------------------

/** Field names one letter off (or one convention off) from the ones the service knows. */
export const NEAR_MISSES: Record<string, string[]> = {
  timeWindows: ['timewindows', 'timeWindow', 'time_windows', 'TimeWindows', 'timeWindos'],
  preferredNurses: ['prefferedNurses', 'preferedNurses', 'preferred_nurses', 'preferredNurse'],
  nurses: ['nurse', 'Nurses', 'nuses'],
  visits: ['visit', 'Visits', 'vists'],
  skills: ['skill', 'Skills', 'skils'],
  duration: ['durations', 'Duration', 'duraton'],
  shift: ['shifts', 'shfit', 'Shift'],
  start: ['Start', 'begin', 'strat'],
  end: ['End', 'finish', 'ned'],
  location: ['loc', 'Location', 'locaton'],
  id: ['ID', 'Id', '_id'],
  patient: ['patients', 'Patient'],
  lon: ['lng', 'long', 'Lon'],
  lat: ['Lat', 'latitude'],
  maxWorkingTime: ['maxWorktime', 'maxWorkingTimes'],
  breaks: ['break', 'Breaks'],
  overtime: ['overTime', 'over_time'],
  timeUnit: ['timeunit', 'time_unit'],
  window: ['windows', 'Window'],
  profile: ['profiles', 'Profile'],
  profiles: ['profile'],
  maxVisits: ['maxvisits'],
  name: ['Name', 'title'],
  cron: ['Cron', 'crontab'],
  timezone: ['timeZone', 'tz'],
  timeLimit: ['timelimit', 'time_limit'],
  now: ['Now', 'time'],
  absentNurses: ['absentNurse', 'absent_nurses'],
  newVisits: ['newvisits', 'newVisit'],
  cancelledVisits: ['canceledVisits', 'cancelledVisit'],
  overruns: ['overrun', 'overRuns'],
  nurse: ['nurses', 'Nurse'],
  from: ['From', 'since'],
  visit: ['visits', 'Visit'],
  syncGroups: ['syncgroups', 'sync_groups'],
  dependencies: ['dependency', 'deps'],
  weights: ['weight', 'Weights'],
};

const WEIRD_VALUES: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  -0.5,
  1e308,
  -1e308,
  2 ** 53,
  1e-300,
  -123456789,
  4294967296,
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x10',
  ' 5',
  '-1',
  'null',
  'true',
  '💥',
  '\u0000',
  '\ud800',
  '<script>',
  [],
  {},
  [null],
  [[]],
  { '': null },
  [1, 'a', null],
];

const valueArb: fc.Arbitrary<Json> = weighted<Json>(
  [4, pick(...WEIRD_VALUES)],
  [1, fc.string({ maxLength: 30 })],
  [1, fc.double()],
  [1, fc.integer()],
  [1, fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>],
);

const deep = (n: number, open: string, close: string, inner = '') => open.repeat(n) + inner + close.repeat(n);

/** JSON literal text JSON.stringify never writes (numbers out of range, bad literals, deep nesting). */
const rawTextArb = weighted(
  [
    3,
    pick(
      '1e400',
      '-1e400',
      '1E+999',
      '-0',
      '0.0',
      '123456789012345678901234567890',
      '9007199254740993',
      '1e-400',
      'NaN',
      'Infinity',
      '-Infinity',
      '01',
      '.5',
      '+1',
      '0x10',
      'undefined',
      'tru',
      "'single'",
      '"\\u00"',
      '"\\x41"',
      '[1,]',
      '{"a":1,}',
    ),
  ],
  [
    3,
    fc
      .tuple(pick(31, 32, 33, 100, 1000, 5000), pick('array', 'object', 'mixed'))
      .map(([n, kind]) =>
        kind === 'array'
          ? deep(n, '[', ']')
          : kind === 'object'
            ? deep(n, '{"a":', '}', '1')
            : deep(Math.ceil(n / 2), '[{"a":', '}]', 'null'),
      ),
  ],
);

const mutationArb: fc.Arbitrary<Mutation> = weighted<Mutation>(
  [3, fc.record({ op: fc.constant('drop' as const), at: fc.nat() })],
  [3, fc.record({ op: fc.constant('rename' as const), at: fc.nat(), how: fc.nat() })],
  [4, fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: valueArb })],
  [2, fc.record({ op: fc.constant('raw' as const), at: fc.nat(), text: rawTextArb })],
  [
    3,
    fc.record({
      op: fc.constant('extra' as const),
      at: fc.nat(),
      name: weighted(
        [
          3,
          pick(
            'extra',
            '__proto__',
            'constructor',
            'prototype',
            'toString',
            '',
            'a/b~c',
            '$ref',
            'x'.repeat(1001),
          ),
        ],
        [1, fc.string({ maxLength: 12 })],
      ),
      value: valueArb,
    }),
  ],
  [2, fc.record({ op: fc.constant('wrap' as const), at: fc.nat() })],
  [2, fc.record({ op: fc.constant('dupId' as const), from: fc.nat(), to: fc.nat() })],
  [2, fc.record({ op: fc.constant('ghostRef' as const), at: fc.nat() })],
  [
    2,
    fc.record({
      op: fc.constant('longString' as const),
      at: fc.nat(),
      length: pick(200, 201, 1000, 1001, 10_000, 10_001, 100_000),
      char: pick('x', 'é', '😀', '\u0000', '"'),
    }),
  ],
);

const textOpArb: fc.Arbitrary<TextOp> = weighted<TextOp>(
  [
    3,
    fc.record({ op: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  ],
  [
    2,
    fc.record({
      op: fc.constant('append' as const),
      text: pick('x', '}', ']', ',', ' ', '\u0000', '{}', '/* c */', '\n\n\n'),
    }),
  ],
  [
    2,
    fc.record({
      op: fc.constant('prepend' as const),
      text: pick('\uFEFF', ' ', 'x', '[', '\u0000', ")]}',\n"),
    }),
  ],
  [
    2,
    fc.record({
      op: fc.constant('dupKey' as const),
      key: pick('nurses', 'visits', '__proto__', 'now', 'cron'),
      value: pick('[]', 'null', '5', '{}', '"x"'),
    }),
  ],
  [
    1,
    fc.record({
      op: fc.constant('badBytes' as const),
      bytes: pick([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  ],
  [
    3,
    fc.record({
      op: fc.constant('replace' as const),
      text: weighted(
        [
          4,
          pick(
            '',
            ' ',
            '\n',
            'null',
            'true',
            '0',
            '-1',
            '"text"',
            '[]',
            '{}',
            '[{}]',
            '{"nurses":[]}',
            '{"nurses":{},"visits":{}}',
            '{"nurses":[{}],"visits":[{}]}',
            '{"nurses":',
            '{',
            '}',
            'nurses=1&visits=2',
            '<xml/>',
            '{"__proto__":{"polluted":1},"nurses":[],"visits":[]}',
            '{"constructor":{"prototype":{"x":1}}}',
            'NaN',
            deep(5000, '[', ']'),
            deep(5000, '{"a":', '}', '1'),
            '{"nurses":' + deep(5000, '[', ']') + ',"visits":[]}',
          ),
        ],
        [1, fc.string({ maxLength: 200 })],
        [1, fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v))],
      ),
    }),
  ],
);

/** A body: the base as is, structurally mutated (1-3 mutations), or mangled as text. */
type BodyBase = { kind: 'problem'; base: BaseName } | { kind: 'json'; value: Json };

function bodyOf(base: fc.Arbitrary<BodyBase>) {
  return weighted<BodySpec>(
    [5, base.map((b) => ({ ...b, mutations: [], text: { op: 'none' } }) as BodySpec)],
    [
      12,
      fc
        .tuple(base, fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
        .map(([b, mutations]) => ({ ...b, mutations, text: { op: 'none' } }) as BodySpec),
    ],
    [
      4,
      fc
        .tuple(base, fc.array(mutationArb, { maxLength: 1 }), textOpArb)
        .map(([b, mutations, text]) => ({ ...b, mutations, text }) as BodySpec),
    ],
  );
}

const problemBase = pick<BaseName>('example-day', 'had-5n-40v').map((base) => ({
  kind: 'problem' as const,
  base,
}));

const problemBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [40, bodyOf(problemBase)],
  [
    1,
    fc.record({
      kind: fc.constant('problem' as const),
      base: pick<BaseName>('example-day'),
      mutations: fc
        .tuple(pick('nurses', 'visits', 'dependencies', 'syncGroups'), pick(5001, 20_001, 25_000))
        .map(([field, count]) => [{ op: 'bigList', field, count } as Mutation]),
      text: fc.constant({ op: 'none' } as TextOp),
    }),
  ],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 10 * 1024 * 1024 + 1 })],
);

/** A new visit for re-planning, in the problem's format. */
const newVisit = (id: string, k = 0): JsonObject => ({
  id,
  patient: `p-${k}`,
  location: { lon: 3.06 + (k % 100) / 1000, lat: 50.64 },
  duration: 20,
  skills: ['RN'],
  timeWindows: [{ start: 600, end: 720 }],
});

const changesBase = fc
  .record(
    {
      now: pick<Json>(600, 480, 0, 1439),
      absentNurses: fc.constantFrom<Json>([{ nurse: 'hugo', from: 600 }], [{ nurse: 'ines' }], []),
      newVisits: weighted<Json>(
        [4, pick<Json>([newVisit('urgent-fall')], [])],
        [
          2,
          fc
            .tuple(pick(2, 10, 100, 999, 1000, 1001, 5000), pick('unique', 'same', 'existing'))
            .map(([n, ids]) =>
              Array.from({ length: n }, (_, k) =>
                newVisit(
                  ids === 'unique'
                    ? `new-${k}`
                    : ids === 'same'
                      ? 'new-0'
                      : DAY_VISITS[k % DAY_VISITS.length],
                  k,
                ),
              ),
            ),
        ],
      ),
      cancelledVisits: fc.constantFrom<Json>(['ehpad-follow-up'], [], ['ghost'], DAY_VISITS),
      overruns: fc.constantFrom<Json>(
        [{ visit: 'dupont-insulin-am', end: 560 }],
        [],
        [{ visit: 'ghost', end: 1 }],
      ),
    },
    { requiredKeys: [] },
  )
  .map((value) => ({ kind: 'json' as const, value: value as Json }));

const changesBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [30, bodyOf(changesBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 1024 * 1024 + 1 })],
);

const scheduleBase = fc
  .record(
    {
      cron: weighted<Json>(
        [4, pick('0 2 * * *', '30 1 * * *', '0 3 * * 1-5')],
        [
          3,
          pick(
            '* * * * *',
            '*/5 * * * *',
            '0 * * * *',
            '0 2 31 2 *',
            '0 2 29 2 *',
            '0 0 2 * * *',
            '@daily',
            '@hourly',
            'every day at 2',
            '0 2 * * * *',
            '60 25 * * *',
            '0 2 * * 8',
            '0 2 ? * *',
            '0 2 L * *',
            '0 2 * * MON#5',
            '0 2 1-31/0 * *',
            '0 0-23/1 * * *',
            '        ',
            '0 2 * * *\n* * * * *',
            '0 2 * * *' + ' '.repeat(90),
          ),
        ],
        [1, fc.string({ maxLength: 40 })],
      ),
      timezone: weighted<Json>(
        [4, pick('Europe/Paris', 'America/Cayenne', 'UTC')],
        [
          2,
          pick(
            'Mars/Olympus',
            '',
            'Etc/GMT+14',
            'Etc/GMT-15',
            'europe/paris',
            'Europe/Paris\u0000',
            '+02:00',
            'Z',
            'Local',
            'x'.repeat(65),
          ),
        ],
        [1, fc.string({ maxLength: 20 })],
      ),
      timeLimit: pick<Json>(30, 300, 301, 0, -1, 3600, 3601, 0.001, '5', 'abc'),
    },
    { requiredKeys: ['cron', 'timezone'] },
  )
  .map((value) => ({ kind: 'json' as const, value: value as Json }));

const scheduleBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [30, bodyOf(scheduleBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 1024 * 1024 + 1 })],
);

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

const contentTypeArb = weighted<string | null>(
  [30, fc.constant('application/json')],
  [3, pick(...CONTENT_TYPES)],
  [1, fc.constant(null)],
);

const base = {
  auth: authArb,
  pathStyle: pathStyleArb,
  headers: fc.constant({} as Record<string, string | string[]>),
};

const noBody = { contentType: fc.constant(null), body: fc.constant<BodySpec>({ kind: 'none' }) };

const r = (
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
const otherArb: fc.Arbitrary<RequestSpec> = fc
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

const nurseIdArb = weighted(
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
const coordinatorRequest = (
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
const validSubmission = coordinatorRequest('POST /v1/plans', 'POST', ['v1', 'plans'], DAY_TEXT);

/**
 * Defects the fuzzer found, each as its smallest request (after what it needs, if anything); the
 * CI slice (api/fuzz.test.ts) replays them, and they stay there once fixed, so that they stay fixed.
 */
export const REGRESSIONS: { name: string; found: string; requests: RequestSpec[] }[] = [
  {
    name: 'a problem with validation issues answers 500',
    found:
      'commit 7819257 (at most 100 issues): problem-check-task.ts uses MAX_ISSUES without defining it, so every ' +
      'problem that fails validation (POST /v1/plans, PUT /v1/days/:date, re-plans) throws ReferenceError in the ' +
      "checker's thread: 500 instead of 400",
    requests: [
      coordinatorRequest('POST /v1/plans', 'POST', ['v1', 'plans'], '{"nurses":[{"id":"n"}],"visits":[]}'),
    ],
  },
  {
    name: 're-plan with a new visit nested 5,000 levels deep answers 500',
    found:
      'seed 3 run 1696 and seed 7 run 3066: POST /v1/plans/:id/reoptimize on a solved plan; newVisits items are free-form ' +
      '(additionalProperties), so the parsed body reaches checker.replan, whose thread pool structured-clones it: ' +
      'V8 overflows its stack past about 4,000 levels (RangeError), and the error handler answers 500',
    requests: [
      coordinatorRequest(
        'POST /v1/plans/:id/reoptimize',
        'POST',
        ['v1', 'plans', { plan: { kind: 'solved' } }, 'reoptimize'],
        `{"newVisits":[{"id":"x","a":${deep(5000, '[', ']')}}]}`,
      ),
    ],
  },
  {
    name: "a re-plan or a day's problem refused 429 (tenant busy) leaves the plan's problem counter raised",
    found:
      'seed 1 runs 782 and 5775 (100,000-request run): with the tenant at HHC_TENANT_MAX_QUEUED, POST ' +
      '/v1/plans/:id/reoptimize and PUT /v1/days/:date of a stored day answer 429 E_TENANT_BUSY, but hhcUnstage ' +
      "(workers/store-scripts.ts) does not take back hhcStage's HINCRBY of the plan hash's `problems` (and resets " +
      '`jobId` to <plan>.<current>, losing e.g. a nightly job id): each refusal skips a problem number',
    requests: [
      // Up to 60 submissions fill the tenant's queue (the CI slice caps it at 25; the bench at 40) ...
      ...Array.from({ length: 60 }, () => validSubmission),
      // ... then both refusals.
      coordinatorRequest(
        'POST /v1/plans/:id/reoptimize',
        'POST',
        ['v1', 'plans', { plan: { kind: 'solved' } }, 'reoptimize'],
        '{"cancelledVisits":["ehpad-follow-up"]}',
      ),
      coordinatorRequest('PUT /v1/days/:date', 'PUT', ['v1', 'days', 'SEEDED'], DAY_TEXT),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Rendering: specs to requests
// ---------------------------------------------------------------------------------------------

interface NodeRef {
  parent: Json[] | JsonObject;
  key: string | number;
}

/** Every value below the root (up to `limit`), in document order. */
function nodesOf(root: Json, limit = 20_000): NodeRef[] {
  const out: NodeRef[] = [];
  const walk = (v: Json) => {
    if (out.length >= limit) return;
    if (Array.isArray(v))
      v.forEach((x, k) => {
        out.push({ parent: v, key: k });
        walk(x);
      });
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v, key: k });
        walk(x);
      }
  };
  walk(root);
  return out;
}

const valueAt = (n: NodeRef): Json => (n.parent as Record<string | number, Json>)[n.key];
const setAt = (n: NodeRef, v: Json) => {
  if (Array.isArray(n.parent)) n.parent[n.key as number] = v;
  else defineField(n.parent, n.key as string, v);
};
/** Sets a field even when its name is __proto__ (an own, enumerable field, as JSON.parse makes it). */
const defineField = (o: JsonObject, name: string, v: Json) =>
  Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });

function renameField(o: JsonObject, from: string, to: string) {
  const entries = Object.entries(o).map(([k, v]) => [k === from ? to : k, v] as const);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) defineField(o, k, v);
}

function nearMiss(name: string, how: number): string {
  const known = NEAR_MISSES[name];
  if (known !== undefined && how % 3 !== 0) return known[how % known.length];
  switch (how % 5) {
    case 0:
      return name.charAt(0).toUpperCase() + name.slice(1);
    case 1:
      return `${name}s`;
    case 2:
      return name.slice(0, -1) || '_';
    case 3:
      return name.length > 1 ? name[1] + name[0] + name.slice(2) : `${name}_`;
    default:
      return name.toLowerCase() === name ? `${name}_` : name.toLowerCase();
  }
}

/** Applies the mutations to a copy of `value`; raw texts go in as placeholders, swapped in after JSON.stringify. */
function mutate(value: Json, mutations: Mutation[]): { value: Json; raws: string[] } {
  const root: { root: Json } = { root: structuredClone(value) };
  const raws: string[] = [];
  const placeholder = (text: string) => {
    raws.push(text);
    return `\u0000RAW${raws.length - 1}\u0000`;
  };
  for (const m of mutations) {
    const nodes = nodesOf(root.root);
    const all: NodeRef[] = [{ parent: root as unknown as JsonObject, key: 'root' }, ...nodes];
    const at = (k: number) => (nodes.length === 0 ? all[0] : nodes[k % nodes.length]);
    switch (m.op) {
      case 'drop': {
        if (nodes.length === 0) break;
        const n = at(m.at);
        if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
        else delete n.parent[n.key as string];
        break;
      }
      case 'rename': {
        const fields = nodes.filter((n) => !Array.isArray(n.parent));
        if (fields.length === 0) break;
        const n = fields[m.at % fields.length];
        renameField(n.parent as JsonObject, n.key as string, nearMiss(n.key as string, m.how));
        break;
      }
      case 'set':
        setAt(at(m.at), structuredClone(m.value));
        break;
      case 'raw':
        setAt(at(m.at), placeholder(m.text));
        break;
      case 'extra': {
        const objects = all
          .map(valueAt)
          .filter((v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v));
        if (objects.length === 0) break;
        defineField(objects[m.at % objects.length], m.name, structuredClone(m.value));
        break;
      }
      case 'wrap': {
        const containers = all.filter((n) => {
          const v = valueAt(n);
          return v !== null && typeof v === 'object';
        });
        if (containers.length === 0) break;
        const n = containers[m.at % containers.length];
        const v = valueAt(n);
        // An array where an object goes, an object where an array goes.
        setAt(
          n,
          Array.isArray(v) ? (Object.fromEntries(v.map((x, k) => [String(k), x])) as JsonObject) : [v],
        );
        break;
      }
      case 'dupId': {
        const withIds = all
          .map(valueAt)
          .filter(
            (v): v is JsonObject =>
              v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.id === 'string',
          );
        if (withIds.length < 2) break;
        const from = withIds[m.from % withIds.length];
        const to = withIds[m.to % withIds.length];
        to.id = from === to ? withIds[(m.to + 1) % withIds.length].id : from.id;
        break;
      }
      case 'ghostRef': {
        const strings = nodes.filter((n) => typeof valueAt(n) === 'string');
        if (strings.length === 0) break;
        setAt(strings[m.at % strings.length], `ghost-${m.at % 97}`);
        break;
      }
      case 'longString': {
        const strings = nodes.filter((n) => typeof valueAt(n) === 'string');
        const n = strings.length === 0 ? at(m.at) : strings[m.at % strings.length];
        setAt(n, m.char.repeat(m.length));
        break;
      }
      case 'bigList': {
        const o = root.root;
        if (o === null || typeof o !== 'object' || Array.isArray(o)) break;
        const list =
          Array.isArray(o[m.field]) && (o[m.field] as Json[]).length > 0 ? (o[m.field] as Json[]) : [{}];
        o[m.field] = Array.from({ length: m.count }, (_, k) => {
          const item = list[k % list.length];
          if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
          const o = item as JsonObject;
          return typeof o.id === 'string' ? { ...o, id: `${o.id}-${k}` } : o;
        });
        break;
      }
    }
  }
  return { value: root.root, raws };
}

function applyText(text: string, op: TextOp): string | Buffer {
  switch (op.op) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, Math.floor(text.length * op.fraction));
    case 'append':
      return text + op.text;
    case 'prepend':
      return op.text + text;
    case 'dupKey':
      return text.startsWith('{') ? `{"${op.key}":${op.value},${text.slice(1)}` : text;
    case 'badBytes': {
      const bytes = Buffer.from(text, 'utf8');
      const at = Math.floor(bytes.length * op.at);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(op.bytes), bytes.subarray(at)]);
    }
    case 'replace':
      return op.text;
  }
}

const hugeBodies = new Map<number, string>();
/** A body of `bytes` bytes (valid JSON, a padded problem), made once. */
function hugeBody(bytes: number): string {
  let text = hugeBodies.get(bytes);
  if (text === undefined) {
    const head = `{"name":"`;
    const tail = `",${DAY_TEXT.slice(1)}`;
    text = head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
    hugeBodies.set(bytes, text);
  }
  return text;
}

/** The bytes of a body spec (undefined: no body). */
export function renderBody(body: BodySpec): string | Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'huge':
      return hugeBody(body.bytes);
    case 'problem':
    case 'json': {
      const start: Json = body.kind === 'problem' ? BASES[body.base] : body.value;
      const { value, raws } = mutate(start, body.mutations);
      let text = JSON.stringify(value) ?? 'null';
      raws.forEach((raw, k) => {
        text = text.replace(JSON.stringify(`\u0000RAW${k}\u0000`), () => raw);
      });
      return applyText(text, body.text);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The run: what exists, sending, and the invariants
// ---------------------------------------------------------------------------------------------

interface Known {
  tenant: string;
  planId: string;
  jobId: string;
}

/** What exists in the store while fuzzing (made again at each reset). */
interface World {
  solved: Known;
  pending: Known;
  otherSolved: Known;
  day: string;
  recent: (Known & { who: Who })[];
}

/** A request as sent. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface FuzzFailure {
  invariant:
    'no-5xx' | 'issues-on-400' | 'nothing-left-behind' | 'readable-after-202' | 'timeout' | 'inject-error';
  route: string;
  request: SentRequest;
  status: number | null;
  response: string;
  detail: string;
  /** The generated value (replayable with its seed and run number). */
  spec: RequestSpec;
  run: number;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  byStatus: Record<number, number>;
  byRoute: Record<string, Record<number, number>>;
  /** Invariant failures (the first `maxFailures` kept in full). */
  failures: FuzzFailure[];
  failureCount: number;
  /** Distinct failures: invariant, route and status, with a count and the first request. */
  failureKinds: { key: string; count: number; first: FuzzFailure }[];
  resets: number;
  /** Answers slower than `slowMs` (not an invariant: a hint of work done on the event loop). */
  slow: { route: string; ms: number; status: number; request: SentRequest }[];
  durationMs: number;
  requestsPerSecond: number;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  app: FastifyInstance;
  svc: FuzzService;
  keys: FuzzKeys;
  /** Store and queue are emptied and seeded again every so many requests (keeps the snapshots small); default 1000. */
  resetEvery?: number;
  /** A request longer than this is a failure (no route may wait: `wait` is never positive); default 15 s. */
  timeoutMs?: number;
  /** An answer slower than this is listed in `slow` (default 1000 ms). */
  slowMs?: number;
  /** Failures kept in full (the count goes on); default 200. */
  maxFailures?: number;
  /** Where failing requests are printed as they happen (default console.error; null: silent). */
  log?: ((line: string) => void) | null;
  /** Called every `progressEvery` requests (default 5000). */
  onProgress?: (done: number, report: FuzzReport) => void;
  progressEvery?: number;
  /** Sees every answer (for debugging a generator). */
  onResponse?: (spec: RequestSpec, request: SentRequest, status: number, body: string) => void;
  /** Other arbitrary (default requestArbitrary). */
  arbitrary?: fc.Arbitrary<RequestSpec>;
  /** Sends these requests, in order, instead of generated ones (`runs` and `seed` are then ignored): a replay. */
  replay?: RequestSpec[];
}

/**
 * Every key under the patterns (ARGV: pattern, key to leave out, ...; rate-limit counters left
 * out) with its type and value, in one round trip: values of up to 512 bytes as they are ('=' and
 * the value: a hash as sorted field NUL value pairs, SOH between), longer ones as a SHA-1 ('#').
 */
const SNAPSHOT_LUA = `
local function short(v)
  if #v <= 512 then return '=' .. v end
  return '#' .. redis.sha1hex(v)
end
local out = {}
for i = 1, #ARGV, 2 do
  local keys = redis.call('KEYS', ARGV[i])
  local skip = ARGV[i + 1]
  for _, k in ipairs(keys) do
    if not string.find(k, ':rate:', 1, true) and (skip == '' or k ~= skip) then
      local t = redis.call('TYPE', k).ok
      local v = ''
      if t == 'string' then
        v = short(redis.call('GET', k))
      elseif t == 'hash' then
        local h = redis.call('HGETALL', k)
        local fields = {}
        for j = 1, #h, 2 do fields[#fields + 1] = h[j] .. '\\0' .. h[j + 1] end
        table.sort(fields)
        v = short(table.concat(fields, '\\1'))
      elseif t == 'zset' then
        v = '=' .. table.concat(redis.call('ZRANGE', k, 0, -1, 'WITHSCORES'), '\\1')
      elseif t == 'set' then
        local s = redis.call('SMEMBERS', k)
        table.sort(s)
        v = short(table.concat(s, '\\1'))
      elseif t == 'list' then
        v = short(table.concat(redis.call('LRANGE', k, 0, -1), '\\1'))
      elseif t == 'stream' then
        local last = redis.call('XREVRANGE', k, '+', '-', 'COUNT', 1)
        v = '=' .. redis.call('XLEN', k) .. ':' .. ((last[1] and last[1][1]) or '')
      end
      out[#out + 1] = k
      out[#out + 1] = t
      out[#out + 1] = v
    end
  end
end
return out
`;

type Snapshot = Map<string, string>;

interface StoreState {
  keys: Snapshot;
  counts: Record<string, number>;
}

/** What changed in a value, when both are short: a hash's fields, else the values. */
function changeOf(was: string, now: string): string {
  const [type, a] = [was.slice(0, was.indexOf(' ')), was.slice(was.indexOf(' ') + 1)];
  const b = now.slice(now.indexOf(' ') + 1);
  if (!a.startsWith('=') || !b.startsWith('=')) return '';
  const show = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
  if (type !== 'hash') return `: ${show(a.slice(1))} → ${show(b.slice(1))}`;
  const fields = (s: string) =>
    new Map(
      s
        .slice(1)
        .split('\u0001')
        .filter((f) => f !== '')
        .map((f) => [f.slice(0, f.indexOf('\u0000')), f.slice(f.indexOf('\u0000') + 1)] as const),
    );
  const [x, y] = [fields(a), fields(b)];
  const names = [...new Set([...x.keys(), ...y.keys()])].filter((n) => x.get(n) !== y.get(n));
  return `: ${names.map((n) => `${n} ${show(x.get(n) ?? '(none)')} → ${show(y.get(n) ?? '(none)')}`).join(', ')}`;
}

/** The differences between two snapshots that a refused request may not make. */
function stateDiff(before: StoreState, after: StoreState): string[] {
  const out: string[] = [];
  for (const [k, v] of after.keys) {
    const was = before.keys.get(k);
    if (was === undefined) out.push(`+ ${k} (${v.split(' ')[0]})`);
    else if (was !== v) {
      // A tenant's queued set forgets jobs that ended or were removed when a slot is asked for
      // (workers/tenant-slots.ts): members may go, none may come.
      if (/:t:[^:]+:queued$/.test(k) && v.startsWith('zset =') && was.startsWith('zset =')) {
        const members = (s: string) =>
          new Set(
            s
              .slice(6)
              .split('\u0001')
              .filter((_, i) => i % 2 === 0),
          );
        const old = members(was);
        if ([...members(v)].every((m) => old.has(m))) continue;
      }
      out.push(`~ ${k} (${v.split(' ')[0]}${changeOf(was, v)})`);
    }
  }
  for (const k of before.keys.keys()) if (!after.keys.has(k)) out.push(`- ${k}`);
  for (const [name, n] of Object.entries(after.counts))
    if ((before.counts[name] ?? 0) !== n) out.push(`job count ${name}: ${before.counts[name] ?? 0} → ${n}`);
  return out;
}

const ROUTES_202 = new Set(['POST /v1/plans', 'PUT /v1/days/:date', 'POST /v1/plans/:id/reoptimize']);

/** Checks invariant 2 on a 400's body; the problem, or null. */
export function issuesProblem(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const issues = (json as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return 'no issues array';
  if (issues.length === 0) return 'issues is empty';
  for (const [k, i] of issues.entries()) {
    const issue = i as Record<string, unknown> | null;
    for (const field of ['pointer', 'code', 'message'])
      if (typeof issue?.[field] !== 'string') return `issues[${k}].${field} is not a string`;
  }
  return null;
}

/** A failure as text: the invariant, the request (method, url, headers, first 500 characters of body) and the response. */
export function formatFailure(f: FuzzFailure): string {
  const body =
    f.request.body === undefined
      ? '(none)'
      : JSON.stringify(
          (Buffer.isBuffer(f.request.body) ? f.request.body.toString('latin1') : f.request.body).slice(
            0,
            500,
          ),
        );
  return [
    `[${f.invariant}] ${f.route} → ${f.status ?? '-'} (run ${f.run}): ${f.detail}`,
    `  ${f.request.method} ${f.request.url.slice(0, 1000)}`,
    `  headers: ${JSON.stringify(f.request.headers).slice(0, 1000)}`,
    `  body (${f.request.body === undefined ? 0 : Buffer.byteLength(f.request.body)} bytes): ${body}`,
    `  response: ${f.response.slice(0, 500)}`,
  ].join('\n');
}

const uuid = (n: number) => {
  const h = (n >>> 0).toString(16).padStart(8, '0');
  return `${h}-0000-4000-8000-${h}0000`;
};

/**
 * Sends `runs` generated requests (fast-check, `seed`) through `app.inject()` and checks the three
 * invariants on each; returns counts by status and route and every failure. Never throws on a
 * failed invariant: the caller asserts `failures` is empty.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { runs, seed, app, svc, keys } = options;
  const resetEvery = options.resetEvery ?? 1000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxFailures = options.maxFailures ?? 200;
  const slowMs = options.slowMs ?? 1000;
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
  const progressEvery = options.progressEvery ?? 5000;
  const redis = svc.redis.duplicate({
    commandTimeout: 30_000,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 3,
  });
  const queueKeys = svc.queue.toKey('');
  const patterns = [`${svc.prefix}:*`, '', `${queueKeys}*`, `${queueKeys}events`];
  const keyOf: Record<Who, string> = { coordinator: keys.coordinator, nurse: keys.nurse, other: keys.other };
  const tenantOf: Record<Who, string> = {
    coordinator: keys.tenant,
    nurse: keys.tenant,
    other: keys.otherTenant,
  };

  const report: FuzzReport = {
    seed,
    requests: 0,
    byStatus: {},
    byRoute: {},
    failures: [],
    failureCount: 0,
    failureKinds: [],
    resets: 0,
    slow: [],
    durationMs: 0,
    requestsPerSecond: 0,
  };
  const kinds = new Map<string, { key: string; count: number; first: FuzzFailure }>();
  const fail = (f: FuzzFailure) => {
    report.failureCount++;
    if (report.failures.length < maxFailures) report.failures.push(f);
    const key = `${f.invariant} | ${f.route} | ${f.status ?? '-'}`;
    const kind = kinds.get(key);
    if (kind === undefined) {
      kinds.set(key, { key, count: 1, first: f });
      log?.(formatFailure(f));
    } else kind.count++;
  };

  const snapshot = async (): Promise<StoreState> => {
    const flat = (await redis.eval(SNAPSHOT_LUA, 0, ...patterns)) as string[];
    const map: Snapshot = new Map();
    for (let k = 0; k < flat.length; k += 3) map.set(flat[k], `${flat[k + 1]} ${flat[k + 2]}`);
    const counts = (await svc.queue.getJobCounts()) as Record<string, number>;
    return { keys: map, counts };
  };

  const auth = (who: Who) => ({ authorization: `Bearer ${keyOf[who]}` });
  const submit = async (who: Who, url: string, method: 'POST' | 'PUT', payload: string): Promise<Known> => {
    const res = await app.inject({
      method,
      url,
      payload,
      headers: { ...auth(who), 'content-type': 'application/json' },
    });
    if (res.statusCode !== 202)
      throw new Error(`fuzz setup: ${method} ${url} answered ${res.statusCode}: ${res.body}`);
    const { planId, jobId } = res.json() as { planId: string; jobId: string };
    return { tenant: tenantOf[who], planId, jobId };
  };
  const solvedOne = async (who: Who): Promise<Known> => {
    const known = await submit(who, '/v1/plans?timeLimit=1', 'POST', DAY_TEXT);
    const write = await svc.store.addVersion(known.tenant, known.planId, {
      status: 'solved',
      jobId: known.jobId,
      plan: solvedPlan(),
      problem: 1,
    });
    if (write.status !== 'written') throw new Error(`fuzz setup: version not written (${write.status})`);
    return known;
  };
  /** Empties the store (keys and rate counters stay) and the queue, and seeds them again. */
  const reset = async (): Promise<World> => {
    await svc.queue.obliterate({ force: true });
    const stale = (await redis.keys(`${svc.prefix}:*`)).filter(
      (k) => !k.includes(':rate:') && !k.startsWith(`${svc.prefix}:key:`),
    );
    if (stale.length > 0) await redis.del(...stale);
    const day = '2099-01-05';
    const world: World = {
      solved: await solvedOne('coordinator'),
      pending: await submit(
        'coordinator',
        '/v1/plans?timeLimit=1',
        'POST',
        JSON.stringify(BASES['had-5n-40v']),
      ),
      otherSolved: await solvedOne('other'),
      day,
      recent: [],
    };
    await submit('coordinator', `/v1/days/${day}?timeLimit=1`, 'PUT', DAY_TEXT);
    return world;
  };

  let world = await reset();
  let n = 0; // counter for random ids
  const whoOf = (a: AuthSpec): Who | null => (a.kind === 'key' || a.kind === 'twice' ? a.who : null);

  const planId = (ref: PlanRef, who: Who | null): string => {
    switch (ref.kind) {
      case 'solved':
        return (who === 'other' ? world.otherSolved : world.solved).planId;
      case 'pending':
        return world.pending.planId;
      case 'recent':
        return (world.recent[n % Math.max(1, world.recent.length)] ?? world.pending).planId;
      case 'otherSolved':
        return (who === 'other' ? world.solved : world.otherSolved).planId;
      case 'random':
        return uuid(++n * 2654435761);
      case 'bad':
        return ref.text;
    }
  };
  const jobId = (ref: JobRef, who: Who | null): string => {
    switch (ref.kind) {
      case 'waiting':
        return (who === 'other' ? world.otherSolved : world.pending).jobId;
      case 'recent':
        return (world.recent[n % Math.max(1, world.recent.length)] ?? world.pending).jobId;
      case 'cross':
        // A job of a tenant other than the caller's (never the caller's own: see foreignJobRefArb).
        return (who === 'other' ? world.solved : world.otherSolved).jobId;
      case 'random':
        return `${uuid(++n * 2654435761)}.1`;
      case 'numeric':
        return String(ref.n);
      case 'bad':
        return ref.text;
    }
  };

  const encodeAll = (s: string) =>
    [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

  const resolve = (spec: RequestSpec): SentRequest => {
    const who = whoOf(spec.auth);
    const parts = spec.segments.map((s) => {
      if (typeof s === 'string') {
        if (s === 'SEEDED') return world.day;
        if (s === 'SELF') return keys.nurseId;
        return spec.route === 'other' ? s : encodeURIComponent(s);
      }
      const id = 'plan' in s ? planId(s.plan, who) : jobId(s.job, who);
      return spec.pathStyle === 'encode-ids' ? encodeAll(id) : encodeURIComponent(id);
    });
    let path = `/${parts.join('/')}`;
    switch (spec.pathStyle) {
      case 'encode-v1':
        path = path.replace(/^\/v1\//, '/%761/');
        break;
      case 'upper':
        path = path.replace(/^\/v1\//, '/V1/');
        break;
      case 'double-slash':
        path = path.replace(/^\/v1\//, '/v1//');
        break;
      case 'trailing-slash':
        path = `${path}/`;
        break;
      case 'dot-segment':
        path = path.replace(/^\/v1\//, '/v1/./');
        break;
      case 'encoded-slash':
        path = `/${parts.join('%2F')}`;
        break;
      case 'semicolon':
        path = `${path};x=1`;
        break;
      default:
        break;
    }
    const headers: Record<string, string | string[]> = { ...spec.headers };
    const a = spec.auth;
    if (a.kind === 'key') headers.authorization = a.style.replaceAll('KEY', keyOf[a.who]);
    else if (a.kind === 'revoked') headers.authorization = `Bearer ${keys.revoked}`;
    else if (a.kind === 'garbage') headers.authorization = a.text;
    else if (a.kind === 'twice') headers.authorization = [`Bearer ${keyOf[a.who]}`, `Bearer ${keyOf[a.who]}`];
    if (spec.contentType !== null) headers['content-type'] = spec.contentType;
    const body = renderBody(spec.body);
    return { method: spec.method, url: spec.query === '' ? path : `${path}?${spec.query}`, headers, body };
  };

  const inject = async (req: SentRequest) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((ok) => {
      timer = setTimeout(() => ok('timeout'), timeoutMs);
    });
    try {
      return await Promise.race([
        app.inject({
          method: req.method as 'GET',
          url: req.url,
          headers: req.headers,
          ...(req.body !== undefined && { payload: req.body }),
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const t0 = performance.now();
  let before: StoreState | null = null;
  let run = 0;

  const one = async (spec: RequestSpec): Promise<void> => {
    run++;
    if (run > 1 && (run - 1) % resetEvery === 0) {
      world = await reset();
      report.resets++;
      before = null;
    }
    const req = resolve(spec);
    before ??= await snapshot();
    const failure = (
      invariant: FuzzFailure['invariant'],
      status: number | null,
      response: string,
      detail: string,
    ) => fail({ invariant, route: spec.route, request: req, status, response, detail, spec, run });
    let res: Awaited<ReturnType<typeof inject>>;
    const sent = performance.now();
    try {
      res = await inject(req);
    } catch (e) {
      // light-my-request refuses some requests before the app sees them (e.g. bad header characters).
      failure('inject-error', null, '', (e as Error).message);
      before = null;
      return;
    }
    report.requests++;
    if (res === 'timeout') {
      failure('timeout', null, '', `no answer within ${timeoutMs} ms`);
      before = null;
      return;
    }
    const status = res.statusCode;
    const ms = performance.now() - sent;
    if (ms > slowMs && report.slow.length < maxFailures)
      report.slow.push({ route: spec.route, ms, status, request: req });
    options.onResponse?.(spec, req, status, res.body);
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    const byRoute = (report.byRoute[spec.route] ??= {});
    byRoute[status] = (byRoute[status] ?? 0) + 1;
    if (status >= 500) failure('no-5xx', status, res.body, 'a 5xx answer');
    // A HEAD answer has no body (HTTP): its 400 is the GET's, which is checked on its own.
    if (status === 400 && req.method !== 'HEAD') {
      const problem = issuesProblem(res.body);
      if (problem !== null) failure('issues-on-400', status, res.body, problem);
    }
    if (status >= 400 && status < 500) {
      const after = await snapshot();
      const diff = stateDiff(before, after);
      if (diff.length > 0)
        failure(
          'nothing-left-behind',
          status,
          res.body,
          `the store changed: ${diff.slice(0, 10).join('; ')}`,
        );
      before = after;
      return;
    }
    before = null;
    if (status === 202 && ROUTES_202.has(spec.route)) {
      const who = whoOf(spec.auth) ?? 'coordinator';
      let id: string | undefined;
      let job: string | undefined;
      try {
        ({ planId: id, jobId: job } = res.json() as { planId?: string; jobId?: string });
      } catch {
        // not JSON: the readback below fails and says so
      }
      const got = await app.inject({
        url: `/v1/plans/${encodeURIComponent(String(id))}`,
        headers: auth(who),
      });
      if (got.statusCode !== 200 || (got.json() as { planId?: string }).planId !== id)
        failure('readable-after-202', got.statusCode, got.body, `GET /v1/plans/${id} after the 202`);
      else if (typeof job === 'string') {
        world.recent.unshift({ tenant: tenantOf[who], planId: String(id), jobId: job, who });
        world.recent.length = Math.min(world.recent.length, 20);
      }
    }
  };
  const progress = () => {
    if (options.onProgress !== undefined && run % progressEvery === 0) {
      finish();
      options.onProgress(run, report);
    }
  };

  const finish = () => {
    report.durationMs = performance.now() - t0;
    report.requestsPerSecond = report.requests / (report.durationMs / 1000);
    report.failureKinds = [...kinds.values()].sort((a, b) => b.count - a.count);
  };

  try {
    if (options.replay !== undefined) {
      for (const spec of options.replay) {
        await one(spec);
        progress();
      }
      finish();
      return report;
    }
    // Every value is checked by `one`; the property never fails, so fast-check neither stops nor shrinks.
    const details = await fc.check(
      fc.asyncProperty(options.arbitrary ?? requestArbitrary, async (spec) => {
        await one(spec);
        progress();
        return true;
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // Only the harness itself can fail the property (Redis gone, setup refused): say so.
    if (details.failed)
      throw new Error(`the fuzz run stopped at request ${run}`, { cause: details.errorInstance });
  } finally {
    redis.disconnect();
  }
  finish();
  return report;
}
