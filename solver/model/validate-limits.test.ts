import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMankowska } from '../io/mankowska.ts';
import { parseSolomon } from '../io/solomon.ts';
import type { Plan } from './plan.ts';
import { InputError } from './errors.ts';
import type { ProblemInput } from './input.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { findProblemIssues, validateProblem } from './validate.ts';
import { didYouMean } from './validate-shape.ts';

const at = (x: number) => ({ x, y: 0 });
const base = (): ProblemInput => ({
  nurses: [{ id: 'A', start: at(0), shift: { start: 480, end: 960 }, skills: ['RN'] }],
  visits: [
    { id: 'v1', location: at(5), skills: ['RN'], timeWindows: [{ start: 500, end: 600 }] },
    { id: 'v2', location: at(6) },
  ],
});
const issuesOf = (p: unknown, options?: Parameters<typeof findProblemIssues>[1]) =>
  findProblemIssues(p, options).map((i) => `${i.code} ${i.where}: ${i.message}`);
/** Adds fields the types do not know, as a hostile or careless body would. */
const put = (o: object, fields: Record<string, unknown>) => Object.assign(o, fields);

describe('unknown fields', () => {
  it('are reported at every depth, with the known name meant when one is close', () => {
    const p = base();
    put(p, { visit: [], objetive: 'distance' });
    put(p.nurses[0], { skill: ['RN'], Profile: 'car' });
    put(p.nurses[0].shift!, { stat: 480 });
    put(p.nurses[0].start, { lng: 3 }); // two edits from 'lon': too far for three letters
    put(p.visits[0], { timewindows: [], prefferedNurses: ['A'], colour: 'red', 'a/b~c': 1 });
    put(p.visits[0].timeWindows![0], { ned: 600 });
    p.weights = { lateness: 1 };
    put(p.weights, { latenes: 1 });
    p.syncGroups = [{ visits: ['v1', 'v2'] }];
    put(p.syncGroups[0], { tolerence: 5 });
    expect(issuesOf(p)).toEqual([
      "E_UNKNOWN_FIELD /visit: unknown field 'visit'; did you mean 'visits'?",
      "E_UNKNOWN_FIELD /objetive: unknown field 'objetive'; did you mean 'objective'?",
      "E_UNKNOWN_FIELD /nurses/0/skill: unknown field 'skill'; did you mean 'skills'?",
      "E_UNKNOWN_FIELD /nurses/0/Profile: unknown field 'Profile'; did you mean 'profile'?",
      "E_UNKNOWN_FIELD /nurses/0/start/lng: unknown field 'lng'",
      "E_UNKNOWN_FIELD /nurses/0/shift/stat: unknown field 'stat'; did you mean 'start'?",
      "E_UNKNOWN_FIELD /visits/0/timewindows: unknown field 'timewindows'; did you mean 'timeWindows'?",
      "E_UNKNOWN_FIELD /visits/0/prefferedNurses: unknown field 'prefferedNurses'; did you mean 'preferredNurses'?",
      "E_UNKNOWN_FIELD /visits/0/colour: unknown field 'colour'",
      "E_UNKNOWN_FIELD /visits/0/a~1b~0c: unknown field 'a/b~c'",
      "E_UNKNOWN_FIELD /visits/0/timeWindows/0/ned: unknown field 'ned'; did you mean 'end'?",
      "E_UNKNOWN_FIELD /syncGroups/0/tolerence: unknown field 'tolerence'; did you mean 'tolerance'?",
      "E_UNKNOWN_FIELD /weights/latenes: unknown field 'latenes'; did you mean 'lateness'?",
    ]);
  });

  it('covers breaks, periods, overtime, position, pinned, frozen, preferred windows, dependencies, profiles', () => {
    const p = base();
    p.profiles = { car: { speed: 30 } };
    put(p.profiles.car, { sped: 30 });
    p.nurses[0].breaks = [{ duration: 30, window: { start: 600, end: 700 } }];
    put(p.nurses[0].breaks[0], { length: 30 });
    put(p.nurses[0].breaks[0].window, { begin: 600 });
    p.nurses[0].unavailable = [{ start: 800, end: 820 }];
    put(p.nurses[0].unavailable[0], { why: 'dentist' });
    p.nurses[0].overtime = { max: 30 };
    put(p.nurses[0].overtime, { Max: 30 });
    p.nurses[0].position = { location: at(1), time: 500 };
    put(p.nurses[0].position, { tme: 500 });
    p.visits[0].preferredWindow = { end: 550 };
    put(p.visits[0].preferredWindow, { costPerMinutes: 2 });
    p.visits[0].pinned = { nurse: 'A' };
    put(p.visits[0].pinned, { nurses: 'A' });
    p.visits[1].frozen = { nurse: 'A', start: 500 };
    put(p.visits[1].frozen, { end: 520 });
    p.visits[1].durationByNurse = { A: 5, 'any/key': 6 } as Record<string, number>;
    p.dependencies = [{ before: 'v1', after: 'v2' }];
    put(p.dependencies[0], { delay: 5 });
    const where = findProblemIssues(p)
      .filter((i) => i.code === 'E_UNKNOWN_FIELD')
      .map((i) => i.where);
    expect(where).toEqual([
      '/profiles/car/sped',
      '/nurses/0/overtime/Max',
      '/nurses/0/position/tme',
      '/nurses/0/breaks/0/length',
      '/nurses/0/breaks/0/window/begin',
      '/nurses/0/unavailable/0/why',
      '/visits/0/preferredWindow/costPerMinutes',
      '/visits/0/pinned/nurses',
      '/visits/1/frozen/end',
      '/dependencies/0/delay',
    ]);
  });

  it("accept a whole plan's JSON as previousPlan, but not a field no plan has", () => {
    const plan: Plan & { solver: { seed: number; iterations: number } } = {
      summary: { objective: 'weighted', cost: 10, distance: 5, travelTime: 5, routes: 1, unassigned: 1 },
      routes: [
        {
          vehicle: 'A',
          departure: 480,
          return: 620,
          distance: 10,
          travelTime: 10,
          stops: [{ visit: 'v1', arrival: 485, start: 500, end: 510, lateness: 1, frozen: true }],
          breaks: [{ id: 'A-break-0', after: 'v1', start: 510, end: 540 }],
        },
      ],
      unassigned: [{ visit: 'v2', reason: 'penalty', message: 'left out' }],
      solver: { seed: 1, iterations: 100 },
    };
    const p = { ...base(), previousPlan: plan };
    expect(issuesOf(p)).toEqual([]);
    put(plan.routes[0].stops[0], { strat: 500 });
    put(plan, { routs: [] });
    expect(issuesOf(p)).toEqual([
      "E_UNKNOWN_FIELD /previousPlan/routs: unknown field 'routs'; did you mean 'routes'?",
      "E_UNKNOWN_FIELD /previousPlan/routes/0/stops/0/strat: unknown field 'strat'; did you mean 'start'?",
    ]);
  });

  it('suggests only close names: equal but for case, or a few edits relative to the length', () => {
    const known = ['timeWindows', 'preferredNurses', 'x', 'id', 'end'];
    expect(didYouMean('TIMEWINDOWS', known)).toBe('timeWindows');
    expect(didYouMean('timeWindow', known)).toBe('timeWindows');
    expect(didYouMean('timeWidnows', known)).toBe('timeWindows'); // a transposition is one edit
    expect(didYouMean('prefferedNurses', known)).toBe('preferredNurses'); // two substitutions
    expect(didYouMean('prefferedNurse', known)).toBeNull(); // three edits
    expect(didYouMean('ID', known)).toBe('id');
    expect(didYouMean('a', known)).toBeNull();
    expect(didYouMean('idx', known)).toBe('id');
    expect(didYouMean('ends', known)).toBe('end');
    expect(didYouMean('windows', known)).toBeNull();
    expect(didYouMean('z'.repeat(5000), known)).toBeNull();
  });
});

