import { describe, expect, it } from 'vitest';
import { generateHadDay } from '../../fixtures/generator/had-day.ts';
import type { LocationInput, ProblemInput } from '../model/input.ts';
import { checkPlan } from '../check/check-plan.ts';
import { Rng } from '../search/rng.ts';
import { buildCarePlan } from './care-plan.ts';
import { CareRecreate } from './care-recreate.ts';
import { Schedule } from './schedule.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';
import { startingPoint } from './test-schedule.ts';

/**
 * The same day given by a travel-time matrix over its locations: about the coordinates' times,
 * plus `skew` minutes one way of every pair, the way chosen by the pair (times that differ by
 * direction, on legs to and from nurses' homes too).
 */
function withMatrix(problem: ProblemInput, skew: number): ProblemInput {
  const points: { lon: number; lat: number }[] = [];
  const index = (loc: LocationInput | undefined) => {
    const p = loc as { lon: number; lat: number };
    points.push(p);
    return { index: points.length - 1 };
  };
  const nurses = problem.nurses.map((n) => ({
    ...n,
    start: index(n.start),
    ...(n.end ? { end: index(n.end) } : {}),
  }));
  const visits = problem.visits.map((v) => ({ ...v, location: index(v.location) }));
  const minutes = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
    Math.round(Math.hypot((a.lon - b.lon) * 71, (a.lat - b.lat) * 111) * 1.35 * (60 / 45));
  const durations = points.map((a, i) =>
    points.map((b, j) => (i === j ? 0 : minutes(a, b) + (j < i === ((i + j) % 2 === 0) ? skew : 0))),
  );
  return { ...problem, profiles: { car: { durations } }, nurses, visits };
}

/**
 * Takes each placed visit (breaks and double-handed visits too) out and puts it back with the
 * recreate (no blinks, every qualified nurse): where it goes costs the least an exact
 * evaluation of every position finds, so the position scan's O(1) checks (windows, latest
 * starts, shift end) never refuse a cheaper place. On a tight day (eight nurses for 120
 * visits), where those checks bind: tightening any of them by a minute or more (latest starts)
 * or ten (last window, shift end, first fit) fails it. Returns how many went back in.
 */
function placesAtTheCheapestPosition(problem: ProblemInput): number {
  const { data, sched } = startingPoint(problem, 60);
  const snap = takeSnapshot(sched);
  const recreate = new CareRecreate(data, sched, 0);
  const rng = new Rng(5);
  const notCarried = new Uint8Array(data.n);
  const unchanged = new Uint8Array(data.V);
  let placed = 0;
  for (let v = 0; v < data.n; v++) {
    if (sched.routeOf[v] < 0) continue;
    sched.remove([v]);
    const before = sched.cost;
    let cheapest = Infinity;
    for (let r = 0; r < data.V; r++) {
      if (!sched.canInsertInto(v, r)) continue;
      for (let p = 0; p <= sched.routes[r].length; p++)
        cheapest = Math.min(cheapest, sched.evaluateInsertAt(v, r, p));
    }
    recreate.recreate(rng, [v], 0, false, notCarried, unchanged);
    const r = sched.routeOf[v];
    if (cheapest < 0 && r >= 0) {
      // Where it went costs what the cheapest position costs (evaluated the same way).
      const p = sched.pos[v];
      sched.remove([v]);
      expect({ v, cost: sched.cost, at: sched.evaluateInsertAt(v, r, p) }).toEqual({
        v,
        cost: before,
        at: cheapest,
      });
      placed++;
    } else expect({ v, route: r }).toEqual({ v, route: cheapest < 0 ? 'a place' : -1 });
    restoreSnapshot(sched, snap);
  }
  return placed;
}

describe('home-care recreate', () => {
  const day = generateHadDay({ nurses: 8, visits: 120, seed: 7 });

  // 82 and 73 of the day's tasks go back in (the rest stay out: a tight day).
  it('puts a visit where an exact evaluation of every position finds it cheapest', () => {
    expect(placesAtTheCheapestPosition(day)).toBeGreaterThan(60);
  });

  it('and with travel times that differ by direction (a matrix)', () => {
    expect(placesAtTheCheapestPosition(withMatrix(day, 30))).toBeGreaterThan(60);
  });

  it('by regret (order 4), leaves the cost of the same routes scheduled afresh and a plan the checker accepts', () => {
    const { input, data, sched } = startingPoint(day, 60);
    const recreate = new CareRecreate(data, sched, 0.01);
    const rng = new Rng(9);
    const none = new Uint8Array(data.n);
    const unchanged = new Uint8Array(data.V);
    let placedBack = 0;
    for (let round = 0; round < 20; round++) {
      const placed: number[] = [];
      for (let v = 0; v < data.n; v++) if (sched.routeOf[v] >= 0) placed.push(v);
      rng.shuffle(placed);
      const removed = placed.slice(0, 12);
      sched.remove(removed);
      recreate.recreate(rng, removed, 4, round % 2 === 0, none, unchanged);
      for (const v of removed) if (sched.routeOf[v] >= 0) placedBack++;
      const fresh = new Schedule(data);
      fresh.setRoutes(sched.routes);
      expect(sched.cost).toBeCloseTo(fresh.cost, 6);
      expect({ round, violations: checkPlan(input, buildCarePlan(data, sched)).violations }).toEqual({
        round,
        violations: [],
      });
    }
    expect(placedBack).toBeGreaterThan(150);
  });

  it('puts the lead visit first after the breaks, whatever the order', () => {
    const { data, sched } = startingPoint(day, 60);
    const recreate = new CareRecreate(data, sched, 0);
    const rng = new Rng(4);
    const none = new Uint8Array(data.n);
    const unchanged = new Uint8Array(data.V);
    for (let order = 0; order < 4; order++) {
      const snap = takeSnapshot(sched);
      const placed: number[] = [];
      for (let v = 0; v < data.n; v++) if (sched.routeOf[v] >= 0) placed.push(v);
      // Fifteen visits and a break (the day's breaks come after its visits).
      const removed = [...placed.slice(0, 15), placed.find((v) => data.isBreak[v] === 1)!];
      const lead = removed.find((v) => data.isBreak[v] === 0)!;
      sched.remove(removed);
      recreate.recreate(rng, removed, order, true, none, unchanged, lead);
      expect({ order, at: removed.indexOf(lead), first: data.isBreak[removed[0]] }).toEqual({
        order,
        at: 1,
        first: 1,
      });
      restoreSnapshot(sched, snap);
    }
  });
});
