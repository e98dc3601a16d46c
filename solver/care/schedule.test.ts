import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHadDay } from '../../fixtures/generator/had-day.ts';
import { parseMankowska } from '../io/mankowska.ts';
import type { ProblemInput } from '../model/input.ts';
import { Rng } from '../search/rng.ts';
import { CareData } from './care-data.ts';
import { Schedule } from './schedule.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';

const b1 = parseMankowska(
  readFileSync(new URL('../../fixtures/mankowska/InstanzCPLEX_HCSRP_25_1.txt', import.meta.url), 'utf8'),
);

const week = JSON.parse(
  readFileSync(new URL('../../fixtures/care/example-week.json', import.meta.url), 'utf8'),
) as ProblemInput;

/** Every timing arc between two placed visits holds, and sync / 'different' partners are on different nurses. */
/** A schedule of the problem with each task appended to the first route that takes it. */
function appendedWhereTheyFit(input: ProblemInput): { data: CareData; s: Schedule } {
  const data = new CareData(input);
  const s = new Schedule(data);
  for (let v = 0; v < data.n; v++)
    for (let r = 0; r < data.V && s.routeOf[v] < 0; r++)
      if (s.evaluateInsert(v, r, s.routes[r].length) < Infinity) s.insert(v, r, s.routes[r].length);
  return { data, s };
}

function assertConsistent(data: CareData, s: Schedule) {
  for (let a = 0; a < data.arcFrom.length; a++) {
    const u = data.arcFrom[a];
    const v = data.arcTo[a];
    if (s.routeOf[u] < 0 || s.routeOf[v] < 0) continue;
    expect(s.start[v]).toBeGreaterThanOrEqual(s.start[u] + data.arcWeight[a] - 1e-6);
  }
  for (let v = 0; v < data.n; v++)
    for (const u of data.differentFrom[v]) if (s.routeOf[v] >= 0) expect(s.routeOf[u]).not.toBe(s.routeOf[v]);
}

/** B1 with a lunch break for every nurse and a meeting for the first: breaks are tasks too. */
const b1WithBreaks: ProblemInput = {
  ...b1,
  nurses: b1.nurses.map((n, k) => ({
    ...n,
    breaks: [{ duration: 30, window: { start: 200, end: 320 } }],
    ...(k === 0 && { unavailable: [{ start: 400, end: 430 }] }),
  })),
};

/** Every other visit prefers to start no earlier than a time inside its day (earliness costs too). */
function withPreferredStarts(problem: ProblemInput): ProblemInput {
  return {
    ...problem,
    visits: problem.visits.map((v, k) => {
      if (k % 2 === 1) return v;
      const start = (v.timeWindows?.[0]?.start ?? 0) + 30 + (k % 7) * 20;
      const end = Math.max(start, v.preferredWindow?.end ?? start + 60);
      return { ...v, preferredWindow: { ...v.preferredWindow, start, end, costPerMinute: 1 + (k % 3) } };
    }),
    weights: { ...problem.weights, lateness: 2 },
  };
}

