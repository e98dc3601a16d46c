import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { Rng } from '../search/rng.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import { CoreRuin, DEFAULT_RUIN } from './core-ruin.ts';
import { ProblemData } from './problem-data.ts';
import { Recreate } from './recreate.ts';
import { Solution } from './solution.ts';

const load = (name: string, objective: 'distance' | 'vehicles') =>
  new ProblemData(
    parseSolomon(
      readFileSync(fileURLToPath(new URL(`../../fixtures/solomon/${name}.txt`, import.meta.url)), 'utf8'),
    ),
    { objective },
  );

describe('CostEvaluator.costChange', () => {
  for (const [name, objective] of [
    ['r101', 'distance'],
    ['rc201', 'vehicles'],
  ] as const)
    it(`is exactly the change of cost() over ruin and recreate steps (${name}, ${objective})`, () => {
      const data = load(name, objective);
      const evaluator = new CostEvaluator(data);
      const rng = new Rng(3);
      const recreate = new Recreate(data);
      const ruin = new CoreRuin(data, DEFAULT_RUIN);
      const before = new Solution(data);
      const all = Array.from({ length: data.numClients }, (_, i) => data.numDepots + i);
      recreate.recreate(before, all, rng, new Set());
      const after = new Solution(data);
      after.copyFrom(before);
      let routesEmptied = 0;
      for (let step = 0; step < 200; step++) {
        const touched = new Set<number>();
        const removed: number[] = [];
        ruin.ruin(after, rng, removed, touched);
        // Ruined: routes shorter or emptied, with the removed visits out on both sides.
        const out = removed.length;
        expect(evaluator.cost(after, out) - evaluator.cost(before, 0)).toBe(
          evaluator.costChange(before, after, touched) + evaluator.unassignedPenalty * out,
        );
        routesEmptied += [...touched].filter((r) => after.routes[r].size === 0).length;
        recreate.recreate(after, removed, rng, touched);
        const left = after.unassigned().length;
        expect(evaluator.cost(after, left)).toBe(
          evaluator.cost(before, 0) +
            evaluator.costChange(before, after, touched) +
            evaluator.unassignedPenalty * left,
        );
        // Kept or undone at random, as the search's acceptance would.
        if (rng.next() < 0.5) for (const r of touched) before.copyRouteFrom(after, r);
        else for (const r of touched) after.copyRouteFrom(before, r);
      }
      expect(routesEmptied).toBeGreaterThan(0);
    });
});
