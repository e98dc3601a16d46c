import { csvIssues, nursesFromCsv, planCsv, visitsFromCsv } from '../solver/io/csv.ts';
import { planGeoJson } from '../solver/io/plan-geojson.ts';
import { InputError, type ProblemInput, validateProblem } from '../solver/index.ts';
import { namedFile, parse, readPlanFile, writeOut } from './args.ts';
import { readJsonFile, readTextFile, UsageError } from './files.ts';
import { loadProblem } from './load-problem.ts';

/**
 * `hhc import --visits FILE [--nurses FILE] [--base FILE] [--out FILE]`: a native problem from
 * spreadsheets (docs/formats.md, "CSV"): the visits (and nurses) from CSV, everything else
 * (calendar, profiles, weights, nurses when no CSV gives them) from the base problem. The
 * problem is validated; every issue names the file, the row and the column.
 */
export function runImport(args: string[]): number {
  const { values, positionals } = parse(args, {
    visits: { type: 'string' },
    nurses: { type: 'string' },
    base: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError('import takes --visits FILE [--nurses FILE] [--base FILE]');
  if (values.visits === undefined) throw new UsageError('import needs --visits FILE (CSV)');
  const base = values.base === undefined ? undefined : (readJsonFile(values.base) as Partial<ProblemInput>);
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base)))
    throw new InputError([
      { code: 'E_TYPE', where: values.base!, message: 'must be a problem (a JSON object)' },
    ]);
  const visits = visitsFromCsv(readTextFile(values.visits), values.visits);
  const nurses =
    values.nurses === undefined ? undefined : nursesFromCsv(readTextFile(values.nurses), values.nurses);
  if (nurses === undefined && base?.nurses === undefined)
    throw new UsageError('import needs nurses: --nurses FILE (CSV) or a --base problem that has them');
  const problem = { ...base, nurses: nurses ?? base!.nurses!, visits } as ProblemInput;
  try {
    validateProblem(problem);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      csvIssues(e.issues, {
        visits: values.visits,
        ...(values.nurses !== undefined && { nurses: values.nurses }),
      }).map((i) =>
        i.where.startsWith('/') && values.base !== undefined
          ? { ...i, where: `${values.base}: ${i.where}` }
          : i,
      ),
    );
  }
  writeOut(values.out, JSON.stringify(problem, null, 2) + '\n');
  return 0;
}

/**
 * `hhc export <problem> <plan> --format csv|geojson [--out FILE]`: a plan as a spreadsheet (one
 * row per stop and per left-out visit, the visit's columns after the plan's: it imports back as
 * the same visits) or as GeoJSON for GIS tools (routes as lines, stops as points with their times).
 */
export function runExport(args: string[]): number {
  const { values, positionals } = parse(args, { format: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 2) throw new UsageError('export takes a problem file and a plan file');
  if (values.format !== 'csv' && values.format !== 'geojson')
    throw new UsageError(
      `export needs --format csv or geojson${values.format === undefined ? '' : `, got '${values.format}'`}`,
    );
  const problem = loadProblem(positionals[0], 'json');
  const plan = readPlanFile(positionals[1]);
  const text =
    values.format === 'csv'
      ? planCsv(problem, plan)
      : JSON.stringify(
          namedFile(positionals[1], () => planGeoJson(problem, plan)),
          null,
          2,
        ) + '\n';
  writeOut(values.out, text);
  return 0;
}