describe('Schedule', () => {
  it.each([
    ['B1', b1],
    ['B1 with breaks', b1WithBreaks],
    ['a generated hospital-at-home day', generateHadDay({ nurses: 5, visits: 40, seed: 1 })],
    ['another one', generateHadDay({ nurses: 4, visits: 40, seed: 2 })],
    ['B1 with breaks and preferred window starts', withPreferredStarts(b1WithBreaks)],
    [
      'a generated day with preferred window starts',
      withPreferredStarts(generateHadDay({ nurses: 5, visits: 40, seed: 3 })),
    ],
    // Nurse-days, contracts, recurring care and distinct nurses per patient over a week.
    ['the example week', week],
    [
      'the example week with tight contracts and caps',
      {
        ...week,
        nurses: week.nurses.map((n) => ({
          ...n,
          contract: { ...n.contract, maxWorkingTime: 900, minRest: 900, maxConsecutiveDays: 2 },
        })),
        patients: week.patients!.map((p) => ({ ...p, maxNurses: 1 })),
      },
    ],
  ])(
    '%s: evaluateInsert equals the cost change after insert, and incremental starts equal a full recomputation',
    (_, problem) => {
      const data = new CareData(problem);
      const s = new Schedule(data);
      const rng = new Rng(7);
      let inserts = 0;
      let infeasible = 0;
      for (let step = 0; step < 600; step++) {
        if (rng.next() < 0.65) {
          const v = rng.int(data.n);
          if (s.routeOf[v] >= 0) continue;
          const options: [number, number, number][] = [];
          for (let r = 0; r < data.V; r++)
            for (let p = 0; p <= s.routes[r].length; p++) {
              const delta = s.evaluateInsert(v, r, p);
              if (delta === Infinity) infeasible++;
              else options.push([delta, r, p]);
            }
          if (options.length === 0) continue;
          const [delta, r, p] = options[rng.int(options.length)];
          const before = s.cost;
          s.insert(v, r, p);
          inserts++;
          expect(s.cost - before).toBeCloseTo(delta, 4);
          expect(s.overworkedRoute()).toBe(-1); // an insertion never breaks a rule over the horizon
          const incremental = s.start.slice();
          const cost = s.cost;
          expect(s.reschedule()).toBe(true);
          for (let x = 0; x < data.n; x++)
            if (s.routeOf[x] >= 0) expect(incremental[x]).toBeCloseTo(s.start[x], 6);
          expect(s.cost).toBeCloseTo(cost, 4);
          assertConsistent(data, s);
        } else {
          const placed = [...s.routeOf.keys()].filter((x) => s.routeOf[x] >= 0);
          if (placed.length === 0) continue;
          const out = Array.from({ length: 1 + rng.int(6) }, () => placed[rng.int(placed.length)]);
          expect(s.remove(out)).toBe(true);
          // Only the routes the removal reaches were re-timed: the same as re-timing all.
          const partial = s.start.slice();
          const cost = s.cost;
          expect(s.reschedule()).toBe(true);
          for (let x = 0; x < data.n; x++) expect(partial[x]).toBe(s.start[x]);
          expect(s.cost).toBeCloseTo(cost, 9);
          assertConsistent(data, s);
        }
      }
      expect(inserts).toBeGreaterThan(150);
      expect(infeasible).toBeGreaterThan(0); // skills, distinct nurses and crossed sync orders were met
    },
  );

  it('a snapshot restores every route, start and cost part', () => {
    const { s } = appendedWhereTheyFit(b1WithBreaks);
    const snap = takeSnapshot(s);
    const before = JSON.stringify([s.routes, [...s.start], s.cost, s.spread, s.lateTotal, s.maxLate]);
    s.remove([0, 1, 2, 3, 4]);
    expect(s.cost).not.toBe(snap.cost);
    restoreSnapshot(s, snap);
    expect(JSON.stringify([s.routes, [...s.start], s.cost, s.spread, s.lateTotal, s.maxLate])).toBe(before);
    expect(s.cost).toBe(snap.cost);
  });

  it('a snapshot kept up to date step by step copies only changed routes and restores the last kept state', () => {
    const { data, s } = appendedWhereTheyFit(b1WithBreaks);
    const state = () => JSON.stringify([s.routes, [...s.start], [...s.ret], s.cost, s.spread]);
    const snap = takeSnapshot(s);
    // A second snapshot kept only now and then, as the search keeps its best.
    const best = takeSnapshot(s);
    let bestState = state();
    const rng = new Rng(7);
    for (let step = 0; step < 40; step++) {
      if (step % 10 === 9) {
        takeSnapshot(s, best);
        bestState = state();
      }
      const kept = state();
      const placed = [...s.routeOf.keys()].filter((x) => s.routeOf[x] >= 0 && data.isBreak[x] === 0);
      const taken = [placed[rng.int(placed.length)], placed[rng.int(placed.length)]];
      const routesBefore = s.routes.map((r) => [...r]);
      s.remove(taken);
      // Put back where they fit: often where they were, a route changed and changed back.
      for (const v of taken)
        for (let r = 0; r < data.V && s.routeOf[v] < 0; r++)
          for (let p = 0; p <= s.routes[r].length && s.routeOf[v] < 0; p++)
            if (s.evaluateInsert(v, r, p) < Infinity) s.insert(v, r, p);
      const versions = [...s.routeVersion];
      const routesAfter = s.routes.map((r) => r.join());
      if (rng.next() < 0.5) {
        takeSnapshot(s, snap); // accepted
        expect(snap.routes).toEqual(s.routes);
      } else {
        restoreSnapshot(s, snap); // rejected
        expect(state()).toBe(kept);
        // A route the step left as it was keeps its version (and what is cached for it); the
        // others are copied back under a new one.
        s.routes.forEach((_, r) => {
          if (routesAfter[r] === routesBefore[r].join()) expect(s.routeVersion[r]).toBe(versions[r]);
          else expect(s.routeVersion[r]).toBeGreaterThan(versions[r]);
        });
      }
      expect(snap.versions).toEqual(s.routeVersion);
      assertConsistent(data, s);
    }
    restoreSnapshot(s, best);
    expect(state()).toBe(bestState);
    assertConsistent(data, s);
    // Versions mean nothing in another schedule.
    expect(() => restoreSnapshot(new Schedule(data), snap)).toThrow(/another schedule/);
  });

  it('rejects an insertion that would close a cycle of sync constraints, and accepts the consistent order', () => {
    const at = (x: number) => ({ x, y: 0 });
    const input: ProblemInput = {
      nurses: [
        { id: 'A', start: at(0) },
        { id: 'B', start: at(0) },
      ],
      visits: ['a1', 'a2', 'b1', 'b2'].map((id, k) => ({ id, location: at(10 + k), duration: 5 })),
      syncGroups: [{ visits: ['a1', 'b1'] }, { visits: ['a2', 'b2'] }],
    };
    const data = new CareData(input);
    const s = new Schedule(data);
    s.insert(0, 0, 0); // A: a1
    s.insert(1, 0, 1); // A: a1, a2
    s.insert(3, 1, 0); // B: b2 (synchronized with a2)
    expect(s.start[3]).toBeCloseTo(s.start[1], 9);
    // b1 after b2 on B: a1 = b1 > b2 = a2 > a1, a positive cycle.
    expect(s.evaluateInsert(2, 1, 1)).toBe(Infinity);
    // b1 before b2: consistent; both pairs start together.
    expect(s.evaluateInsert(2, 1, 0)).toBeLessThan(Infinity);
    s.insert(2, 1, 0);
    expect(s.start[2]).toBeCloseTo(s.start[0], 9);
    expect(s.start[3]).toBeCloseTo(s.start[1], 9);
    expect(s.start[1]).toBeGreaterThanOrEqual(s.start[0] + 5 + 1);
  });

  it('picks the earliest of several windows that the arrival fits, and refuses a visit no window can take', () => {
    const input: ProblemInput = {
      nurses: [{ id: 'A', start: { x: 0, y: 0 } }],
      visits: [
        {
          id: 'v',
          location: { x: 30, y: 0 },
          duration: 10,
          timeWindows: [
            { start: 0, end: 20 },
            { start: 100, end: 120 },
          ],
        },
        { id: 'w', location: { x: 10, y: 0 }, duration: 10, timeWindows: [{ start: 0, end: 15 }] },
      ],
      weights: {},
    };
    const data = new CareData(input);
    const s = new Schedule(data);
    s.insert(0, 0, 0);
    expect(s.start[0]).toBe(100); // arrives at 30, after the first window
    expect(s.evaluateInsert(1, 0, 1)).toBe(Infinity); // after v: far past its window
    s.insert(1, 0, 0); // first: arrives at 10, inside [0, 15]
    expect(s.start[1]).toBe(10);
    expect(s.start[0]).toBe(100); // leaves w at 20, arrives at 40: still the second window
    const late: ProblemInput = {
      ...input,
      visits: [{ ...input.visits[0], timeWindows: [{ start: 0, end: 5 }] }],
    };
    const alone = new Schedule(new CareData(late));
    expect(alone.evaluateInsert(0, 0, 0)).toBe(Infinity); // arrives at 30, every window is over
  });

  it('starting before preferredWindow.start costs like lateness, weighted alike; maxLateness stays lateness', () => {
    const input: ProblemInput = {
      nurses: [{ id: 'A', start: { x: 0, y: 0 }, shift: { start: 0, end: 1000 } }],
      visits: [
        {
          id: 'v',
          location: { x: 10, y: 0 },
          duration: 10,
          preferredWindow: { start: 50, end: 60, costPerMinute: 2 },
        },
        { id: 'w', location: { x: 20, y: 0 }, duration: 10, preferredWindow: { end: 0 } },
      ],
      weights: { lateness: 3, maxLateness: 1, travelTime: 0 },
    };
    const data = new CareData(input);
    const s = new Schedule(data);
    expect(s.evaluateInsert(0, 0, 0)).toBeCloseTo(3 * 2 * 40 - data.penalty[0], 9);
    s.insert(0, 0, 0);
    expect(s.start[0]).toBe(10); // the earliest feasible start: 40 early
    expect(s.lateTotal).toBe(240);
    expect(s.maxLate).toBe(0);
    s.insert(1, 0, 1); // w at 30: 30 late
    expect(s.lateTotal).toBe(240 + 90);
    expect(s.maxLate).toBe(30);
    const cost = s.cost;
    s.reschedule();
    expect(s.cost).toBe(cost);
  });
});
