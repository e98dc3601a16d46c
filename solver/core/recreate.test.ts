import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { Blinks, GreedyInsertion, type Insertion, type InsertionSpace } from '../search/recreate.ts';
import { Rng } from '../search/rng.ts';
import { ProblemData } from './problem-data.ts';
import {
  bestInsertionInRoute,
  CoreInsertionSpace,
  firstReachable,
  lastReachable,
  Recreate,
  timeFeasibleAt,
} from './recreate.ts';
import { Solution } from './solution.ts';

const load = (name: string) =>
  new ProblemData(
    parseSolomon(
      readFileSync(fileURLToPath(new URL(`../../fixtures/solomon/${name}.txt`, import.meta.url)), 'utf8'),
    ),
  );

/** Every position looked at, in order: what bestInsertionInRoute must find, with the same blinks. */
function fullScan(sol: Solution, r: number, node: number, blinks: Blinks, best: Insertion): void {
  const data = sol.data;
  const route = sol.routes[r];
  if (route.load + data.demand[node] > route.capacity || !data.canServe(route.vehicle, node)) return;
  const { nodes, cost, N, size } = route;
  const fixed = size === 0 ? data.vehFixedCost[route.vehicle] : 0;
  for (let p = 0; p <= size; p++) {
    if (blinks.skip()) continue;
    const a = nodes[p];
    const b = nodes[p + 1];
    const delta = cost[a * N + node] + cost[node * N + b] - cost[a * N + b] + fixed;
    if (delta < best.delta && timeFeasibleAt(sol, r, node, p))
      Object.assign(best, { route: r, pos: p + 1, delta });
  }
}

const draws = (b: Blinks, k: number) => Array.from({ length: k }, () => b.skip());

describe('Blinks.pass', () => {
  it('draws as many calls of skip() would', () => {
    const rng = new Rng(5);
    for (const rate of [0, 0.01, 0.2, 0.7]) {
      for (let t = 0; t < 200; t++) {
        const seed = 1 + rng.int(1_000_000);
        const k = rng.int(60);
        const a = new Blinks(rate);
        const b = new Blinks(rate);
        const ra = new Rng(seed);
        const rb = new Rng(seed);
        a.reset(ra);
        b.reset(rb);
        draws(a, k);
        b.pass(k);
        expect(draws(b, 40)).toEqual(draws(a, 40));
      }
    }
  });
});

/** r101 as given, and its places (the depot first, then each visit's) as points. */
const r101Places = () => {
  const input = parseSolomon(
    readFileSync(fileURLToPath(new URL('../../fixtures/solomon/r101.txt', import.meta.url)), 'utf8'),
  );
  const places = [input.nurses[0].start, ...input.visits.map((v) => v.location)] as {
    x: number;
    y: number;
  }[];
  return { input, places };
};

/**
 * r101 with travel from a matrix that differs by direction (up to 30% either way) and every
 * other nurse ending her day where her last visit is (no return): the scan's reads of the
 * matrix by column and of the open end's virtual place.
 */
const asymmetric = () => {
  const { input, places } = r101Places();
  const rng = new Rng(17);
  const matrix = places.map((a) =>
    places.map((b) => Math.hypot(a.x - b.x, a.y - b.y) * (1 + 0.3 * rng.next())),
  );
  return new ProblemData({
    ...input,
    profiles: { car: { durations: matrix } },
    nurses: input.nurses.map((n, i) => ({
      ...n,
      start: { index: 0 },
      end: i % 2 === 0 ? { index: 0 } : undefined,
    })),
    visits: input.visits.map((v, k) => ({ ...v, location: { index: k + 1 } })),
  });
};

/**
 * r101 with the distance objective on symmetric distances but travel times that differ by
 * direction: the scan reads costs by the visit's row and travel times by column.
 */
const asymmetricTimes = () => {
  const { input, places } = r101Places();
  const rng = new Rng(19);
  const distances = places.map((a) => places.map((b) => Math.hypot(a.x - b.x, a.y - b.y)));
  const durations = distances.map((row) => row.map((d) => d * (1 + 0.3 * rng.next())));
  return new ProblemData(
    {
      ...input,
      profiles: { car: { durations, distances } },
      nurses: input.nurses.map((n) => ({ ...n, start: { index: 0 }, end: { index: 0 } })),
      visits: input.visits.map((v, k) => ({ ...v, location: { index: k + 1 } })),
    },
    { objective: 'distance' },
  );
};

