import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Who owns what inside the solver (docs/solver.md): the search loop is shared and knows no
 * engine; each engine (core: segments, care: the cross-route schedule) keeps to itself; the
 * checker shares no evaluation code with either (it reads the documented format only). Tests
 * are free to use any of them.
 */
const MAY_NOT_IMPORT: Record<string, readonly string[]> = {
  search: ['core', 'care', 'check', 'calendar', 'replan', 'plan', 'io', 'exact'],
  core: ['care', 'check'],
  care: ['core', 'check'],
  check: ['core', 'care', 'search', 'exact'],
};

const solverDir = dirname(fileURLToPath(import.meta.url));

/** Every import from one solver folder into a folder it may not use, as 'from → to'. `files`: solver-relative path → text. */
export function ownershipViolations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const banned = MAY_NOT_IMPORT[file.split('/')[0]];
    // Tests may solve with either engine and check what they made.
    if (banned === undefined || file.endsWith('.test.ts')) continue;
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = normalize(join(dirname(file), fileName))
        .split('\\')
        .join('/');
      if (banned.includes(target.split('/')[0])) out.push(`${file} → ${target}`);
    }
  }
  return out;
}

function sources(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(join(solverDir, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts')) out.set(path, readFileSync(join(solverDir, path), 'utf8'));
  }
  return out;
}

describe('engines', () => {
  it('the search loop knows no engine, the engines keep to themselves, the checker uses neither', () => {
    const files = new Map<string, string>();
    for (const dir of Object.keys(MAY_NOT_IMPORT)) sources(dir, files);
    expect(files.size).toBeGreaterThan(60);
    expect(ownershipViolations(files)).toEqual([]);
  });

  it('sees a wrong import, type-only or re-exported', () => {
    const bad = new Map([
      ['care/a.ts', "import type { ProblemData } from '../core/problem-data.ts';"],
      ['search/b.ts', "export { careSearch } from '../care/care-search.ts';"],
      ['check/c.ts', "import { Segment } from '../core/segment.ts';"],
      [
        'core/d.ts',
        "import { Rng } from '../search/rng.ts';\nimport { CareData } from '../care/care-data.ts';",
      ],
    ]);
    expect(ownershipViolations(bad)).toEqual([
      'care/a.ts → core/problem-data.ts',
      'search/b.ts → care/care-search.ts',
      'check/c.ts → core/segment.ts',
      'core/d.ts → care/care-data.ts',
    ]);
  });
});
