import { CARE_NURSE_FIELDS, CARE_VISIT_FIELDS, type ProblemInput } from '../model/input.ts';

/**
 * True when the problem uses any home-care feature (docs/problem-format.md, "Home-care model"): it is then solved
 * by the home-care engine; plain time-window routing keeps the core engine, whose speed the
 * new constraints must not cost.
 */
export function usesCareModel(input: ProblemInput): boolean {
  if ((input.syncGroups?.length ?? 0) > 0 || (input.dependencies?.length ?? 0) > 0) return true;
  if (input.weights !== undefined || input.previousPlan !== undefined) return true;
  if (input.nurses.some((n) => CARE_NURSE_FIELDS.some((f) => n[f] !== undefined))) return true;
  return input.visits.some(
    (v) => CARE_VISIT_FIELDS.some((f) => v[f] !== undefined) || (v.timeWindows?.length ?? 0) > 1,
  );
}