describe('limits', () => {
  it('refuse a body of 200,000 visits with one issue, before reading any of them', () => {
    const visits = Array.from({ length: 200_000 }, (_, i) => ({ id: `v${i}`, location: at(i), bad: true }));
    const t = performance.now();
    const issues = findProblemIssues({ nurses: base().nurses, visits });
    const ms = performance.now() - t;
    expect(issues).toEqual([
      {
        code: 'E_LIMIT',
        where: '/visits',
        message: 'has 200000 visits; at most 20000 are accepted (limit maxVisits)',
      },
    ]);
    expect(ms).toBeLessThan(1000); // a hang guard: it reads one length
    expect(() => validateProblem({ nurses: base().nurses, visits })).toThrow(InputError);
  });

  it('count every list and map against maxItems, matrices against maxMatrixSize, and stop there', () => {
    const limits = { maxItems: 3, maxNurses: 2, maxMatrixSize: 2 };
    const p = base();
    p.visits[1].timeWindows = [0, 1, 2, 3].map((k) => ({ start: 500 + k, end: 501 + k }));
    p.visits[0].id = '';
    expect(issuesOf(p, { limits })).toEqual([
      'E_LIMIT /visits/1/timeWindows: has 4 time windows; at most 3 are accepted (limit maxItems)',
    ]);
    expect(issuesOf(p)).toEqual(['E_TYPE /visits/0/id: must be a non-empty string']);
    const q = base();
    q.nurses.push({ ...q.nurses[0], id: 'B' }, { ...q.nurses[0], id: 'C' });
    expect(issuesOf(q, { limits })).toEqual([
      'E_LIMIT /nurses: has 3 nurses; at most 2 are accepted (limit maxNurses)',
    ]);
    const m = base();
    m.nurses[0].start = { index: 0 };
    m.visits = [{ id: 'v', location: { index: 1 } }];
    m.profiles = {
      car: {
        durations: [
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
      },
    };
    expect(issuesOf(m, { limits })).toEqual([
      'E_LIMIT /profiles/car/durations: has 3 rows; at most 2 are accepted (limit maxMatrixSize)',
    ]);
    const d = base();
    d.visits[0].durationBySkill = { a: 1, b: 2, c: 3, d: 4 };
    expect(issuesOf(d, { limits })).toEqual([
      'E_LIMIT /visits/0/durationBySkill: has 4 durations; at most 3 are accepted (limit maxItems)',
    ]);
    d.dependencies = Array.from({ length: 4 }, () => ({ before: 'v1', after: 'v2' }));
    expect(issuesOf(d, { limits })).toEqual([
      'E_LIMIT /dependencies: has 4 dependencies; at most 3 are accepted (limit maxItems)',
    ]);
    // Infinity lifts a limit; an undefined entry keeps the default.
    expect(issuesOf(d, { limits: { maxItems: Infinity, maxVisits: undefined } })).toEqual([]);
  });

  it('hold strings to maxStringLength and notes to maxTextLength, and check nothing further', () => {
    const p = base();
    p.nurses[0].id = 'n'.repeat(1001);
    p.visits[0].notes = 'door code 1234. '.repeat(600); // 9600 characters: fine
    p.visits[1].address = 'a'.repeat(10_001);
    p.visits[0].skills = ['RN', 's'.repeat(2000)];
    p.visits[1].durationBySkill = { ['k'.repeat(1500)]: 3 };
    put(p.visits[1], { ['f'.repeat(1200)]: 1 });
    p.visits[1].requiredNurse = 'ghost'; // not reported: validation stops at the limits
    expect(issuesOf(p)).toEqual([
      'E_LIMIT /nurses/0/id: is 1001 characters long; at most 1000 are accepted (limit maxStringLength)',
      'E_LIMIT /visits/0/skills/1: is 2000 characters long; at most 1000 are accepted (limit maxStringLength)',
      'E_LIMIT /visits/1/address: is 10001 characters long; at most 10000 are accepted (limit maxTextLength)',
      'E_LIMIT /visits/1: has a field name 1200 characters long; at most 1000 are accepted (limit maxStringLength)',
      'E_LIMIT /visits/1/durationBySkill: has a key 1500 characters long; at most 1000 are accepted (limit maxStringLength)',
    ]);
  });

  it('default to the documented figures', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxNurses: 5000,
      maxVisits: 20000,
      maxMatrixSize: 5000,
      maxItems: 20000,
      maxStringLength: 1000,
      maxTextLength: 10000,
    });
  });
});

