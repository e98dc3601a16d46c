/**
 * When the search stops: an iteration budget, a time limit and an abort signal, whichever
 * comes first. The clock is passed in (the solver never reads one itself), so a run with an
 * iteration budget and no time limit is fully deterministic.
 */
export interface StopCondition {
  /** True once the search must stop. Called once per iteration. */
  shouldStop(iteration: number): boolean;
  /** Fraction of the budget used, in [0, 1]: drives the annealing temperature. */
  progress(iteration: number): number;
}

export interface StopOptions {
  iterations?: number;
  timeLimitMs?: number;
  signal?: { readonly aborted: boolean };
  /** Milliseconds from any fixed origin (the host's monotonic clock); required with timeLimitMs. */
  now?: () => number;
}

export function createStop(opts: StopOptions): StopCondition {
  const { iterations, timeLimitMs, signal, now } = opts;
  if (timeLimitMs !== undefined && now === undefined) throw new Error('a time limit needs a clock (now)');
  if (iterations === undefined && timeLimitMs === undefined)
    throw new Error('give an iteration count or a time limit');
  const t0 = now ? now() : 0;
  // Read the clock every few iterations only: it is cheap, but not free.
  let lastCheck = -1;
  let timeUp = false;
  let elapsedFraction = 0;
  const checkClock = (it: number) => {
    if (timeLimitMs === undefined || it === lastCheck) return;
    lastCheck = it;
    const elapsed = now!() - t0;
    elapsedFraction = Math.min(1, elapsed / timeLimitMs);
    if (elapsed >= timeLimitMs) timeUp = true;
  };
  return {
    shouldStop(it) {
      if (signal?.aborted) return true;
      if (iterations !== undefined && it >= iterations) return true;
      checkClock(it);
      return timeUp;
    },
    progress(it) {
      if (iterations !== undefined) return Math.min(1, it / iterations);
      checkClock(it);
      return elapsedFraction;
    },
  };
}

/** The part [from, to) of a budget as a budget of its own (progress rescaled to [0, 1]). */
export function stopPhase(stop: StopCondition, from: number, to: number): StopCondition {
  return {
    shouldStop: (it) => stop.shouldStop(it) || stop.progress(it) >= to,
    progress: (it) => Math.min(1, Math.max(0, (stop.progress(it) - from) / (to - from))),
  };
}

/** `stop` read from iteration `offset` on: a search that counts its steps from 0 after others. */
export function offsetStop(stop: StopCondition, offset: number): StopCondition {
  return {
    shouldStop: (it) => stop.shouldStop(it + offset),
    progress: (it) => stop.progress(it + offset),
  };
}
