import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { Rng } from '../search/rng.ts';
import { ProblemData } from './problem-data.ts';
import { Route, STRIDE } from './route.ts';

const load = (name: string) =>
  new ProblemData(
    parseSolomon(
      readFileSync(fileURLToPath(new URL(`../../fixtures/solomon/${name}.txt`, import.meta.url)), 'utf8'),
    ),
  );

const caches = (r: Route) => {
  const n = r.size + 2;
  const take = (a: Int32Array | Float64Array) => Array.from(a.subarray(0, n));
  return {
    nodes: take(r.nodes),
    cache: Array.from(r.cache.subarray(0, n * STRIDE)),
  };
};

describe('Route.insert', () => {
  for (const name of ['r101', 'rc201']) {
    it(`leaves every cache exactly as a rebuild makes it (${name})`, () => {
      const data = load(name);
      const rng = new Rng(7);
      const route = new Route(data, 0);
      const visits: number[] = [];
      // Random visits at random places: windows kept or broken, the caches must agree either way.
      for (let k = 0; k < 40; k++) {
        const node = data.numDepots + rng.int(data.numClients);
        if (visits.includes(node)) continue;
        const pos = 1 + rng.int(route.size + 1);
        route.insert(pos, node);
        visits.splice(pos - 1, 0, node);
        const rebuilt = new Route(data, 0);
        rebuilt.setVisits(visits);
        expect(caches(route)).toEqual(caches(rebuilt));
      }
      expect(route.timeWarp).toBeGreaterThan(0);
    });
  }
});
