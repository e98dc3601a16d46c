import type { ProblemInput } from './input.ts';

/** The objective's weights, every term resolved (docs/problem-format.md, "Objective"). */
export interface Weights {
  travelTime: number;
  distance: number;
  lateness: number;
  maxLateness: number;
  overtime: number;
  continuity: number;
  unassigned: number;
  balance: number;
  moved: number;
  shifted: number;
  distinctNurses: number;
}

/**
 * Documented defaults: travel time 1 per time unit and distance 0, the other way round when
 * the problem says `objective: 'distance'`; lateness 1, largest lateness 0, overtime 1,
 * continuity 10 per visit away from the patient's usual nurses, penalties × 1, balance 0 (per
 * time unit of spread between the most and the least working nurse); against a previous plan,
 * 30 per visit given to another nurse and 0.5 per time unit a start moves; in a problem with a
 * horizon or patients, 60 per nurse beyond the first that a patient sees (0 in any other).
 */
export function resolveWeights(input: ProblemInput): Weights {
  const w = input.weights ?? {};
  const byDistance = input.objective === 'distance';
  return {
    travelTime: w.travelTime ?? (byDistance ? 0 : 1),
    distance: w.distance ?? (byDistance ? 1 : 0),
    lateness: w.lateness ?? 1,
    maxLateness: w.maxLateness ?? 0,
    overtime: w.overtime ?? 1,
    continuity: w.continuity ?? 10,
    unassigned: w.unassigned ?? 1,
    balance: w.balance ?? 0,
    moved: w.moved ?? 30,
    shifted: w.shifted ?? 0.5,
    // Counted only where the problem plans patients over time (a horizon, or patients listed).
    distinctNurses: countsDistinctNurses(input) ? (w.distinctNurses ?? 60) : 0,
  };
}

/** Whether the distinct-nurses term applies: the problem has a horizon or lists patients. */
export function countsDistinctNurses(input: ProblemInput): boolean {
  return input.horizon !== undefined || input.patients !== undefined;
}
