#!/usr/bin/env node
// Compiles the TypeScript that runs at start-up (the CLI, the API, the worker, their threads, the
// benchmark's per-instance runner) to plain JavaScript in dist/, one file per source, so that
// `hhc` starts without a run-time transpiler. Run by `npm run build` and by `npm install` /
// `npm ci` (the `prepare` script). The launcher (cli/launch.js) runs dist/ only while every source
// listed in dist/manifest.json is unchanged since this build; otherwise it runs the sources.
//   node cli/build.js [--outdir DIR] [--quiet]
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AUTOLOAD_DIRS, MANIFEST, ROOT } from './launch.js';

/** The programs compiled (with everything they import) besides the autoloaded plugins and routes. */
export const ENTRIES = [
  'cli/main.ts',
  'api/server.ts',
  'workers/main.ts',
  // Thread entry files: started by URL (workers/run-solve-thread.ts, service/problem-checker.ts).
  'workers/solve-thread.ts',
  'service/problem-check-task.ts',
  // One process per benchmark instance (bench/quality.ts, bench/scale.ts).
  'bench/run-instance.ts',
];
/** Files that decide what the build produces: a change to them makes dist/ stale too. */
const BUILD_INPUTS = ['cli/build.js', 'tsconfig.json'];

const posix = (path) => path.split(sep).join('/');

/** The directories under the autoloaded ones, and the TypeScript files they hold (tests aside). */
export function autoloadListing(root, dirs = AUTOLOAD_DIRS) {
  const listing = {};
  const walk = (dir) => {
    const entries = readdirSync(join(root, dir), { withFileTypes: true });
    listing[dir] = entries
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      .map((e) => e.name)
      .sort();
    for (const e of entries) if (e.isDirectory()) walk(`${dir}/${e.name}`);
  };
  for (const dir of dirs) walk(dir);
  return listing;
}

const MARK = '.hhc-build';

/** Empties `outdir`, only when it is new, empty or one of our builds (never the repository). */
function clean(root, outdir) {
  if (!relative(outdir, root).startsWith('..')) throw new Error(`${outdir} holds the sources`);
  if (existsSync(outdir) && readdirSync(outdir).length > 0 && !existsSync(join(outdir, MARK)))
    throw new Error(`${outdir} is not empty and holds no build: remove it or choose another`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, MARK), 'written by cli/build.js: removed with the build\n');
}

/**
 * Builds `entries` (paths relative to `root`), the autoloaded directories' files and all they
 * import into `outdir`, and writes the manifest last (a build that fails leaves none).
 */
export async function build({
  root = ROOT,
  outdir = join(root, 'dist'),
  entries = ENTRIES,
  autoloadDirs = AUTOLOAD_DIRS,
  buildInputs = BUILD_INPUTS,
} = {}) {
  const esbuild = await import('esbuild');
  const started = performance.now();
  rmSync(join(outdir, MANIFEST), { force: true });
  // Stat the sources before reading them: an edit during the build leaves the build stale.
  const dirs = autoloadListing(root, autoloadDirs);
  const points = [
    ...entries,
    ...Object.entries(dirs).flatMap(([dir, files]) => files.map((f) => `${dir}/${f}`)),
  ];
  // Everything the entry points import, through relative paths (packages stay imports).
  const graph = await esbuild.build({
    absWorkingDir: root,
    entryPoints: points,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    outdir: 'unused',
    logLevel: 'silent',
  });
  const sources = Object.keys(graph.metafile.inputs).map(posix).sort();
  const stamp = () =>
    Object.fromEntries(
      [...sources, ...buildInputs].map((source) => {
        const s = statSync(join(root, source));
        return [source, [s.mtimeMs, s.size]];
      }),
    );
  const files = stamp();
  clean(root, outdir);
  // One output per source: every import stays an import, a relative './x.ts' becomes './x.js'.
  const oneFileEach = {
    name: 'one-file-each',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) =>
        args.kind === 'entry-point'
          ? undefined
          : { path: args.path.replace(/^(\.{1,2}\/.*)\.ts$/, '$1.js'), external: true },
      );
    },
  };
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: sources,
    outdir,
    outbase: '.',
    bundle: true,
    plugins: [oneFileEach],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    charset: 'utf8',
    logLevel: 'warning',
  });
  // A thread started by URL from a `.mjs` file next to its `.ts` (the sources' loader shim):
  // the compiled shim imports the compiled module.
  for (const source of sources) {
    const shim = source.replace(/\.ts$/, '.mjs');
    if (shim === source || !existsSync(join(root, shim))) continue;
    const name = shim.slice(shim.lastIndexOf('/') + 1, -'.mjs'.length);
    writeFileSync(
      join(outdir, shim),
      `// Compiled by cli/build.js: the thread entry without the TypeScript loader.\nimport * as m from './${name}.js';\nexport default m.default;\n`,
    );
  }
  // The outputs are ES modules wherever dist/ is (a test builds into a temporary directory).
  writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
  if (JSON.stringify(stamp()) !== JSON.stringify(files))
    throw new Error('sources changed during the build: run it again');
  // One line per file, so that a diff of two manifests reads.
  const lines = (o) => Object.entries(o).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  writeFileSync(
    join(outdir, MANIFEST),
    `{\n "version": 1,\n "files": {\n${lines(files).join(',\n')}\n },\n "dirs": {\n${lines(dirs).join(',\n')}\n }\n}\n`,
  );
  return { sources, ms: performance.now() - started };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { outdir: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  });
  const outdir = resolve(values.outdir ?? join(ROOT, 'dist'));
  try {
    const { sources, ms } = await build({ outdir });
    if (!values.quiet)
      process.stdout.write(
        `hhc: built ${sources.length} sources into ${posix(relative(process.cwd(), outdir)) || '.'}/ in ${(ms / 1000).toFixed(1)} s\n`,
      );
  } catch (e) {
    process.stderr.write(`hhc: build failed: ${e.message}\n`);
    process.exitCode = 1;
  }
}
