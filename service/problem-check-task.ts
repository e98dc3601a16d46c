/**
 * The problem checks that are too heavy for the API's event loop, run in a thread pool
 * (problem-checker.ts): parsing a submitted body of up to the body limit, its depth, the
 * solver's validation with the service's limits, the idempotency fingerprint, and building a
 * re-plan's problem from the stored one. What validation returns (the problem as the solver
 * reads it: times as numbers, recurring care as visits) is what the service stores, so that the
 * worker solves it without validating it again (solveValidated). Nothing here touches Redis.
 */
import { createHash } from 'node:crypto';
import { tooDeep } from './too-deep.ts';
import { type ImportFormat, importedProblem } from './import-body.ts';
import { fromVroom, vroomPointer } from '../solver/io/vroom.ts';
import {
  type ApplyResult,
  type ApplyTask,
  applyTask,
  type RecommendResult,
  type RecommendTask,
  recommendTask,
  type SimulateTask,
  simulateTask,
  type ExportResult,
  type ExportTask,
  exportTask,
} from './recommend-task.ts';
import type { SimulationReport } from '../solver/robust/simulate.ts';
import {
  applyChanges,
  type DayChanges,
  InputError,
  type InputIssue,
  type Plan,
  type ProblemInput,
  type ProblemLimits,
  validateProblem,
} from '../solver/index.ts';

export interface CheckIssue {
  pointer: string;
  code: string;
  message: string;
}

/** Re-plan changes as a request gives them: the new visits are checked as visits here, first. */
export type ChangesAsGiven = Omit<DayChanges, 'newVisits'> & { newVisits?: unknown[] };

export type CheckTask =
  | ExportTask
  | SimulateTask
  | RecommendTask
  | ApplyTask
  | {
      kind: 'submission';
      body: Uint8Array;
      limits: Partial<ProblemLimits>;
      maxDepth: number;
      /**
       * The body is a VROOM request (docs/formats.md), read as a native problem first; or a CSV of
       * visits or a FHIR Bundle, whose visits replace those of `base` (a stored problem's JSON text).
       */
      format?: 'vroom' | ImportFormat;
      base?: string;
    }
  | {
      kind: 'replan';
      problem: string;
      plan: Plan;
      changes: ChangesAsGiven;
      limits: Partial<ProblemLimits>;
      maxDepth: number;
    };

/** Why a problem was refused: a message and at most MAX_ISSUES issues. */
export interface CheckRefusal {
  message: string;
  issues: CheckIssue[];
}

/**
 * A problem accepted: the fingerprint of the body as parsed (idempotency), and `text`, the
 * problem to store when it is not the body as sent (validation resolved calendar notation or
 * recurring care; a re-plan's new problem).
 */
export type CheckResult =
  { ok: true; fingerprint: string; text?: string } | ({ ok: false; issueCount: number } & CheckRefusal);
type Refused = Extract<CheckResult, { ok: false }>;

/** At most this many issues are answered (a body of junk would otherwise answer many times its size). */
export const MAX_ISSUES = 100;

const fingerprint = (text: string) => createHash('sha256').update(text).digest('hex');

