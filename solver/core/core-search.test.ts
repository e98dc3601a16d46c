import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { createStop } from '../search/stop.ts';
import {
  defaultTemperatures,
  LARGE_LONG_ROUTE_TEMPERATURES,
  LONG_ROUTE_TEMPERATURES,
  ruinRecreateSearch,
  searchesLocally,
  SHORT_ROUTE_TEMPERATURES,
} from './core-search.ts';
import { Recreate } from './recreate.ts';
import { Rng } from '../search/rng.ts';
import { CoreLocalSearch } from './core-move-space.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import { MAX_ROUNDING_GAIN, ProblemData } from './problem-data.ts';
import { Solution } from './solution.ts';

const rc201 = parseSolomon(
  readFileSync(fileURLToPath(new URL('../../fixtures/solomon/rc201.txt', import.meta.url)), 'utf8'),
);

describe('ruinRecreateSearch with the local search on a share of the steps', () => {
  const data = new ProblemData(rc201, { objective: 'distance' });
  const run = (localSearchShare: readonly [number, number]) =>
    ruinRecreateSearch(data, { seed: 3, localSearchShare, stop: createStop({ iterations: 300 }) });

  it('hands out a local optimum whose cost is the one reported', () => {
    const { best, cost } = run([0.05, 0.5]);
    expect(best.isFeasible()).toBe(true);
    expect(best.unassigned()).toEqual([]);
    expect(cost).toBe(best.routingCost());
    const again = new Solution(data);
    again.copyFrom(best);
    new CoreLocalSearch(data).run(again, null);
    expect(again.routingCost()).toBe(cost);
  });

  it('is deterministic for a seed and an iteration count', () => {
    expect(run([0.05, 0.5]).cost).toBe(run([0.05, 0.5]).cost);
    expect(run([0, 0]).cost).toBe(run([0, 0]).cost);
  });
});

