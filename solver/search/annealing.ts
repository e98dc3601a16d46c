import type { Rng } from './rng.ts';
import type { StopCondition } from './stop.ts';

/**
 * What the search loop moves: a current solution, a candidate stepped from it, and the best
 * found. Each engine implements it over its own evaluator: the core over concatenable duration
 * segments (core/core-search.ts), home care over its cross-route schedule (care/care-search.ts).
 */
export interface AnnealingState {
  /**
   * One ruin-and-recreate step on the candidate (with its local search): the candidate's cost,
   * or undefined when the step was given up (the candidate is then the current solution again).
   * `threshold()` is the cost the candidate must stay below to be accepted (drawn once per
   * step, at its first call; a step that never calls it draws it after the step, as before):
   * a step that knows its cost cannot end below it may give up early.
   */
  step(iteration: number, threshold: () => number): number | undefined;
  /** The candidate becomes the current solution. */
  accept(): void;
  /** The candidate goes back to the current solution. */
  reject(): void;
  /** The candidate, just accepted, is the best solution found. */
  keepBest(): void;
  /**
   * Called after every step (e.g. a periodic recombination): the cost of a solution that
   * became both the current and the best one, or undefined.
   */
  afterStep?(iteration: number): number | undefined;
}

export interface AnnealingOptions {
  rng: Rng;
  stop: StopCondition;
  /** Iterations already spent by an earlier phase of the same budget (0 by default). */
  firstIteration?: number;
  /** Cost of the current solution, which is also the best one, at the start. */
  startCost: number;
  /** Cost of the best solution found before (an earlier phase of the same search), if below startCost. */
  bestCost?: number;
  /** Temperatures at the start and at the end, in cost units (geometric cooling in between). */
  startTemperature: number;
  finalTemperature: number;
  /** Each new best, with the number of iterations done. */
  onBest?: (iteration: number, cost: number) => void;
}

/**
 * The search loop (one for every problem): ruin and recreate steps accepted under simulated
 * annealing (a worse candidate is taken with probability exp(-Δ/T), the threshold drawn once
 * per step as in Christiaens & Vanden Berghe 2020), the temperature cooling geometrically with
 * the stop condition's progress, until the stop condition says so.
 */
export function anneal(state: AnnealingState, opts: AnnealingOptions): { iterations: number; cost: number } {
  const { rng, stop } = opts;
  const t0 = opts.startTemperature;
  const tf = opts.finalTemperature;
  let current = opts.startCost;
  let best = Math.min(current, opts.bestCost ?? current);
  let it = opts.firstIteration ?? 0;
  let temperature = t0;
  let drawn = NaN;
  const threshold = () =>
    Number.isNaN(drawn) ? (drawn = current - temperature * Math.log(rng.next() + 1e-300)) : drawn;
  for (; !stop.shouldStop(it); it++) {
    temperature = t0 * Math.pow(tf / t0, stop.progress(it));
    drawn = NaN;
    const cost = state.step(it + 1, threshold);
    if (cost !== undefined) {
      if (cost < threshold()) {
        state.accept();
        current = cost;
        if (cost < best - 1e-9) {
          best = cost;
          state.keepBest();
          opts.onBest?.(it + 1, cost);
        }
      } else state.reject();
    }
    const better = state.afterStep?.(it + 1);
    if (better !== undefined) {
      best = current = better;
      opts.onBest?.(it + 1, better);
    }
  }
  return { iterations: it, cost: best };
}
