// Types of cli/build.js (plain JavaScript: `npm install` runs it before anything else).

/** The programs compiled (with everything they import) besides the autoloaded plugins and routes. */
export const ENTRIES: string[];
/** The directories under the autoloaded ones, and the TypeScript files they hold (tests aside). */
export function autoloadListing(root: string, dirs?: string[]): Record<string, string[]>;
/** Builds the entries, the autoloaded files and all they import into `outdir`; the manifest last. */
export function build(options?: {
  root?: string;
  outdir?: string;
  entries?: string[];
  autoloadDirs?: string[];
  buildInputs?: string[];
}): Promise<{ sources: string[]; ms: number }>;
