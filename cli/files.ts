import { readFileSync } from 'node:fs';
import { InputError } from '../solver/index.ts';
import { jsonErrorOffset } from './json-error-offset.ts';

/** Wrong command-line usage: exit 2 with the usage text. */
export class UsageError extends Error {}

/** Reads a text file; a missing or unreadable file is an input error naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new InputError([{ code: 'E_FORMAT', where: path, message: why }]);
  }
}

/** Parses JSON text; a syntax error names the file, line and column. */
export function parseJsonText(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.replace(/, ".*" is not valid JSON$/s, '');
    const m = /position (\d+)/.exec(msg);
    const pos = m ? Number(m[1]) : jsonErrorOffset(text);
    let where = path;
    if (pos >= 0) {
      const before = text.slice(0, pos).split('\n');
      where = `${path}: line ${before.length}, column ${before[before.length - 1].length + 1}`;
    }
    throw new InputError([{ code: 'E_FORMAT', where, message: `invalid JSON: ${msg}` }]);
  }
}

export function readJsonFile(path: string): unknown {
  return parseJsonText(readTextFile(path), path);
}
