import { visitsFromFhir } from '../solver/io/fhir.ts';
import { csvIssues, visitsFromCsv } from '../solver/io/csv.ts';
import { InputError, type InputIssue, type ProblemInput, type VisitInput } from '../solver/index.ts';
import { onBase } from '../solver/io/on-base.ts';

/** A body in another format than the native problem: a spreadsheet of visits, or a FHIR Bundle. */
export type ImportFormat = 'csv' | 'fhir';

/** A problem made from an imported body and its base, and how to point an issue about its visits back into the body. */
export type Imported =
  | {
      ok: true;
      problem: ProblemInput;
      pointer: (issue: Pick<InputIssue, 'where' | 'message' | 'code'>) => {
        pointer: string;
        message: string;
      };
    }
  | { ok: false; issues: { pointer: string; code: string; message: string }[] };

/** `body: row 5, column duration` (csv.ts's naming) as a pointer into the table: `/5/duration`. */
function csvPointer(where: string): string {
  const m = /row (\d+)(?:, column (.+))?$/.exec(where);
  return m === null ? '' : m[2] === undefined ? `/${m[1]}` : `/${m[1]}/${m[2]}`;
}

/**
 * The problem of a CSV or FHIR body (docs/formats.md): its visits on the base problem (onBase),
 * the problem the plan the request names was submitted with. Issues point
 * into the body: `/<row>/<column>` for CSV (rows numbered as a spreadsheet shows them, the header
 * being row 1), `/entry/<k>/resource/…` for a Bundle.
 */
export function importedProblem(text: string, format: ImportFormat, baseText: string): Imported {
  const base = JSON.parse(baseText) as ProblemInput;
  let visits: VisitInput[];
  const entries: number[] = [];
  try {
    if (format === 'csv') visits = visitsFromCsv(text, 'body');
    else {
      let bundle: unknown;
      try {
        bundle = JSON.parse(text);
      } catch (e) {
        return { ok: false, issues: [{ pointer: '', code: 'E_FORMAT', message: (e as Error).message }] };
      }
      visits = visitsFromFhir(bundle, base.timeUnit ?? 'minute', entries, base.timeZone);
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return {
      ok: false,
      issues: e.issues.map((i) => ({
        pointer: format === 'csv' ? csvPointer(i.where) : i.where,
        code: i.code,
        message: format === 'csv' ? `${i.where.replace(/^body: /, '')}: ${i.message}` : i.message,
      })),
    };
  }
  const problem = onBase(base, visits);
  const pointer = (issue: Pick<InputIssue, 'where' | 'message' | 'code'>) => {
    const m = /^\/visits\/(\d+)(\/.*)?$/.exec(issue.where);
    if (m === null) return { pointer: issue.where, message: issue.message };
    if (format === 'csv') {
      const named = csvIssues([issue], { visits: 'body' })[0].where;
      return { pointer: csvPointer(named), message: `${named.replace(/^body: /, '')}: ${issue.message}` };
    }
    const field = m[2] === undefined ? '' : ` (visit field ${m[2].slice(1)})`;
    return { pointer: `/entry/${entries[Number(m[1])]}/resource`, message: `${issue.message}${field}` };
  };
  return { ok: true, problem, pointer };
}