describe('searchesLocally: local search by route length', () => {
  const r101Input = parseSolomon(
    readFileSync(fileURLToPath(new URL('../../fixtures/solomon/r101.txt', import.meta.url)), 'utf8'),
  );
  const load = () => new ProblemData(r101Input, { objective: 'distance' });
  const firstSolution = (data: ProblemData) => {
    const sol = new Solution(data);
    new Recreate(data, 0.01).recreate(sol, sol.unassigned(), new Rng(1), new Set());
    return sol;
  };

  it('skips it where routes are short (r101: about four visits a route), keeps it on long ones (rc201)', () => {
    const r101 = load();
    const rc = new ProblemData(rc201, { objective: 'distance' });
    expect(searchesLocally(r101, firstSolution(r101), undefined)).toBe(false);
    expect(searchesLocally(rc, firstSolution(rc), undefined)).toBe(true);
  });

  it('keeps it on problems under 100 visits, and does what it is asked', () => {
    const r101 = load();
    const sol = firstSolution(r101);
    expect(searchesLocally(r101, sol, true)).toBe(true);
    const small = new ProblemData(
      { ...r101Input, visits: r101Input.visits.slice(0, 99) },
      { objective: 'distance' },
    );
    const few = firstSolution(small);
    expect(small.numClients).toBe(99);
    expect(few.usedRoutes() * 12).toBeGreaterThan(99); // short routes, yet
    expect(searchesLocally(small, few, undefined)).toBe(true);
    expect(searchesLocally(small, few, false)).toBe(false);
  });

  it('hands out a local optimum where the steps ran without it (r101), but not when it is turned off', () => {
    const r101 = load();
    const isLocalOptimum = (best: Solution) => {
      const again = new Solution(r101);
      again.copyFrom(best);
      return new CoreLocalSearch(r101).run(again, null) === 0;
    };
    const run = (localSearch?: boolean) =>
      ruinRecreateSearch(r101, { seed: 2, localSearch, stop: createStop({ iterations: 1500 }) });
    const polished = run();
    expect(polished.cost).toBe(polished.best.routingCost());
    expect(isLocalOptimum(polished.best)).toBe(true);
    // The same steps without the last local search end elsewhere: it did something.
    const raw = run(false);
    expect(isLocalOptimum(raw.best)).toBe(false);
    expect(polished.cost).toBeLessThan(raw.cost);
  });

  it('gives up only steps that would be rejected: the same search as without giving up', () => {
    const r101 = load();
    expect(r101.insertionGain).toBe(MAX_ROUNDING_GAIN);
    // Without blinks the recreate draws nothing after its order, so giving up changes no draw:
    // a step given up that would have been accepted would change the path.
    const run = (giveUp: boolean, vehicles = false) =>
      ruinRecreateSearch(vehicles ? new ProblemData(r101Input, { objective: 'vehicles' }) : r101, {
        seed: 6,
        blinkRate: 0,
        giveUp,
        stop: createStop({ iterations: 3000 }),
      });
    for (const vehicles of [false, true]) {
      const [fast, full] = [run(true, vehicles), run(false, vehicles)];
      expect(fast.givenUp).toBeGreaterThan(300);
      expect(full.givenUp).toBe(0);
      expect(fast.cost).toBe(full.cost);
      expect(fast.best.routes.map((r) => r.visits())).toEqual(full.best.routes.map((r) => r.visits()));
    }
    // The solution stays whole through the steps given up.
    const { best, cost } = run(true);
    const rebuilt = new Solution(r101);
    rebuilt.setRoutes(best.routes.map((r) => r.visits()));
    expect(best.unassigned()).toEqual([]);
    expect(Array.from(best.routeOf)).toEqual(Array.from(rebuilt.routeOf));
    expect(Array.from(best.posOf)).toEqual(Array.from(rebuilt.posOf));
    expect(rebuilt.isFeasible()).toBe(true);
    expect(cost).toBe(rebuilt.routingCost());
  });

  it('does not give up where local search follows the steps, or where costs come from a matrix', () => {
    const withLs = ruinRecreateSearch(load(), {
      seed: 6,
      localSearch: true,
      stop: createStop({ iterations: 300 }),
    });
    expect(withLs.givenUp).toBe(0);
    const n = 1 + r101Input.visits.length;
    const places = [r101Input.nurses[0].start, ...r101Input.visits.map((v) => v.location)] as {
      x: number;
      y: number;
    }[];
    const matrix = places.map((a) => places.map((b) => Math.hypot(a.x - b.x, a.y - b.y)));
    const byMatrix = new ProblemData(
      {
        ...r101Input,
        profiles: { car: { durations: matrix } },
        nurses: r101Input.nurses.map((nurse) => ({ ...nurse, start: { index: 0 }, end: { index: 0 } })),
        visits: r101Input.visits.map((v, k) => ({ ...v, location: { index: k + 1 } })),
      },
      { objective: 'distance' },
    );
    expect(matrix.length).toBe(n);
    expect(byMatrix.insertionGain).toBeNull();
    const out = ruinRecreateSearch(byMatrix, {
      seed: 6,
      localSearch: false,
      stop: createStop({ iterations: 1000 }),
    });
    expect(out.givenUp).toBe(0);
  });

  it('gives up on a matrix whose triangle slack is given, and only steps that would be rejected', () => {
    // r101's legs truncated to one decimal (the DIMACS convention): the matrix breaks the
    // triangle inequality by up to 0.1, which the give-up must allow for.
    const places = [r101Input.nurses[0].start, ...r101Input.visits.map((v) => v.location)] as {
      x: number;
      y: number;
    }[];
    const legs = places.map((a) =>
      places.map((b) => Math.floor(Math.hypot(a.x - b.x, a.y - b.y) * 10 + 1e-9) / 10),
    );
    const broken = places.some((_, a) =>
      places.some((_, v) => places.some((_, b) => legs[a][b] > legs[a][v] + legs[v][b] + 1e-9)),
    );
    expect(broken).toBe(true);
    const truncated = {
      ...r101Input,
      profiles: { car: { durations: legs, distances: legs } },
      nurses: r101Input.nurses.map((nurse) => ({ ...nurse, start: { index: 0 }, end: { index: 0 } })),
      visits: r101Input.visits.map((v, k) => ({ ...v, location: { index: k + 1 } })),
    };
    expect(new ProblemData(truncated, { objective: 'distance' }).insertionGain).toBeNull();
    const data = new ProblemData(truncated, { objective: 'distance', triangleSlack: 0.1 });
    expect(data.insertionGain).toBe(102);
    // The allowance is needed and enough: the worst insertion lowers a cost by more than the
    // rounding of coordinates, and by no more than the slack.
    const cost = data.arcCosts[0];
    const N = data.numNodes;
    let worst = 0;
    for (let a = 0; a < N; a++)
      for (let v = 0; v < N; v++)
        for (let b = 0; b < N; b++)
          if (v !== a && v !== b)
            worst = Math.min(worst, cost[a * N + v] + cost[v * N + b] - cost[a * N + b]);
    expect(worst).toBeLessThan(-MAX_ROUNDING_GAIN);
    expect(worst).toBeGreaterThanOrEqual(-data.insertionGain!);
    const run = (giveUp?: boolean) =>
      ruinRecreateSearch(data, { seed: 6, blinkRate: 0, giveUp, stop: createStop({ iterations: 3000 }) });
    const [fast, full] = [run(), run(false)];
    expect(fast.givenUp).toBeGreaterThan(300);
    expect(fast.cost).toBe(full.cost);
    expect(fast.best.routes.map((r) => r.visits())).toEqual(full.best.routes.map((r) => r.visits()));
  });

  it("returns the objective's own cost of the solution it returns (vehicles: routes weigh first)", () => {
    const data = new ProblemData(r101Input, { objective: 'vehicles' });
    const { best, cost } = ruinRecreateSearch(data, { seed: 4, stop: createStop({ iterations: 3000 }) });
    expect(cost).toBe(new CostEvaluator(data).cost(best, best.unassigned().length));
  });
});

