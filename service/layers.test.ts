import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers and what each may import (docs/service.md, "Layout"): the solver is a pure library;
 * `service/` is the domain both sides use; `api/` (HTTP) and `workers/` (BullMQ processors,
 * solve thread) use it and never each other, except where a process is put together: the API's
 * entry point (`api/server.ts`, which runs a worker with --with-worker and the in-memory
 * backend's processor) and the integration tests' harness.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  solver: ['solver'],
  service: ['service', 'solver'],
  workers: ['workers', 'service', 'solver'],
  api: ['api', 'service', 'solver'],
};
const COMPOSITION_ROOTS = new Set(['api/server.ts', 'api/test-service.ts']);
/** The code layers (fixtures are data, and the generators tests use). */
const LAYERS = new Set(['solver', 'service', 'workers', 'api', 'cli', 'bench']);

const root = normalize(join(dirname(fileURLToPath(import.meta.url)), '..'));

/** Relative specifiers of a module: static and dynamic imports, re-exports, and `new URL('…', import.meta.url)` (worker threads' files). */
export function specifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  const urls = [...text.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)].map(
    (m) => m[1],
  );
  return [...info.importedFiles.map((f) => f.fileName), ...urls].filter((s) => s.startsWith('.'));
}

/** Every import that crosses a layer the wrong way, as 'from → to'. `files`: repository-relative path → source text. */
export function layerViolations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const layer = file.split('/')[0];
    const allowed = MAY_IMPORT[layer];
    if (allowed === undefined) continue;
    const exempt = layer === 'api' && (COMPOSITION_ROOTS.has(file) || file.endsWith('.test.ts'));
    for (const spec of specifiers(text)) {
      const target = normalize(join(dirname(file), spec))
        .split('\\')
        .join('/');
      const to = target.split('/')[0];
      if (!LAYERS.has(to) || allowed.includes(to) || (exempt && to === 'workers')) continue;
      out.push(`${file} → ${target}`);
    }
  }
  return out;
}

function sources(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) sources(path, out);
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name)) out.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return out;
}

describe('layers', () => {
  it('solver imports none of the service; service imports neither api nor workers; workers never import api; api imports workers only where a process is put together', () => {
    const files = new Map<string, string>();
    for (const layer of Object.keys(MAY_IMPORT)) sources(layer, files);
    files.delete('service/layers.test.ts'); // its examples below
    expect(files.size).toBeGreaterThan(100);
    expect([...files.keys()].some((f) => f.startsWith('service/'))).toBe(true);
    expect(layerViolations(files)).toEqual([]);
  });

  it('the check sees a wrong import, static, dynamic, type-only, re-exported or a thread file', () => {
    const bad = new Map([
      ['service/a.ts', "import { buildApp } from '../api/app.ts';"],
      ['service/b.ts', "export type { X } from '../workers/x.ts';"],
      ['workers/c.ts', "const m = await import('../api/server.ts');"],
      ['workers/d.ts', "import type { Principal } from '../api/plugins/auth.ts';"],
      ['solver/e.ts', "import { PlanStore } from '../service/plan-store.ts';"],
      ['api/routes/f.ts', "new Worker(new URL('../../workers/solve-thread.mjs', import.meta.url));"],
      ['api/server.ts', "import { startWorker } from '../workers/start-worker.ts';"],
      ['service/ok.ts', "// from '../api/app.ts' in a comment\nimport { solve } from '../solver/index.ts';"],
      ['api/data.ts', "import day from '../fixtures/care/example-day.json' with { type: 'json' };"],
      ['cli/g.ts', "import { buildApp } from '../api/app.ts';"],
    ]);
    expect(layerViolations(bad)).toEqual([
      'service/a.ts → api/app.ts',
      'service/b.ts → workers/x.ts',
      'workers/c.ts → api/server.ts',
      'workers/d.ts → api/plugins/auth.ts',
      'solver/e.ts → service/plan-store.ts',
      'api/routes/f.ts → workers/solve-thread.mjs',
    ]);
  });
});
