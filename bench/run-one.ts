import { execFile } from 'node:child_process';
import type { InstanceResult } from './report.ts';
import { type BenchInstance, resultMeta } from './suites.ts';

/**
 * How a Solomon-format instance is solved and checked: `override` when given, else truncated
 * legs (dimacs) where its best known value was found so (Gehring-Homberger, distance objective:
 * the hierarchical and Solomon values are in double precision), else double precision.
 */
export function conventionOf(
  inst: BenchInstance,
  objective: string | undefined,
  override?: 'double' | 'dimacs',
): 'double' | 'dimacs' {
  return (
    override ??
    (inst.bestConvention === 'trunc1' && (objective ?? 'distance') === 'distance' ? 'dimacs' : 'double')
  );
}

export interface RunOneOptions {
  timeLimit?: string;
  iterations?: string;
  objective?: string;
  convention?: 'double' | 'dimacs';
  recombine?: { every: string; pool: string };
  /** Where the run writes its whole plan (home-care suite). */
  planFile?: string;
}

/**
 * Solves one instance in its own process: `command` (e.g. [node, dist/bench/run-instance.js],
 * or with a `taskset` prefix) with the instance's arguments, and its one JSON line of results
 * (bench/run-instance.ts) beside what the instance is. A run that fails, or prints no such
 * line, comes back with `error`.
 */
export function runOne(
  command: readonly string[],
  inst: BenchInstance,
  seed: number,
  opts: RunOneOptions,
): Promise<InstanceResult> {
  const args = [...command.slice(1), inst.file, '--seed', String(seed)];
  if (opts.objective) args.push('--objective', opts.objective);
  if (inst.suite !== 'care' && inst.suite !== 'mankowska')
    args.push('--convention', conventionOf(inst, opts.objective, opts.convention));
  if (opts.planFile) args.push('--plan-out', opts.planFile);
  if (opts.timeLimit) args.push('--time-limit', opts.timeLimit);
  if (opts.iterations) args.push('--iterations', opts.iterations);
  if (opts.recombine) args.push('--recombine', opts.recombine.every, '--pool', opts.recombine.pool);
  const meta = { ...resultMeta(inst, seed), ...(opts.planFile && { planFile: opts.planFile }) };
  return new Promise((resolve) => {
    execFile(command[0], args, { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err) {
        resolve({ ...meta, error: (stderr || err.message).slice(0, 500) });
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ ...meta, ...JSON.parse(last) });
      } catch {
        resolve({ ...meta, error: `no JSON result line: ${last.slice(0, 200)}` });
      }
    });
  });
}