describe('defaultTemperatures: by route length and problem size', () => {
  const r1_2_1 = parseSolomon(
    readFileSync(fileURLToPath(new URL('../../fixtures/homberger/r1_2_1.txt', import.meta.url)), 'utf8'),
  );

  it('anneals long-route searches cooler from 200 visits, short-route ones as before', () => {
    const small = new ProblemData(rc201, { objective: 'distance' });
    const large = new ProblemData(r1_2_1, { objective: 'distance' });
    expect(large.numClients).toBe(200);
    expect(defaultTemperatures(small, true)).toEqual(LONG_ROUTE_TEMPERATURES);
    expect(defaultTemperatures(large, true)).toEqual(LARGE_LONG_ROUTE_TEMPERATURES);
    expect(defaultTemperatures(small, false)).toEqual(SHORT_ROUTE_TEMPERATURES);
    expect(defaultTemperatures(large, false)).toEqual(SHORT_ROUTE_TEMPERATURES);
  });

  it('are the temperatures the search runs at unless told otherwise', () => {
    const data = new ProblemData(r1_2_1, { objective: 'distance' });
    const run = (t?: readonly [number, number]) =>
      ruinRecreateSearch(data, {
        seed: 5,
        localSearch: true,
        // One chain: 150 steps, not two of 75 (chainsByDefault).
        chains: 1,
        startTemperature: t?.[0],
        finalTemperature: t?.[1],
        stop: createStop({ iterations: 150 }),
      }).cost;
    const byDefault = run();
    expect(byDefault).toBe(run(LARGE_LONG_ROUTE_TEMPERATURES));
    expect(byDefault).not.toBe(run(LONG_ROUTE_TEMPERATURES));
  });
});
