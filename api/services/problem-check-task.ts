/**
 * The problem checks that are too heavy for the API's event loop, run in a thread pool
 * (problem-checker.ts): parsing a submitted body of up to the body limit, its depth, the
 * solver's validation with the service's limits, the idempotency fingerprint, and building a
 * re-plan's problem from the stored one. Nothing here touches Redis.
 */
import { createHash } from 'node:crypto';
import {
  applyChanges,
  type DayChanges,
  findProblemIssues,
  type Plan,
  type ProblemInput,
  type ProblemLimits,
} from '../../solver/index.ts';

export interface CheckIssue {
  pointer: string;
  code: string;
  message: string;
}

export type CheckTask =
  | { kind: 'submission'; body: Uint8Array; limits: Partial<ProblemLimits>; maxDepth: number }
  | {
      kind: 'replan';
      problem: string;
      plan: Plan;
      changes: DayChanges;
      limits: Partial<ProblemLimits>;
      maxDepth: number;
    };

export type CheckResult =
  | { ok: true; fingerprint: string; text?: string }
  | { ok: false; message: string; issues: CheckIssue[]; issueCount: number };

/** At most this many issues are answered (a body of junk would otherwise answer many times its size). */
export const MAX_ISSUES = 100;

/** The first value nested deeper than `max` (objects and arrays), as a JSON pointer, or null. */
export function tooDeep(value: unknown, max: number): string | null {
  const stack: { v: unknown; depth: number; at: string }[] = [{ v: value, depth: 0, at: '' }];
  while (stack.length > 0) {
    const { v, depth, at } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return at;
    const entries = Array.isArray(v) ? v.map((x, k) => [String(k), x] as const) : Object.entries(v);
    for (const [k, x] of entries)
      if (typeof x === 'object' && x !== null)
        stack.push({ v: x, depth: depth + 1, at: `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return null;
}

const fingerprint = (text: string) => createHash('sha256').update(text).digest('hex');

function validate(
  problem: unknown,
  limits: Partial<ProblemLimits>,
  maxDepth: number,
  message: string,
): CheckResult | null {
  const deep = tooDeep(problem, maxDepth);
  if (deep !== null)
    return {
      ok: false,
      message,
      issueCount: 1,
      issues: [
        {
          pointer: deep,
          code: 'E_LIMIT',
          message: `is nested more than ${maxDepth} levels deep (limit maxDepth)`,
        },
      ],
    };
  const issues = findProblemIssues(problem, { limits });
  if (issues.length === 0) return null;
  return {
    ok: false,
    message:
      issues.length > MAX_ISSUES
        ? `${message} (the first ${MAX_ISSUES} of ${issues.length} issues)`
        : message,
    issueCount: issues.length,
    issues: issues.slice(0, MAX_ISSUES).map((i) => ({ pointer: i.where, code: i.code, message: i.message })),
  };
}

export default function check(task: CheckTask): CheckResult {
  if (task.kind === 'submission') {
    const text = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength).toString('utf8');
    let problem: unknown;
    try {
      problem = JSON.parse(text);
    } catch (e) {
      return {
        ok: false,
        message: 'the body is not valid JSON',
        issueCount: 1,
        issues: [{ pointer: '', code: 'E_FORMAT', message: (e as Error).message }],
      };
    }
    const bad = validate(problem, task.limits, task.maxDepth, 'the problem is invalid');
    return bad ?? { ok: true, fingerprint: fingerprint(JSON.stringify(problem)) };
  }
  const next = applyChanges(JSON.parse(task.problem) as ProblemInput, task.plan, task.changes);
  const bad = validate(next, task.limits, task.maxDepth, 'the changes make an invalid problem');
  if (bad !== null) return bad;
  const text = JSON.stringify(next);
  return { ok: true, fingerprint: fingerprint(text), text };
}
