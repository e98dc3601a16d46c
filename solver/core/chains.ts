import type { Improvement } from '../search/improvement.ts';
import { offsetStop, stopPhase } from '../search/stop.ts';
import type { SearchOptions, SearchResult } from './core-search.ts';

/**
 * Two chains of half the budget each where routes are long and problems large (the same
 * problems as the route dive: divesByDefault; chainsByDefault in core-search.ts), one
 * otherwise. There the annealing settles its number of routes early and keeps it, and a run that settles one route too many ends 1-2
 * points above one that does not (Gehring-Homberger c2 of 400); the better of two half-length
 * runs is then worth more than one run twice as long. docs/benchmarks.md, "Two chains on large
 * long-route problems".
 */
export const LARGE_LONG_ROUTE_CHAINS = 2;

/** Most chains a search runs (each builds a first solution of its own). */
export const MAX_CHAINS = 16;

/** The chains to run when `asked`: whole numbers from 1 to MAX_CHAINS; anything else is one chain. */
export function chainCount(asked: number): number {
  return Number.isInteger(asked) && asked >= 1 ? Math.min(asked, MAX_CHAINS) : 1;
}

/** The seed of chain k (chain 0 keeps the search's own seed). */
export function chainSeed(seed: number, k: number): number {
  return k === 0 ? seed : (Math.imul(seed, 0x2c1b3c6d) + k * 0x9e3779b9) >>> 0;
}

/**
 * Runs `searchChain` `chains` times one after the other, each with its own seed (chainSeed) on
 * an equal share of `opts.stop`, and returns the best result with the steps of all. An
 * improvement is reported only when it beats every chain so far, at the search's step count.
 */
export function searchChains(
  opts: SearchOptions,
  chains: number,
  searchChain: (opts: SearchOptions) => SearchResult,
): SearchResult {
  const seed = opts.seed ?? 1;
  const on = opts.onImprovement;
  // One count over the chains: a reported solution() throws once any chain reported a later one.
  let version = 0;
  let kept: SearchResult | null = null;
  let iterations = 0;
  let givenUp = 0;
  for (let k = 0; k < chains && !(kept !== null && opts.stop.shouldStop(iterations)); k++) {
    const offset = iterations;
    const bestSoFar = kept?.cost ?? Infinity;
    const result = searchChain({
      ...opts,
      seed: chainSeed(seed, k),
      stop: stopPhase(offsetStop(opts.stop, offset), k / chains, (k + 1) / chains),
      // Reported as the search's own: only what beats the earlier chains, at the search's step count.
      onImprovement:
        on &&
        ((e: Improvement) => {
          if (!(e.cost < bestSoFar)) return;
          const at = ++version;
          const iteration = e.iteration + offset;
          on({
            ...e,
            iteration,
            solution: () => {
              if (at !== version)
                throw new Error(
                  `improvement ${iteration}: its solution() was called after a later improvement`,
                );
              return e.solution();
            },
          });
        }),
    });
    iterations += result.iterations;
    givenUp += result.givenUp;
    if (kept === null || result.cost < kept.cost) kept = result;
  }
  return { ...kept!, iterations, givenUp };
}
