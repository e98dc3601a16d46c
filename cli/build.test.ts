import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, ENTRIES } from './build.js';
import { ROOT, staleness } from './launch.js';

/**
 * The compiled start: the real build of the real sources into a temporary directory, then run
 * there by plain node (no TypeScript loader), as `hhc` runs dist/ after `npm install`.
 */
// Under the repository (node_modules/.cache), as dist/ is: the service finds the repository's
// web app and fixtures from there, as it does from dist/.
mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
const tmp = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'hhc-build-'));
const out = join(tmp, 'dist');
let sources: string[] = [];

/** Runs an ES module script with plain node (no tsx); `args` follow it in process.argv. */
let scripts = 0;
function node(script: string, ...args: string[]) {
  const file = join(tmp, `script-${++scripts}.mjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const distUrl = (source: string) => pathToFileURL(join(out, source.replace(/\.ts$/, '.js'))).href;
const CLI = `const { main } = await import(process.argv[2]); process.exitCode = await main(process.argv.slice(3));`;

beforeAll(async () => {
  // The packages resolve from the repository's node_modules above, as they do from dist/.
  ({ sources } = await build({ outdir: out }));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

describe('the build (cli/build.js)', () => {
  it('compiles every entry, the autoloaded plugins and routes, and all they import, one file each', () => {
    for (const s of [
      ...ENTRIES,
      'solver/index.ts',
      'api/app.ts',
      'api/plugins/auth.ts',
      'api/routes/v1/autohooks.ts',
      'api/routes/v1/plans.ts',
      'workers/run-solve-thread.ts',
    ])
      expect(sources).toContain(s);
    expect(sources.filter((s) => s.endsWith('.test.ts'))).toEqual([]);
    const outputs = files(out).map((f) => relative(out, f).split('\\').join('/'));
    for (const s of sources) expect(outputs).toContain(s.replace(/\.ts$/, '.js'));
    // The threads' entry files, started by URL.
    expect(outputs).toContain('workers/solve-thread.mjs');
    expect(outputs).toContain('service/problem-check-task.mjs');
  });

  it('leaves no TypeScript import and no run-time transpiler in the output', () => {
    for (const f of files(out).filter((f) => /\.m?js$/.test(f))) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/from\s*["'][^"']*\.ts["']|import\(\s*["'][^"']*\.ts["']/);
      expect(text, f).not.toMatch(/["']tsx(\/[^"']*)?["']/);
    }
  });

  it('writes a manifest under which the build is fresh for the sources as they are', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining([...sources, 'cli/build.js']));
    expect(manifest.dirs['api/routes/v1']).toContain('plans.ts');
    expect(staleness(ROOT, out)).toBeNull();
  });
});

describe('the compiled code, run by plain node', () => {
  it('is the CLI: help, solve and check a file of the repository', () => {
    const help = node(CLI, distUrl('cli/main.ts'), 'help');
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^hhc: home health care planning engine/);
    const plan = join(tmp, 'c101.plan.json');
    const problem = 'fixtures/solomon/c101.txt';
    const solved = node(
      CLI,
      distUrl('cli/main.ts'),
      'solve',
      problem,
      '--iterations',
      '200',
      '--quiet',
      '--out',
      plan,
    );
    expect(solved.stderr).toBe('');
    expect(solved.code).toBe(0);
    const checked = node(CLI, distUrl('cli/main.ts'), 'check', problem, plan);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/feasible/i);
  });

  it('is the API: plugins and routes autoloaded from dist/, a problem checked in its thread, solved in the solve thread', () => {
    const script = `
      const { buildApp } = await import(process.argv[2]);
      const { memoryBackend } = await import(process.argv[3]);
      const { solveProcessor } = await import(process.argv[4]);
      const { readFileSync } = await import('node:fs');
      const m = memoryBackend({ processor: solveProcessor });
      const key = m.createKey({ tenant: 'demo', role: 'coordinator' });
      const app = await buildApp({ prefix: 'build-test', store: m.store, queue: m.queue, events: m.events,
        principalOf: m.principalOf, cancel: m.cancel });
      const openapi = (await app.inject({ url: '/openapi.json' })).json();
      const res = await app.inject({ method: 'POST', url: '/v1/plans?timeLimit=1&wait=30',
        headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' },
        payload: readFileSync('fixtures/care/example-day.json') });
      const bad = await app.inject({ method: 'POST', url: '/v1/plans?timeLimit=1',
        headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, payload: '{"nurses": 3}' });
      const page = await app.inject({ url: '/' });
      process.stdout.write(JSON.stringify({ paths: Object.keys(openapi.paths), status: res.statusCode,
        unassigned: res.json().plan?.summary?.unassigned, bad: bad.statusCode, page: page.statusCode,
        app: page.body.includes('<div id="app">') }));
      await app.close();
      process.exit(0);`;
    const r = node(
      script,
      distUrl('api/app.ts'),
      distUrl('service/memory-backend.ts'),
      distUrl('workers/solve-processor.ts'),
    );
    expect(r.stderr).toBe('');
    const seen = JSON.parse(r.stdout);
    expect(seen.paths).toEqual(expect.arrayContaining(['/v1/plans', '/healthz']));
    expect(seen).toMatchObject({ status: 200, unassigned: 0, bad: 400 });
    // The web app built beside it (npm install builds both) is served from the compiled API too.
    const built = existsSync(join(ROOT, 'web', 'dist', 'index.html'));
    expect(seen).toMatchObject(built ? { page: 200, app: true } : { page: 503 });
  });
});
