import { describe, expect, it } from 'vitest';
import type { ProblemInput } from './input.ts';
import { findProblemIssues } from './validate.ts';

const at = (x: number) => ({ x, y: 0 });
const base = (): ProblemInput => ({
  nurses: [
    { id: 'A', start: at(0), shift: { start: 480, end: 960 }, skills: ['RN'] },
    { id: 'B', start: at(0), shift: { start: 480, end: 720 }, skills: ['aide'] },
  ],
  visits: [
    { id: 'v1', location: at(5), skills: ['RN'] },
    { id: 'v2', location: at(6) },
    { id: 'v3', location: at(7) },
  ],
});
const issues = (mutate: (p: ProblemInput) => void) => {
  const p = base();
  mutate(p);
  return findProblemIssues(p).map((i) => `${i.code} ${i.where}`);
};

describe('validation of home-care fields', () => {
  it('accepts a problem using every field correctly', () => {
    expect(
      issues((p) => {
        Object.assign(p.nurses[0], {
          maxWorkingTime: 420,
          maxVisits: 12,
          overtime: { max: 30, cost: 2 },
          costPerHour: 30,
          costPerKm: 0.4,
        });
        Object.assign(p.visits[0], {
          patient: 'P1',
          durationByNurse: { A: 40 },
          timeWindows: [
            { start: 480, end: 540 },
            { start: 840, end: 900 },
          ],
          preferredWindow: { start: 480, end: 500, costPerMinute: 2 },
          optional: true,
          priority: 5,
          penalty: 500,
          preferredNurses: ['A'],
          requiredNurse: 'A',
          excludedNurses: ['B'],
        });
        p.syncGroups = [{ visits: ['v2', 'v3'], tolerance: 5 }];
        p.dependencies = [{ before: 'v1', after: 'v2', minDelay: 60, maxDelay: 120, nurse: 'different' }];
        p.weights = { travelTime: 1, lateness: 2, maxLateness: 1, continuity: 15 };
      }),
    ).toEqual([]);
  });

  it('names a sync group or dependency that refers to a missing visit', () => {
    expect(issues((p) => (p.syncGroups = [{ visits: ['v2', 'nope'] }]))).toEqual([
      'E_UNKNOWN_REF /syncGroups/0/visits/1',
    ]);
    expect(issues((p) => (p.dependencies = [{ before: 'ghost', after: 'v1' }]))).toEqual([
      'E_UNKNOWN_REF /dependencies/0/before',
    ]);
  });

  it('rejects a dependency cycle, naming the dependency that closes it', () => {
    expect(
      issues(
        (p) =>
          (p.dependencies = [
            { before: 'v1', after: 'v2' },
            { before: 'v2', after: 'v3' },
            { before: 'v3', after: 'v1' },
          ]),
      ),
    ).toEqual(['E_CYCLE /dependencies/2']);
  });

  it('with strict, rejects a required nurse who lacks the skills, or who is excluded', () => {
    // Without strict, the visit is accepted and left out (reason skills).
    expect(issues((p) => (p.visits[0].requiredNurse = 'B'))).toEqual([]);
    expect(issues((p) => Object.assign(p, { strict: true }) && (p.visits[0].requiredNurse = 'B'))).toEqual([
      'E_CONFLICT /visits/0/requiredNurse',
    ]);
    expect(
      issues(
        (p) =>
          Object.assign(p, { strict: true }) &&
          Object.assign(p.visits[0], { requiredNurse: 'A', excludedNurses: ['A'] }),
      ),
    ).toEqual(['E_CONFLICT /visits/0/requiredNurse']);
    expect(issues((p) => (p.visits[0].requiredNurse = 'Z'))).toContain(
      'E_UNKNOWN_REF /visits/0/requiredNurse',
    );
  });

  it('with strict, rejects windows outside the shift of every nurse who could do the visit', () => {
    // Without strict, such a visit is accepted and left out (reason time_window).
    expect(issues((p) => (p.visits[0].timeWindows = [{ start: 1000, end: 1100 }]))).toEqual([]);
    expect(issues((p) => Object.assign(p, { strict: 'yes' }))).toEqual(['E_TYPE /strict']);
    // v1 needs RN: only A (until 960) qualifies, B's shift would not matter.
    expect(
      issues((p) => {
        p.strict = true;
        p.visits[0].timeWindows = [{ start: 1000, end: 1100 }];
      }),
    ).toEqual(['E_CONFLICT /visits/0/timeWindows']);
    expect(
      issues(
        (p) =>
          Object.assign(p, { strict: true }) &&
          (p.visits[1].timeWindows = [
            { start: 100, end: 200 },
            { start: 900, end: 950 },
          ]),
      ),
    ).toEqual([]);
    // Allowed overtime reaches it.
    expect(
      issues((p) => {
        p.strict = true;
        p.nurses[0].overtime = { max: 60 };
        p.visits[0].timeWindows = [{ start: 1000, end: 1100 }];
      }),
    ).toEqual([]);
    // The check is shared between visits with the same skills and required nurse; a required
    // nurse given as a number is its own case (a type error), not "no required nurse".
    expect(
      issues((p) => {
        p.strict = true;
        (p.visits[1] as { requiredNurse: unknown }).requiredNurse = 7;
        p.visits[2].timeWindows = [{ start: 100, end: 200 }];
      }),
    ).toEqual(['E_TYPE /visits/1/requiredNurse', 'E_CONFLICT /visits/2/timeWindows']);
  });

  it('checks types and ranges with a pointer to each bad field', () => {
    expect(
      issues((p) => {
        Object.assign(p.nurses[0], { skills: 'RN', maxVisits: 1.5, overtime: { max: -1 } });
        Object.assign(p.visits[1], {
          priority: 9,
          penalty: -3,
          optional: 'yes',
          preferredWindow: { end: 'noon' },
        });
        p.dependencies = [
          { before: 'v1', after: 'v2', minDelay: 30, maxDelay: 10, nurse: 'other' as 'same' },
        ];
        p.weights = { lateness: -1 };
      }),
    ).toEqual([
      'E_TYPE /nurses/0/skills',
      'E_RANGE /nurses/0/maxVisits',
      'E_RANGE /nurses/0/overtime/max',
      'E_TYPE /visits/1/preferredWindow/end',
      'E_TYPE /visits/1/optional',
      'E_RANGE /visits/1/priority',
      'E_RANGE /visits/1/penalty',
      'E_WINDOW_ORDER /dependencies/0/maxDelay',
      'E_RANGE /dependencies/0/nurse',
      'E_RANGE /weights/lateness',
    ]);
  });
});
