import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import type { CoreLocalSearch } from './core-move-space.ts';
import type { Recreate } from './recreate.ts';
import type { Solution } from './solution.ts';

/**
 * A route dive: a second chain, run for `share` of the budget from the best solution found at
 * `at` of it, with one route fewer. The main chain runs its own `share` first (from `at`), so the
 * dive is kept only if it beats everything the main chain found in the same number of steps;
 * otherwise the main chain goes on from where it was. Either way the search then cools on from
 * the temperature of `at + share`: the dive costs `share` of the budget's steps when it fails.
 */
export interface RouteDive {
  /** Share of the budget after which the best solution is taken for the dive. */
  at: number;
  /** Share of the budget each of the two chains gets before they are compared. */
  share: number;
}

/**
 * Where routes are long, the annealing settles on a number of routes in the first third of
 * the budget and keeps it: on Gehring-Homberger c2 of 400 at 30 s, a run that has not reached
 * 12 routes by 11 s ends on 13 (eight runs of twenty, 0.7-2.4% above the best known in double
 * precision, against 0.4-1.0% for most 12-route runs). docs/benchmarks.md, "Cooler annealing
 * and a route dive on large long-route problems".
 */
export const DEFAULT_ROUTE_DIVE: RouteDive = { at: 0.4, share: 0.15 };

/**
 * Whether a search dives by default: where it runs local search after every step (long routes),
 * on problems of at least `minVisits` visits, under a distance-like objective (the `vehicles`
 * objective minimizes routes by itself).
 */
export function divesByDefault(data: ProblemData, local: boolean, minVisits: number): boolean {
  return local && data.numClients >= minVisits && data.objective !== 'vehicles';
}

/**
 * Sets `sol` to the dive's start: `from` without its route of fewest visits, whose visits the
 * recreate puts into the other routes (no route may open: `sol.maxRoutes` is set one below the
 * routes `from` uses, and stays so for the dive), then a local search on every route. Visits
 * that fit nowhere stay out (the search prices them and tries them again every step). False,
 * with `sol` untouched, when `from` uses fewer than two routes.
 */
export function startDive(
  sol: Solution,
  from: Solution,
  recreate: Recreate,
  ls: CoreLocalSearch,
  rng: Rng,
): boolean {
  const used = from.usedRoutes();
  if (used < 2) return false;
  let smallest = -1;
  from.routes.forEach((route, r) => {
    if (route.size > 0 && (smallest < 0 || route.size < from.routes[smallest].size)) smallest = r;
  });
  sol.copyFrom(from);
  sol.maxRoutes = used - 1;
  const touched = new Set<number>();
  const gone = sol.routes[smallest].visits();
  sol.removeMany(gone, touched);
  recreate.recreate(sol, gone, rng, touched);
  ls.run(sol, null);
  return true;
}
