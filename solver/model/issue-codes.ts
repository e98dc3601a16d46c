import { InputError } from './errors.ts';

/** For tests and tools: what f refuses, as `CODE where` lines (empty when it accepts). */
export function issueCodes(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.code} ${i.where}`);
    throw e;
  }
  return [];
}
