import { LRUCache } from 'lru-cache';
import { type Plan, type ProblemInput, validateProblem } from '../solver/index.ts';
import { NO_LIMITS } from '../solver/model/limits.ts';

/**
 * A stored problem as the phone's view reads it: with its recurring care made into visits (their
 * addresses and places). Only a problem with patients needs it, so the rest are not validated
 * again on the event loop; one that no longer validates is read as stored.
 */
function readable(problem: ProblemInput): ProblemInput {
  if (problem.patients === undefined) return problem;
  try {
    return validateProblem(problem, { limits: NO_LIMITS });
  } catch {
    return problem;
  }
}

import type { PlanStoreApi } from './plan-store.ts';

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
    const day: SolvedDay = {
      version: record.versions,
      plan,
      problem: readable(JSON.parse(problemText.text)),
    };
    cache.set(key, { day, chars: versionText.length + problemText.text.length });
    return day;
  };
}