describe('bestInsertionInRoute', () => {
  for (const name of ['r101', 'c101', 'rc201', 'asymmetric', 'asymmetric times']) {
    it(`finds what a scan of every position finds, with the same blinks (${name})`, () => {
      const data =
        name === 'asymmetric' ? asymmetric() : name === 'asymmetric times' ? asymmetricTimes() : load(name);
      if (name === 'asymmetric') expect(data.symmetric).toEqual([false]);
      if (name === 'asymmetric times') {
        expect(data.symmetric).toEqual([true]);
        expect(data.durSymmetric).toEqual([false]);
      }
      const rng = new Rng(11);
      const sol = new Solution(data);
      const all = Array.from({ length: data.numClients }, (_, i) => data.numDepots + i);
      new Recreate(data).recreate(sol, all, rng, new Set());
      // A few routes put in a random order break their windows: the scan must not skip wrongly there either.
      for (let r = 0; r < 3; r++) {
        const route = sol.routes[r];
        if (route.size > 1) route.setVisits(rng.shuffle(route.visits()));
      }
      expect(sol.routes.some((r) => r.timeWarp > 0)).toBe(true);
      const out = rng.shuffle(all.slice()).slice(0, 30);
      sol.removeMany(out, new Set());
      let found = 0;
      let edge = 0;
      let pruned = 0;
      for (const node of out)
        for (let r = 0; r < sol.routes.length; r++) {
          const seed = 1 + rng.int(1_000_000);
          const [ra, rb] = [new Rng(seed), new Rng(seed)];
          const [a, b] = [new Blinks(0.1), new Blinks(0.1)];
          a.reset(ra);
          b.reset(rb);
          const got: Insertion = { route: -1, pos: -1, delta: Infinity };
          const want: Insertion = { route: -1, pos: -1, delta: Infinity };
          bestInsertionInRoute(sol, r, node, a, got);
          fullScan(sol, r, node, b, want);
          expect(got).toEqual(want);
          expect(draws(a, 20)).toEqual(draws(b, 20));
          if (want.route >= 0) found++;
          // Every position left unseen breaks a window; the ones seen are fewer than all.
          const route = sol.routes[r];
          const from = firstReachable(route, data.twEarly[node] + data.service[node]);
          const to = lastReachable(route, data.twLate[node]);
          for (let p = 0; p <= route.size; p++)
            if (p < from || p > to) expect(timeFeasibleAt(sol, r, node, p)).toBe(false);
          for (const p of [from, to])
            if (p >= 0 && p <= route.size && timeFeasibleAt(sol, r, node, p)) edge++;
          if (to - from + 1 < route.size + 1) pruned++;
        }
      expect(found).toBeGreaterThan(30);
      // The bounds are tight: often the first or last position seen is feasible.
      expect(edge).toBeGreaterThan(10);
      if (name !== 'rc201') expect(pruned).toBeGreaterThan(out.length * 5);
    });
  }
});

describe('bestInsertionInRoute at the bounds, with no travel between two visits', () => {
  // Visits 1 and 2 at the same place: the window bounds are met with equality, not crossed.
  const tiny = (v2: string) =>
    new ProblemData(
      parseSolomon(
        [
          'T',
          'VEHICLE',
          'NUMBER CAPACITY',
          '2 100',
          'CUSTOMER',
          'CUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME',
          '0 0 0 0 0 1000 0',
          '1 10 0 1 10 10 0',
          `2 10 0 1 ${v2}`,
        ].join('\n'),
      ),
    );
  const place = (data: ProblemData) => {
    const sol = new Solution(data);
    sol.insert(0, 1, data.numDepots); // visit 1 alone on route 0
    const best: Insertion = { route: -1, pos: -1, delta: Infinity };
    bestInsertionInRoute(sol, 0, data.numDepots + 1, null, best);
    const want: Insertion = { route: -1, pos: -1, delta: Infinity };
    const blinks = new Blinks(0);
    blinks.reset(null);
    fullScan(sol, 0, data.numDepots + 1, blinks, want);
    return { best, want };
  };

  it('before a visit whose latest start it ends at exactly', () => {
    // 2 in [10, 20], no care: before 1, it ends at 10, when 1 must start at the latest.
    const { best, want } = place(tiny('10 20 0'));
    expect(want.pos).toBe(1);
    expect(best).toEqual(want);
  });

  it('after a visit that ends exactly when its window closes', () => {
    // 2 in [0, 10] with 5 of care: only after 1, which ends at 10, when 2's window closes.
    const { best, want } = place(tiny('0 10 5'));
    expect(want.pos).toBe(2);
    expect(best).toEqual(want);
  });
});

