import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, ENTRIES } from './build.js';
import { AUTOLOAD_DIRS, ROOT, staleness } from './launch.js';

/**
 * The launcher's freshness rule, on a small repository of its own (the real bin, launcher and
 * build; entry files that say whether they run compiled): `hhc` runs dist/ only while it is a
 * build of the sources as they are, else the sources, saying so in one line.
 */
const repo = mkdtempSync(join(tmpdir(), 'hhc-launch-'));
const dist = join(repo, 'dist');
const say = `export async function main(): Promise<number> {
  process.stdout.write(import.meta.url.endsWith('.ts') ? 'sources\\n' : 'dist\\n');
  return 0;
}
`;
function write(path: string, text: string) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}
/** `hhc` of the small repository, as users run it (HHC_FROM_SOURCE only when asked). */
function hhc(env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.HHC_FROM_SOURCE;
  const r = spawnSync(process.execPath, [join(repo, 'cli/hhc.js')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...base, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
/** Moves a file's modification time a second on, as an edit does. */
function touch(path: string) {
  const s = statSync(join(repo, path));
  utimesSync(join(repo, path), s.atime, new Date(s.mtimeMs + 1000));
}
const manifest = () => JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
const rebuild = () => build({ root: repo });

beforeAll(async () => {
  for (const f of ['cli/hhc.js', 'cli/launch.js', 'cli/build.js', 'tsconfig.json'])
    write(f, readFileSync(join(ROOT, f), 'utf8'));
  write('package.json', '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  write('cli/main.ts', `import { helper } from './helper.ts';\nhelper();\n${say}`);
  write('cli/helper.ts', 'export function helper(): void {}\n');
  for (const entry of ENTRIES) if (entry !== 'cli/main.ts') write(entry, 'export {};\n');
  for (const dir of AUTOLOAD_DIRS) write(`${dir}/a.ts`, 'export default async function plugin() {}\n');
  await rebuild();
}, 120_000);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('the launcher (cli/hhc.js, cli/launch.js)', () => {
  it('runs dist/ right after a build, silently', () => {
    expect(hhc()).toEqual({ code: 0, stdout: 'dist\n', stderr: '' });
  });

  it('runs the sources, with a one-line note, once a source the build read has changed', async () => {
    touch('cli/helper.ts');
    const r = hhc();
    expect(r.stdout).toBe('sources\n');
    expect(r.stderr).toMatch(
      /^hhc: running the TypeScript sources .*cli\/helper\.ts changed since the build.*npm run build.*\n$/,
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
    await rebuild();
    expect(hhc().stdout).toBe('dist\n');
  });

  it('runs the sources when there is no build, and without a note when HHC_FROM_SOURCE=1 asks', async () => {
    expect(hhc({ HHC_FROM_SOURCE: '1' })).toEqual({ code: 0, stdout: 'sources\n', stderr: '' });
    rmSync(dist, { recursive: true });
    const r = hhc();
    expect(r.stdout).toBe('sources\n');
    expect(r.stderr).toMatch(/no build in dist\//);
    await rebuild();
  });
});

describe('the freshness rule (staleness)', () => {
  it('holds for a fresh build and names what changed since', () => {
    expect(staleness(repo)).toBeNull();
    const fresh = manifest();
    const rewrite = (m: object) => writeFileSync(join(dist, 'manifest.json'), JSON.stringify(m));
    const [mtime, size] = fresh.files['cli/main.ts'];
    rewrite({ ...fresh, files: { ...fresh.files, 'cli/main.ts': [mtime, size + 1] } });
    expect(staleness(repo)).toBe('cli/main.ts changed since the build');
    rewrite({ ...fresh, files: { ...fresh.files, 'cli/main.ts': [mtime - 1, size] } });
    expect(staleness(repo)).toBe('cli/main.ts changed since the build');
    rewrite({ ...fresh, version: 2 });
    expect(staleness(repo)).toMatch(/another version/);
    rewrite(fresh);
    expect(staleness(repo)).toBeNull();
  });

  it('sees the build script changed, a source gone, a plugin or route file added or removed', async () => {
    touch('cli/build.js');
    expect(staleness(repo)).toBe('cli/build.js changed since the build');
    await rebuild();
    unlinkSync(join(repo, 'cli/helper.ts'));
    expect(staleness(repo)).toBe('cli/helper.ts is gone since the build');
    write('cli/helper.ts', 'export function helper(): void {}\n');
    await rebuild();
    write('api/routes/new-route.ts', 'export default async function routes() {}\n');
    expect(staleness(repo)).toBe('api/routes/new-route.ts is new since the build');
    write('api/routes/new-route.test.ts', '');
    unlinkSync(join(repo, 'api/routes/new-route.ts'));
    expect(staleness(repo)).toBeNull();
    unlinkSync(join(repo, 'api/plugins/a.ts'));
    expect(staleness(repo)).toBe('api/plugins/a.ts is gone since the build');
  });

  it('costs a few milliseconds on the real repository', () => {
    staleness();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) staleness();
    expect((performance.now() - t0) / 10).toBeLessThan(20);
  });
});
