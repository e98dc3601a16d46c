/** Body generators: near-miss field names, odd values, raw JSON text, structural and textual mutations of problems, re-plan changes and schedules. */
import fc from 'fast-check';
import { pick, weighted } from './arbitraries.ts';

import { type BaseName, DAY_VISITS, type Json, type JsonObject } from './service.ts';
import { type BodySpec, type Mutation, type TextOp } from './specs.ts';

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

export const WEIRD_VALUES: Json[] = [
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

export const valueArb: fc.Arbitrary<Json> = weighted<Json>(
  [4, pick(...WEIRD_VALUES)],
  [1, fc.string({ maxLength: 30 })],
  [1, fc.double()],
  [1, fc.integer()],
  [1, fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>],
);

export const deep = (n: number, open: string, close: string, inner = '') =>
  open.repeat(n) + inner + close.repeat(n);

/** JSON literal text JSON.stringify never writes (numbers out of range, bad literals, deep nesting). */
export const rawTextArb = weighted(
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

export const mutationArb: fc.Arbitrary<Mutation> = weighted<Mutation>(
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

export const textOpArb: fc.Arbitrary<TextOp> = weighted<TextOp>(
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
export type BodyBase = { kind: 'problem'; base: BaseName } | { kind: 'json'; value: Json };

export function bodyOf(base: fc.Arbitrary<BodyBase>) {
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

export const problemBase = pick<BaseName>('example-day', 'had-5n-40v').map((base) => ({
  kind: 'problem' as const,
  base,
}));

export const problemBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
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
export const newVisit = (id: string, k = 0): JsonObject => ({
  id,
  patient: `p-${k}`,
  location: { lon: 3.06 + (k % 100) / 1000, lat: 50.64 },
  duration: 20,
  skills: ['RN'],
  timeWindows: [{ start: 600, end: 720 }],
});

export const changesBase = fc
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

export const changesBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [30, bodyOf(changesBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 1024 * 1024 + 1 })],
);

/** A visit of a recommendation request: a new one, a visit of the day (planned: refused), a ghost, or anything. */
const recommendedVisitArb = weighted<Json>(
  [4, fc.integer({ min: 0, max: 3 }).map((k) => newVisit(`fuzz-new-${k}`, k))],
  [2, pick<Json>(...DAY_VISITS.slice(0, 3), 'ghost', '', 'x'.repeat(1001))],
  [
    1,
    fc.constantFrom<Json>(
      { ...newVisit('bad'), duration: -5 },
      { id: 'no-location' },
      { ...newVisit(DAY_VISITS[0]) },
    ),
  ],
  [1, valueArb],
);

export const recommendationsBase = fc
  .record(
    {
      version: pick<Json>(1, 2, 0, -1, 1.5, '1', 1e9, 1e10),
      visit: recommendedVisitArb,
      count: pick<Json>(1, 5, 50, 51, 0, -1, 2.5, '5'),
      slots: pick<Json>(
        { length: 120 },
        { length: 60, step: 30, from: 480, to: 720 },
        { length: 60, step: 0.0001 },
        { length: 0 },
        { length: 60, from: '2026-12-07T08:00' },
        { length: 60, from: 'tomorrow' },
        { length: 60, to: 100, from: 200 },
        { step: 10 },
        {},
      ),
    },
    { requiredKeys: ['visit'] },
  )
  .map((value) => ({ kind: 'json' as const, value: value as Json }));

export const recommendationsBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [20, bodyOf(recommendationsBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 1024 * 1024 + 1 })],
);

export const applyBase = fc
  .record(
    {
      version: pick<Json>(1, 2, 0, 1.5, '1'),
      visit: recommendedVisitArb,
      nurse: pick<Json>('claire', 'hugo', 'ines', 'ghost', '', 7),
      shift: pick<Json>(0, 1, -1, 0.5),
      after: pick<Json>(null, ...DAY_VISITS.slice(0, 4), 'ghost', '', 3),
      window: pick<Json>({ start: 600, end: 720 }, { start: 720, end: 600 }, { start: 'x', end: 1 }, {}),
    },
    { requiredKeys: ['version', 'visit', 'nurse', 'after'] },
  )
  .map((value) => ({ kind: 'json' as const, value: value as Json }));

export const applyBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [20, bodyOf(applyBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 1024 * 1024 + 1 })],
);

/** VROOM requests: the documented shape, with odd and unsupported fields. */
export const vroomBase = fc
  .record(
    {
      vehicles: pick<Json>(
        [{ id: 1, start: [3.06, 50.63], end: [3.06, 50.63], time_window: [28800, 43200] }],
        [{ id: 1, start_index: 0, end_index: 0 }],
        [{ id: 1, end: [3.06, 50.63] }],
        [{ id: 1, start: [3.06, 50.63], capacity: [4, 2], max_travel_time: 100 }],
        [],
        'x',
      ),
      jobs: pick<Json>(
        [{ id: 1, location: [3.07, 50.64], service: 300, time_windows: [[30000, 40000]] }],
        [{ id: 1, location_index: 1 }],
        [{ id: 1, location: [3.07], setup: 60, pickup: [1] }],
        [{ id: 'a' }],
        [],
      ),
      matrices: pick<Json>(
        {
          car: {
            durations: [
              [0, 60],
              [60, 0],
            ],
          },
        },
        { car: { costs: [[0]] } },
        { car: {} },
        [],
      ),
      shipments: pick<Json>([], [{ pickup: { id: 1 }, delivery: { id: 2 } }]),
    },
    { requiredKeys: [] },
  )
  .map((value) => ({ kind: 'json' as const, value: value as Json }));

export const vroomBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [20, bodyOf(vroomBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 10 * 1024 * 1024 + 1 })],
);

export const scheduleBase = fc
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

export const scheduleBodyArb: fc.Arbitrary<BodySpec> = weighted<BodySpec>(
  [30, bodyOf(scheduleBase)],
  [1, pick<BodySpec>({ kind: 'none' }, { kind: 'huge', bytes: 1024 * 1024 + 1 })],
);
