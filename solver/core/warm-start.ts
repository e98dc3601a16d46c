import type { WarmStart } from '../search/improvement.ts';
import type { ProblemData } from './problem-data.ts';
import { timeFeasibleAt } from './recreate.ts';
import type { Solution } from './solution.ts';

/**
 * Visit nodes per vehicle (index = vehicle) of a warm start: ids mapped to nodes; unknown ids,
 * a nurse listed again and a visit listed again (the first listing counts) are left out.
 */
export function warmStartNodes(data: ProblemData, start: WarmStart): number[][] {
  const { input, numDepots } = data;
  const nurse = new Map(input.nurses.map((x, k) => [x.id, k]));
  const visit = new Map<string, number>();
  input.visits.forEach((v, k) => {
    if (!visit.has(v.id)) visit.set(v.id, numDepots + k);
  });
  const out: number[][] = input.nurses.map(() => []);
  const seenNurse = new Uint8Array(data.numVehicles);
  const seen = new Uint8Array(data.numNodes);
  for (const route of start.routes) {
    const r = nurse.get(route.vehicle);
    if (r === undefined || seenNurse[r] === 1) continue;
    seenNurse[r] = 1;
    for (const id of route.visits) {
      const node = visit.get(id);
      if (node === undefined || seen[node] === 1) continue;
      seen[node] = 1;
      out[r].push(node);
    }
  }
  return out;
}

/** The routes of a solution by ids (nurses without visits left out). */
export function warmStartOf(sol: Solution): WarmStart {
  const { input } = sol.data;
  const routes: WarmStart['routes'] = [];
  for (const route of sol.routes)
    if (route.size > 0)
      routes.push({
        vehicle: input.nurses[route.vehicle].id,
        visits: route.visits().map((node) => input.visits[sol.data.visitIndex(node)].id),
      });
  return { routes };
}

/**
 * Puts each route's visits into the solution in the given order, each where it keeps the route
 * feasible (time windows, shift, capacity, who may serve it), right after the last visit of its list already in:
 * passes repeat while one adds a visit, so a visit that did not fit before another was placed
 * gets another chance. Visits that never fit stay out (the caller's construction places them).
 */
export function seedRoutes(sol: Solution, initial: ArrayLike<number>[]): void {
  const data = sol.data;
  const lists: number[][] = [];
  const listed = new Uint8Array(data.numNodes);
  for (let r = 0; r < sol.routes.length; r++) {
    const list: number[] = [];
    const given = initial[r] ?? [];
    for (let i = 0; i < given.length; i++) {
      const node = given[i];
      if (!Number.isInteger(node) || !data.isClient(node) || node >= data.numNodes || listed[node] === 1)
        continue;
      listed[node] = 1;
      list.push(node);
    }
    lists.push(list);
  }
  for (let progress = true; progress;) {
    progress = false;
    lists.forEach((list, r) => {
      let p = 0; // position of the last visit of the list already in the route
      for (const node of list) {
        if (sol.routeOf[node] === r) p = sol.posOf[node];
        else if (
          sol.routes[r].load + data.demand[node] <= sol.routes[r].capacity &&
          data.canServe(sol.routes[r].vehicle, node) &&
          timeFeasibleAt(sol, r, node, p)
        ) {
          sol.insert(r, ++p, node);
          progress = true;
        }
      }
    });
  }
}