describe('a hostile problem', () => {
  it('5,000 nurses and 20,000 visits, each visit with its own skill set, validate in linear time', () => {
    // Strict: each visit's windows are checked against every nurse who could do it.
    const p = { ...hostileProblem(5000, 20_000), strict: true };
    const t = performance.now();
    const issues = findProblemIssues(p);
    const ms = performance.now() - t;
    console.log(`hostile problem (5000 nurses, 20000 distinct skill sets): validated in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000); // a hang guard only: about 0.15 s on a laptop, 3 to 5 s before the index
    expect(new Set(issues.map((i) => i.code))).toEqual(new Set(['E_CONFLICT']));
    expect(issues.length).toBeGreaterThan(1000);
    expect(issues.length).toBeLessThan(20_000);
  });
});

describe('the committed problems', () => {
  const fixtures = new URL('../../fixtures/', import.meta.url);
  it.each(readdirSync(new URL('care/', fixtures)).filter((f) => f.endsWith('.json')))(
    'fixtures/care/%s validates',
    (file) => {
      expect(findProblemIssues(JSON.parse(readFileSync(new URL(`care/${file}`, fixtures), 'utf8')))).toEqual(
        [],
      );
    },
  );
  it.each([
    'solomon/c101.txt',
    'solomon/r101.txt',
    'solomon/rc201.txt',
    'homberger/r1_2_1.txt',
    'homberger/rc1_4_1.txt',
  ])('the Solomon file %s parses into a valid problem', (file) => {
    expect(findProblemIssues(parseSolomon(readFileSync(new URL(file, fixtures), 'utf8')))).toEqual([]);
  });
  it.each(['InstanzCPLEX_HCSRP_10_1.txt', 'InstanzCPLEX_HCSRP_25_1.txt'])(
    'the Mankowska file %s parses into a valid problem',
    (file) => {
      const text = readFileSync(new URL(`mankowska/${file}`, fixtures), 'utf8');
      expect(findProblemIssues(parseMankowska(text))).toEqual([]);
    },
  );
});

/**
 * Every nurse with 4 of 300 skills and a shift of her own; every visit needs a pair of skills no
 * other visit needs, in an evening window few shifts reach.
 */
function hostileProblem(nurses: number, visits: number): ProblemInput {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pool = 300;
  const problem: ProblemInput = { nurses: [], visits: [] };
  for (let i = 0; i < nurses; i++) {
    const skills = new Set<string>();
    while (skills.size < 4) skills.add(`skill-${Math.floor(rnd() * pool)}`);
    const start = 360 + (i % 240);
    problem.nurses.push({
      id: `n${i}`,
      start: at(rnd() * 100),
      shift: { start, end: start + 480 + (i % 7) },
      skills: [...skills],
    });
  }
  let a = 0;
  let b = 1;
  for (let i = 0; i < visits; i++) {
    problem.visits.push({
      id: `v${i}`,
      location: at(rnd() * 100),
      duration: 20,
      skills: [`skill-${a}`, `skill-${b}`],
      timeWindows: [{ start: 1200, end: 1300 }],
    });
    if (++b === pool) b = ++a + 1;
  }
  return problem;
}
