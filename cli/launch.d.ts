// Types of cli/launch.js (plain JavaScript: it runs before any TypeScript loader).

/** The repository. */
export const ROOT: string;
/** The build's manifest, in its output directory. */
export const MANIFEST: string;
/** Directories Fastify's autoload reads. */
export const AUTOLOAD_DIRS: string[];
/** Why `outdir` cannot stand for the sources under `root` (one phrase), or null when it can. */
export function staleness(root?: string, outdir?: string): string | null;
/** The node arguments that run `source` (relative to the repository): compiled when fresh, else through tsx. */
export function nodeArgs(source: string): string[];
/** Imports `source` (relative to the repository): the compiled module when fresh, else the source. */
export function load(source: string): Promise<any>;
