import { describe, expect, it } from 'vitest';
import { Recreate } from '../recreate.ts';
import type { ProblemInput } from '../../model/input.ts';
import { ProblemData } from '../problem-data.ts';
import { Rng } from '../../search/rng.ts';
import { Solution } from '../solution.ts';
import { defaultOperators } from '../core-move-space.ts';

/**
 * A random planar day: two kinds of nurses (different ends, shifts, capacities, fixed costs);
 * with `skills`, only some nurses may serve some visits (skills, a required nurse, excluded ones).
 */
function randomProblem(
  seed: number,
  visits: number,
  windowWidth: number,
  symmetric = true,
  skills = false,
): ProblemInput {
  const rng = new Rng(seed);
  const pts = Array.from({ length: visits + 2 }, () => ({ x: rng.int(100), y: rng.int(100) }));
  const base: ProblemInput = {
    nurses: Array.from({ length: 6 }, (_, k) => ({
      id: `n${k}`,
      start: { index: 0 },
      end: k % 2 === 0 ? { index: 0 } : { index: 1 },
      shift: { start: 0, end: k % 3 === 0 ? 900 : 1000 },
      capacity: k % 2 === 0 ? 60 : 45,
      fixedCost: k % 2 === 0 ? 0 : 15,
      ...(skills && { skills: k % 3 === 0 ? ['RN', 'IV'] : ['RN'] }),
    })),
    visits: Array.from({ length: visits }, (_, i) => {
      const start = rng.int(700);
      return {
        id: `v${i}`,
        location: { index: i + 2 },
        duration: 5 + rng.int(15),
        demand: 1 + rng.int(9),
        timeWindows: [{ start, end: start + windowWidth }],
        ...(skills && i % 4 === 0 && { skills: ['IV'] }),
        ...(skills && i % 4 === 1 && i % 3 === 0 && { requiredNurse: `n${i % 6}` }),
        ...(skills && i % 5 === 2 && { excludedNurses: ['n0', 'n3'] }),
      };
    }),
    profiles: {
      car: {
        durations: pts.map((a) =>
          pts.map((b, j) => Math.hypot(a.x - b.x, a.y - b.y) * (symmetric ? 1 : 1 + (j % 3) * 0.1)),
        ),
      },
    },
  };
  return base;
}

/** Whether nurse k may serve the visit of node, read from the input (not from ProblemData.allowed). */
function mayServe(data: ProblemData, k: number, node: number): boolean {
  const nurse = data.input.nurses[k];
  const visit = data.input.visits[data.visitIndex(node)];
  return (
    (visit.skills ?? []).every((s) => nurse.skills?.includes(s)) &&
    (visit.requiredNurse === undefined || visit.requiredNurse === nurse.id) &&
    !(visit.excludedNurses ?? []).includes(nurse.id)
  );
}

/** Independent recomputation: total arc cost + fixed costs, and whether every route is feasible. */
function recompute(data: ProblemData, sol: Solution): { cost: number; feasible: boolean } {
  let cost = 0;
  let feasible = true;
  for (const r of sol.routes) {
    const visits = r.visits();
    if (visits.length === 0) continue;
    const v = r.vehicle;
    const N = data.numNodes;
    const c = data.arcCosts[data.vehProfile[v]];
    const d = data.durations[data.vehProfile[v]];
    const path = [data.vehStart[v], ...visits, data.vehEnd[v]];
    let t = data.vehShiftStart[v];
    let load = 0;
    for (let k = 1; k < path.length; k++) {
      cost += c[path[k - 1] * N + path[k]];
      t += d[path[k - 1] * N + path[k]];
      if (k < path.length - 1) {
        if (!mayServe(data, v, path[k])) feasible = false;
        t = Math.max(t, data.twEarly[path[k]]);
        if (t > data.twLate[path[k]]) feasible = false;
        t += data.service[path[k]];
        load += data.demand[path[k]];
      } else if (t > data.vehShiftEnd[v]) feasible = false;
    }
    if (load > data.vehCapacity[v]) feasible = false;
    cost += data.vehFixedCost[v];
  }
  return { cost, feasible };
}

function startingSolution(data: ProblemData, seed: number): Solution {
  const sol = new Solution(data);
  const rng = new Rng(seed);
  const nodes = Array.from({ length: data.numClients }, (_, i) => data.numDepots + i);
  // A deliberately poor start: random order, heavy blinking, so there are improving moves to find.
  const recreate = new Recreate(data, 0.7);
  recreate.recreate(sol, nodes, rng, new Set());
  return sol;
}

describe.each([
  { name: 'symmetric, wide windows', seed: 1, width: 400, symmetric: true },
  { name: 'symmetric, tight windows', seed: 2, width: 120, symmetric: true },
  { name: 'asymmetric, wide windows', seed: 3, width: 500, symmetric: false },
  { name: 'skills, required and excluded nurses', seed: 4, width: 400, symmetric: true, skills: true },
])('operators on a $name problem', ({ seed, width, symmetric, skills }) => {
  const data = new ProblemData(randomProblem(seed, 40, width, symmetric, skills));

  for (const op of defaultOperators(data)) {
    it(`${op.name}: evaluate equals the recomputed cost change after apply, and the result is feasible`, () => {
      const rng = new Rng(seed * 100 + op.name.length);
      const sol = startingSolution(data, seed);
      expect(recompute(data, sol).feasible).toBe(true);
      let applied = 0;
      for (let trial = 0; trial < 40000 && applied < 60; trial++) {
        const rU = rng.int(data.numVehicles);
        const rV = rng.int(data.numVehicles);
        const pU = rng.int(sol.routes[rU].size + 2);
        const pV = rng.int(sol.routes[rV].size + 2);
        const delta = op.evaluate(sol, rU, pU, rV, pV);
        if (!Number.isFinite(delta)) continue;
        const before = recompute(data, sol).cost;
        op.apply(sol, rU, pU, rV, pV);
        sol.reindex(rU);
        sol.reindex(rV);
        const after = recompute(data, sol);
        expect(after.feasible).toBe(true);
        expect(after.cost - before).toBeCloseTo(delta, 6);
        expect(sol.routingCost()).toBeCloseTo(after.cost, 6);
        applied++;
      }
      expect(applied).toBeGreaterThanOrEqual(3);
      // Every visit is still served exactly once.
      const seen = sol.routes.flatMap((r) => r.visits()).sort((a, b) => a - b);
      expect(new Set(seen).size).toBe(seen.length);
    });
  }
});
