/**
 * A solution by ids, to start a search from (a checkpoint of an interrupted run, or a plan to
 * improve): per nurse, her visits in order. With the home-care model, a nurse's breaks and
 * unavailable periods are tasks of her day like visits: listed by their id where they are taken
 * (as `Improvement.solution()` and `warmStartFromPlan` give them), they are kept there; left out,
 * the construction places them at their cheapest position. Frozen visits need not be listed (they
 * are ignored). Any mistake is tolerated: an unknown nurse or visit id, a nurse or visit listed
 * again (the first listing counts), a visit the nurse may not do or that does not fit where it
 * is listed (then it is placed by the usual construction, as is every visit not listed).
 */
export interface WarmStart {
  /** `shift`: which of a nurse's `shifts` (her nurse-day; 0, her only route, by default). */
  routes: { vehicle: string; shift?: number; visits: string[] }[];
}

export interface Improvement {
  iteration: number;
  cost: number;
  routes: number;
  unassigned: number;
  /**
   * The new best solution as a warm start: computed only when called (not calling it costs
   * nothing). Valid until the next improvement, so the last one still is once the solve has
   * returned; a call after a later improvement throws.
   */
  solution: () => WarmStart;
}

/**
 * Reports improvements to `on` (if any), each with a lazy `solution()` read from `bestNow`: valid
 * until the next improvement, after which calling it throws rather than answer for a later best.
 */
export function improvementReporter(
  on: ((e: Improvement) => void) | undefined,
  bestNow: () => WarmStart,
): (e: Omit<Improvement, 'solution'>) => void {
  let version = 0;
  return (e) => {
    if (on === undefined) return;
    const at = ++version;
    on({
      ...e,
      solution: () => {
        if (at !== version)
          throw new Error(`improvement ${e.iteration}: its solution() was called after a later improvement`);
        return bestNow();
      },
    });
  };
}
