import { extname } from 'node:path';
import {
  InputError,
  looksLikeSolomon,
  parseSolomon,
  looksLikeMankowska,
  parseMankowska,
  type ProblemInput,
  validateProblem,
} from '../solver/index.ts';
import { parseJsonText, readTextFile, UsageError } from './files.ts';
import { fromVroom, vroomPointer } from '../solver/io/vroom.ts';

export type ProblemFormat = 'auto' | 'solomon' | 'mankowska' | 'json' | 'vroom';

/**
 * Reads and validates a problem file. `auto` picks JSON for a .json file or text starting
 * with '{', Solomon for text with VEHICLE and CUSTOMER sections, Mankowska for nbNodes/nbVehi/mind. Every error names the file.
 */
export function loadProblem(
  path: string,
  format: ProblemFormat,
  options: { asGiven?: boolean } = {},
): ProblemInput {
  const text = readTextFile(path);
  let kind = format;
  if (kind === 'auto') {
    if (extname(path).toLowerCase() === '.json' || text.trimStart().startsWith('{')) kind = 'json';
    else if (looksLikeSolomon(text)) kind = 'solomon';
    else if (looksLikeMankowska(text)) kind = 'mankowska';
    else
      throw new InputError([
        {
          code: 'E_FORMAT',
          where: path,
          message: 'unknown format: neither JSON, Solomon nor Mankowska (use --format)',
        },
      ]);
  }
  try {
    if (kind === 'json') {
      // Checked, and read as the solver reads it (times as numbers, recurring care as visits);
      // `asGiven` keeps the problem as written (the checker reads recurring care's rules there).
      const given = parseJsonText(text, path);
      const read = validateProblem(given);
      return options.asGiven === true ? (given as ProblemInput) : read;
    }
    // A VROOM request (docs/formats.md): read as a native problem, then checked as one.
    if (kind === 'vroom') {
      const problem = fromVroom(parseJsonText(text, path));
      try {
        return validateProblem(problem);
      } catch (e) {
        if (e instanceof InputError)
          throw new InputError(e.issues.map((i) => ({ ...i, where: vroomPointer(i.where) })));
        throw e;
      }
    }
    return kind === 'solomon' ? parseSolomon(text) : parseMankowska(text);
  } catch (e) {
    if (e instanceof InputError && !e.issues.every((i) => i.where.startsWith(path)))
      throw new InputError(e.issues.map((i) => ({ ...i, where: `${path}: ${i.where || '/'}` })));
    throw e;
  }
}

/** The --format flag's value, checked. */
export function problemFormat(value: string | undefined): ProblemFormat {
  const formats: ProblemFormat[] = ['auto', 'solomon', 'mankowska', 'json', 'vroom'];
  if (value === undefined) return 'auto';
  if (!formats.includes(value as ProblemFormat))
    throw new UsageError(`--format must be one of ${formats.join(', ')}, got '${value}'`);
  return value as ProblemFormat;
}
