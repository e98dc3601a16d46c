/** Generators of the Authorization header, ids, path spellings, dates and query strings, and the helpers the other generators share. */
import fc from 'fast-check';

import { type AuthSpec, type JobRef, type PathStyle, type PlanRef, type Who } from './specs.ts';

export const pick = <T>(...values: T[]) => fc.constantFrom(...values);
export const weighted = <T>(...entries: [number, fc.Arbitrary<T>][]) =>
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

export const authArb: fc.Arbitrary<AuthSpec> = weighted<AuthSpec>(
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

export const planRefArb: fc.Arbitrary<PlanRef> = weighted<PlanRef>(
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

export const jobRefArb: fc.Arbitrary<JobRef> = weighted<JobRef>(
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
export const foreignJobRefArb: fc.Arbitrary<JobRef> = weighted<JobRef>(
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

export const pathStyleArb: fc.Arbitrary<PathStyle> = weighted<PathStyle>(
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

export const dateArb = weighted(
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
export const TIME_LIMITS = [
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
export const SEEDS = [
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
export const WAITS = [
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
export const UNKNOWN_PARAMS = [
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

export function queryArb(params: Record<string, string[]>): fc.Arbitrary<string> {
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

export const SOLVE_QUERY = { timeLimit: TIME_LIMITS, seed: SEEDS, wait: WAITS };

export const IDEMPOTENCY_KEYS = ['fuzz-1', 'fuzz-2', 'fuzz-3'];
export const idemArb = weighted<string | string[] | null>(
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