/** The problem as validateProblem returns it under the service's limits, or why it is refused. */
function validate(
  problem: unknown,
  limits: Partial<ProblemLimits>,
  maxDepth: number,
  message: string,
): { ok: true; problem: ProblemInput } | Refused {
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
  let issues: InputIssue[];
  try {
    return { ok: true, problem: validateProblem(problem, { limits }) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    issues = e.issues;
  }
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

export default function check(task: ExportTask): ExportResult;
export default function check(task: SimulateTask): SimulationReport;
export default function check(task: RecommendTask): RecommendResult;
export default function check(task: ApplyTask): ApplyResult;
export default function check(
  task: Exclude<CheckTask, ExportTask | SimulateTask | RecommendTask | ApplyTask>,
): CheckResult;
export default function check(
  task: CheckTask,
): CheckResult | RecommendResult | ApplyResult | SimulationReport | ExportResult {
  if (task.kind === 'export') return exportTask(task);
  if (task.kind === 'simulate') return simulateTask(task);
  if (task.kind === 'recommend') return recommendTask(task);
  if (task.kind === 'apply') return applyTask(task);
  if (task.kind === 'submission') {
    const text = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength).toString('utf8');
    if (task.format === 'csv' || task.format === 'fhir') return importSubmission(task, text);
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
    let given = problem;
    if (task.format === 'vroom') {
      // Depth first: the request's own fields, ignored by the conversion, are nested too.
      const deep = tooDeep(problem, task.maxDepth);
      if (deep !== null)
        return {
          ok: false,
          message: 'the VROOM request is invalid',
          issueCount: 1,
          issues: [
            {
              pointer: deep,
              code: 'E_LIMIT',
              message: `is nested more than ${task.maxDepth} levels deep (limit maxDepth)`,
            },
          ],
        };
      // Issues of the VROOM request point into it; a problem it makes is checked as any other.
      try {
        given = fromVroom(problem);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return {
          ok: false,
          message: 'the VROOM request is invalid',
          issueCount: e.issues.length,
          issues: e.issues
            .slice(0, MAX_ISSUES)
            .map((i) => ({ pointer: i.where, code: i.code, message: i.message })),
        };
      }
    }
    const checked = validate(given, task.limits, task.maxDepth, 'the problem is invalid');
    if (!checked.ok)
      return task.format === 'vroom'
        ? { ...checked, issues: checked.issues.map((i) => ({ ...i, pointer: vroomPointer(i.pointer) })) }
        : checked;
    return {
      ok: true,
      fingerprint: fingerprint(JSON.stringify(problem)),
      // Validation resolved something (a copy): that is what the solver reads, and what is stored.
      ...(checked.problem !== problem && { text: JSON.stringify(checked.problem) }),
    };
  }
  return replan(task);
}

/**
 * A re-plan: the new visits are checked as visits first (pointers into the request's
 * `/newVisits`), then what the changes name (pointers into the request: `/absentNurses/0/nurse`),
 * then the changes are applied to the stored problem and the result validated;
 * issues about a new visit point into `/newVisits`, others into the problem.
 */
function replan(task: Extract<CheckTask, { kind: 'replan' }>): CheckResult {
  const message = 'the changes make an invalid problem';
  const base = JSON.parse(task.problem) as ProblemInput;
  const added = task.changes.newVisits ?? [];
  const toRequest = (offset: number) => (i: CheckIssue) => {
    const m = /^\/visits\/(\d+)(.*)$/.exec(i.pointer);
    return m !== null && Number(m[1]) >= offset
      ? { ...i, pointer: `/newVisits/${Number(m[1]) - offset}${m[2]}` }
      : i;
  };
  if (added.length > 0) {
    const alone = validate(
      { ...base, visits: added, syncGroups: [], dependencies: [] },
      task.limits,
      task.maxDepth,
      message,
    );
    if (!alone.ok) return { ...alone, issues: alone.issues.map(toRequest(0)) };
  }
  // The new visits are visits (checked just above): the changes are what applyChanges reads.
  const changes = task.changes as DayChanges;
  // Changes naming what is not there (an unknown nurse, visit), or times that cannot be read:
  // pointers into the request.
  let next: ProblemInput;
  try {
    next = applyChanges(base, task.plan, changes, { limits: task.limits });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return {
      ok: false,
      message,
      issueCount: e.issues.length,
      issues: e.issues
        .slice(0, MAX_ISSUES)
        .map((i) => ({ pointer: i.where, code: i.code, message: i.message })),
    };
  }
  const checked = validate(next, task.limits, task.maxDepth, message);
  if (!checked.ok)
    return { ...checked, issues: checked.issues.map(toRequest(next.visits.length - added.length)) };
  const text = JSON.stringify(checked.problem);
  return { ok: true, fingerprint: fingerprint(text), text };
}

/** A CSV or FHIR body on its base problem (import-body.ts): issues point into the body. */
function importSubmission(task: Extract<CheckTask, { kind: 'submission' }>, text: string): CheckResult {
  const message = `the ${task.format === 'csv' ? 'spreadsheet' : 'FHIR Bundle'} is invalid`;
  if (task.base === undefined)
    return {
      ok: false,
      message,
      issueCount: 1,
      issues: [
        {
          pointer: '?/base',
          code: 'E_MISSING',
          message: 'name the plan whose nurses and calendar to use (?base=<planId>)',
        },
      ],
    };
  const imported = importedProblem(text, task.format as ImportFormat, task.base);
  if (!imported.ok)
    return {
      ok: false,
      message,
      issueCount: imported.issues.length,
      issues: imported.issues.slice(0, MAX_ISSUES),
    };
  const checked = validate(imported.problem, task.limits, task.maxDepth, message);
  if (!checked.ok)
    return {
      ...checked,
      issues: checked.issues.map((i) => ({
        ...i,
        ...imported.pointer({ where: i.pointer, code: i.code as InputIssue['code'], message: i.message }),
      })),
    };
  return {
    ok: true,
    fingerprint: fingerprint(`${text}\n${task.base}`),
    text: JSON.stringify(checked.problem),
  };
}
