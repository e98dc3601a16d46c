import { CARE_NURSE_FIELDS, CARE_VISIT_FIELDS, type ProblemInput } from '../model/input.ts';

/**
 * Who may serve a visit is route-local: the core engine keeps it as a compatibility matrix
 * (ProblemData.allowed), so these fields alone do not make a home-care problem.
 */
const ROUTE_LOCAL_VISIT_FIELDS = new Set<string>(['skills', 'requiredNurse', 'excludedNurses']);
const ROUTE_LOCAL_NURSE_FIELDS = new Set<string>(['skills']);

/**
 * True when the problem asks for a rule only the home-care engine keeps (docs/problem-format.md,
 * "Home care"): rules across routes (synchronised visits, dependencies, balance, largest
 * lateness, rules over several days), soft windows, optional visits, per-nurse durations,
 * breaks, working-time limits, weights. Everything else, including who may serve a visit
 * (skills, required and excluded nurses), is solved by the core engine and its concatenable
 * segments. A field that asks nothing does not switch, like an absent one: an empty list
 * (`breaks: []`, `preferredNurses: []`, …) or `false` (`optional: false`). `weights`, even
 * `{}`, asks for the weighted objective and its terms.
 */
export function usesCareModel(input: ProblemInput): boolean {
  if (asks(input.syncGroups) || asks(input.dependencies)) return true;
  if (input.weights !== undefined || input.previousPlan !== undefined) return true;
  if (
    input.visits.some(
      (v) =>
        CARE_VISIT_FIELDS.some((f) => !ROUTE_LOCAL_VISIT_FIELDS.has(f) && asks(v[f])) ||
        (v.timeWindows?.length ?? 0) > 1,
    )
  )
    return true;
  return input.nurses.some((n) =>
    CARE_NURSE_FIELDS.some((f) => !ROUTE_LOCAL_NURSE_FIELDS.has(f) && asks(n[f])),
  );
}

/** Whether a field's value asks something of the plan. */
function asks(value: unknown): boolean {
  if (value === undefined || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return true;
}
