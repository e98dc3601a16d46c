import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError, type Plan } from '../solver/index.ts';
import { validatePlanShape } from '../solver/check/plan-shape.ts';
import { readJsonFile, UsageError } from './files.ts';

/** What the commands share: flags parsed strictly, numbers checked, files named in errors, output written. */
export type Flags = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** Parses a command's flags and positionals; an unknown flag or a missing value is a usage error. */
export function parse<const O extends Flags>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be an integer >= ${min}, got '${value}'`);
  return n;
}

export function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive number, got '${value}'`);
  return n;
}

/** Runs f; its input errors name the file they are about. */
export function namedFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError)
      throw new InputError(e.issues.map((i) => ({ ...i, where: `${file}: ${i.where}` })));
    throw e;
  }
}

/** A plan file (a plan's JSON), its shape checked; errors name the file. */
export function readPlanFile(path: string): Plan {
  return namedFile(path, () => validatePlanShape(readJsonFile(path)));
}

/** Writes text to the file, or to stdout. */
export function writeOut(out: string | undefined, text: string): void {
  if (out !== undefined) writeFileSync(out, text);
  else process.stdout.write(text);
}
