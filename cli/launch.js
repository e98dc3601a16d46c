// Runs the compiled code in dist/ when it is a build of the sources as they are now, else the
// TypeScript sources through tsx (with a one-line note on stderr). The rule, in a few ms: every
// file listed in dist/manifest.json (all the sources the build read, cli/build.js and
// tsconfig.json) still has the modification time and size it had when it was built, and the
// autoloaded directories (API plugins and routes) hold the same TypeScript files.
// HHC_FROM_SOURCE=1 runs the sources without a note (the tests set it).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The build's manifest, in its output directory. */
export const MANIFEST = 'manifest.json';
/** Directories Fastify's autoload reads (api/app.ts): a file added there is in no import graph. */
export const AUTOLOAD_DIRS = ['api/plugins', 'api/routes'];

/** Why `outdir` cannot stand for the sources under `root` (one phrase), or null when it can. */
export function staleness(root = ROOT, outdir = join(root, 'dist')) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(outdir, MANIFEST), 'utf8'));
  } catch {
    return 'no build in dist/';
  }
  if (manifest.version !== 1) return 'dist/ holds a build of another version';
  for (const [file, [mtimeMs, size]] of Object.entries(manifest.files)) {
    let s;
    try {
      s = statSync(join(root, file));
    } catch {
      return `${file} is gone since the build`;
    }
    if (s.mtimeMs !== mtimeMs || s.size !== size) return `${file} changed since the build`;
  }
  for (const [dir, files] of Object.entries(manifest.dirs)) {
    let now;
    try {
      now = readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    } catch {
      return `${dir}/ is gone since the build`;
    }
    const added = now.find((f) => !files.includes(f));
    if (added !== undefined) return `${dir}/${added} is new since the build`;
    if (now.length !== files.length) return `a file left ${dir}/ since the build`;
  }
  return null;
}

let told = false;
/** True when dist/ runs; else says once on stderr why not (unless HHC_FROM_SOURCE=1 asked for the sources). */
function useDist() {
  if (process.env.HHC_FROM_SOURCE === '1') return false;
  const reason = staleness();
  if (reason === null) return true;
  if (!told)
    process.stderr.write(
      `hhc: running the TypeScript sources (slower start): ${reason}; \`npm run build\` compiles them\n`,
    );
  told = true;
  return false;
}

/**
 * The node arguments that run `source` (relative to the repository): its compiled file when
 * dist/ is fresh, else the source through tsx (and the note, once).
 */
export function nodeArgs(source) {
  if (useDist()) return [join(ROOT, 'dist', source.replace(/\.ts$/, '.js'))];
  return ['--import', 'tsx', join(ROOT, source)];
}

/** Imports `source` (relative to the repository): the compiled module when fresh, else the source. */
export async function load(source) {
  if (useDist()) return import(pathToFileURL(join(ROOT, 'dist', source.replace(/\.ts$/, '.js'))).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, source)).href);
}
