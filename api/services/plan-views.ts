import { LRUCache } from 'lru-cache';
import { type Plan, type ProblemInput, validateProblem } from '../../solver/index.ts';

const UNLIMITED = {
  maxNurses: Infinity,
  maxVisits: Infinity,
  maxMatrixSize: Infinity,
  maxItems: Infinity,
  maxStringLength: Infinity,
  maxTextLength: Infinity,
};
import type { PlanStoreApi } from '../../workers/plan-store.ts';

/** A version's plan with the problem it solved, as the nurses' route pulls need them. */
export interface SolvedDay {
  version: number;
  plan: Plan;
  problem: ProblemInput;
}

/**
 * The latest version of a plan with its problem, parsed once and kept (versions and problems are
 * never overwritten, so an entry never goes stale): every nurse's phone pulls the same day, and
 * parsing a 20,000-visit plan and problem at each pull would hold the event loop tens of
 * milliseconds. Keeps at most `maxChars` characters of stored JSON's worth (least recently used
 * first out).
 */
export function solvedDays(store: PlanStoreApi, maxChars = 200_000_000) {
  const cache = new LRUCache<string, { day: SolvedDay; chars: number }>({
    maxSize: maxChars,
    sizeCalculation: (entry) => Math.max(1, entry.chars),
  });
  return async (tenant: string, planId: string): Promise<SolvedDay | null> => {
    const record = await store.getRecord(tenant, planId);
    if (record === null || record.versions === 0) return null;
    const key = `${tenant}\u0000${planId}\u0000${record.versions}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit.day;
    const versionText = await store.getVersionText(tenant, planId, record.versions);
    if (versionText === null) return null;
    const { plan, problem: k } = JSON.parse(versionText) as { plan: Plan; problem: number };
    const problemText = await store.getProblemText(tenant, planId, k);
    if (problemText === null) return null;
    // As the solver read it: clock times as numbers, recurring care as visits (stored problems
    // were validated when accepted; their limits were the service's).
    const day: SolvedDay = {
      version: record.versions,
      plan,
      problem: validateProblem(JSON.parse(problemText.text), { limits: UNLIMITED }),
    };
    cache.set(key, { day, chars: versionText.length + problemText.text.length });
    return day;
  };
}
