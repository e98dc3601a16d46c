import { InputError } from '../model/errors.ts';
import { validateProblem } from '../model/validate.ts';

/** For tests: `code pointer` of every issue validation finds in a problem (none: []). */
export function issuesOf(problem: unknown): string[] {
  try {
    validateProblem(problem);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.code} ${i.where}`);
    throw e;
  }
}
