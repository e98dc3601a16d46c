import type { NurseInput, ProblemInput, VisitInput } from '../model/input.ts';

/**
 * Imported visits (a spreadsheet, a FHIR Bundle) on a base problem: everything of the base that
 * is not about its own visits (nurses unless others are given, calendar, profiles, weights,
 * objective, patients' rules) with the imported visits. What names the base's visits goes with
 * them: its visits, patients' recurring care, sync groups, dependencies and previous plan.
 */
export function onBase(
  base: Partial<ProblemInput>,
  visits: VisitInput[],
  nurses?: NurseInput[],
): ProblemInput {
  const rest = { ...base };
  delete rest.previousPlan;
  delete rest.syncGroups;
  delete rest.dependencies;
  return {
    ...rest,
    nurses: nurses ?? base.nurses ?? [],
    visits,
    ...(base.patients !== undefined && {
      patients: base.patients.map((p) => {
        const kept = { ...p };
        delete kept.care;
        return kept;
      }),
    }),
  };
}