/** The scan before route lists: every nurse asked, the first unused one of each type tried per visit. */
class EveryNurseSpace implements InsertionSpace {
  readonly numRoutes: number;
  readonly passes = 1;
  private readonly seen = new Set<number>();
  private mayOpen = true;
  constructor(
    private readonly data: ProblemData,
    private readonly sol: Solution,
  ) {
    this.numRoutes = data.numVehicles;
  }
  isPlaced(v: number): boolean {
    return this.sol.routeOf[v] >= 0;
  }
  begin(): void {
    this.seen.clear();
    this.mayOpen = this.sol.usedRoutes() < this.sol.maxRoutes;
  }
  tries(_v: number, r: number): boolean {
    if (this.sol.routes[r].size !== 0) return true;
    const t = this.data.vehType[r];
    if (!this.mayOpen || this.seen.has(t)) return false;
    this.seen.add(t);
    return true;
  }
  scanRoute(v: number, r: number, blinks: Blinks, best: Insertion): void {
    bestInsertionInRoute(this.sol, r, v, blinks, best);
  }
  accepts(): boolean {
    return true;
  }
  insert(v: number, best: Insertion): void {
    this.sol.insert(best.route, best.pos, v);
  }
}

describe('CoreInsertionSpace: the routes it lists', () => {
  // r101 with three kinds of nurse interleaved (capacity, fixed cost): unused nurses of each kind.
  const input = parseSolomon(
    readFileSync(fileURLToPath(new URL('../../fixtures/solomon/r101.txt', import.meta.url)), 'utf8'),
  );
  input.nurses = input.nurses.map((n, i) =>
    i % 3 === 1 ? { ...n, capacity: 120 } : i % 3 === 2 ? { ...n, fixedCost: 40 } : n,
  );
  const data = new ProblemData(input);

  for (const cap of [Infinity, 14]) {
    it(`make the same insertions as asking every nurse (${cap === Infinity ? 'no cap' : `at most ${cap} routes`})`, () => {
      expect(data.numVehicleTypes).toBe(3);
      const rng = new Rng(3);
      const all = Array.from({ length: data.numClients }, (_, i) => data.numDepots + i);
      for (let t = 0; t < 20; t++) {
        const start = new Solution(data);
        start.maxRoutes = Math.min(cap, data.numVehicles);
        new Recreate(data).recreate(start, rng.shuffle(all.slice()).slice(0, 40), rng, new Set());
        const out = rng.shuffle(all.filter((n) => start.routeOf[n] < 0)).slice(0, 30);
        const seed = 1 + rng.int(1_000_000);
        const [a, b] = [new Solution(data), new Solution(data)];
        for (const s of [a, b]) {
          s.copyFrom(start);
          s.maxRoutes = start.maxRoutes;
        }
        const listed = new CoreInsertionSpace(data);
        listed.prepare(a);
        const outA = new GreedyInsertion(listed, data.numNodes, new Blinks(0.05)).insertAll(
          out,
          new Rng(seed),
        );
        const outB = new GreedyInsertion(
          new EveryNurseSpace(data, b),
          data.numNodes,
          new Blinks(0.05),
        ).insertAll(out, new Rng(seed));
        expect(outA).toBe(outB);
        expect(a.routes.map((r) => r.visits())).toEqual(b.routes.map((r) => r.visits()));
        if (cap !== Infinity) expect(a.usedRoutes()).toBeLessThanOrEqual(cap);
      }
    });
  }
});
