import { CARE_NURSE_FIELDS, CARE_VISIT_FIELDS, type ProblemInput } from '../model/input.ts';

/**
 * True when the problem asks for any home-care rule (docs/problem-format.md, "Home-care model"):
 * it is then solved by the home-care engine; plain time-window routing keeps the core engine,
 * whose speed the new rules must not cost. A field that asks nothing does not switch, like an
 * absent one: an empty list (`skills: []`, `breaks: []`, `preferredNurses: []`, …), `false`
 * (`optional: false`), and nurses' skills when no visit needs one (a visit that does, by
 * `skills` or `durationBySkill`, switches by itself). `weights`, even `{}`, asks for the
 * weighted objective and its terms.
 */
export function usesCareModel(input: ProblemInput): boolean {
  if (asks(input.syncGroups) || asks(input.dependencies)) return true;
  if (input.weights !== undefined || input.previousPlan !== undefined) return true;
  if (input.visits.some((v) => CARE_VISIT_FIELDS.some((f) => asks(v[f])) || (v.timeWindows?.length ?? 0) > 1))
    return true;
  // Visits that need no skill leave nurses' skills without effect.
  return input.nurses.some((n) => CARE_NURSE_FIELDS.some((f) => f !== 'skills' && asks(n[f])));
}

/** Whether a field's value asks something of the plan. */
function asks(value: unknown): boolean {
  if (value === undefined || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return true;
}
