import { csvIssues, nursesFromCsv, planCsv, visitsFromCsv } from '../solver/io/csv.ts';
import { planGeoJson } from '../solver/io/plan-geojson.ts';
import { planToFhir, visitsFromFhir } from '../solver/io/fhir.ts';
import { InputError, type ProblemInput, validateProblem } from '../solver/index.ts';
import { namedFile, parse, readPlanFile, writeOut } from './args.ts';
import { readJsonFile, readTextFile, UsageError } from './files.ts';
import { loadProblem } from './load-problem.ts';
import { onBase } from '../solver/io/on-base.ts';

/**
 * `hhc import --visits FILE [--nurses FILE] [--base FILE] [--out FILE]`: a native problem from
 * spreadsheets (docs/formats.md, "CSV"): the visits (and nurses) from CSV, everything else
 * (calendar, profiles, weights, nurses when no CSV gives them) from the base problem (onBase). The
 * problem is validated; every issue names the file, the row and the column.
 */
export function runImport(args: string[]): number {
  const { values, positionals } = parse(args, {
    visits: { type: 'string' },
    fhir: { type: 'string' },
    nurses: { type: 'string' },
    base: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(
      'import takes --visits FILE.csv or --fhir BUNDLE.json [--nurses FILE] [--base FILE]',
    );
  if ((values.visits === undefined) === (values.fhir === undefined))
    throw new UsageError('import needs --visits FILE (CSV) or --fhir FILE (a FHIR Bundle), one of them');
  const base = values.base === undefined ? undefined : (readJsonFile(values.base) as Partial<ProblemInput>);
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base)))
    throw new InputError([
      { code: 'E_TYPE', where: values.base!, message: 'must be a problem (a JSON object)' },
    ]);
  const visits =
    values.fhir !== undefined
      ? namedFile(values.fhir, () =>
          visitsFromFhir(readJsonFile(values.fhir!), base?.timeUnit ?? 'minute', [], base?.timeZone),
        )
      : visitsFromCsv(readTextFile(values.visits!), values.visits!);
  const visitsFile = values.fhir ?? values.visits!;
  const nurses =
    values.nurses === undefined ? undefined : nursesFromCsv(readTextFile(values.nurses), values.nurses);
  if (nurses === undefined && base?.nurses === undefined)
    throw new UsageError('import needs nurses: --nurses FILE (CSV) or a --base problem that has them');
  const problem = onBase(base ?? {}, visits, nurses);
  try {
    validateProblem(problem);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      csvIssues(e.issues, {
        // A FHIR Bundle's visits: the file and the visit's index (its entries are resources of every kind).
        visits: visitsFile,
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
 * `hhc export <problem> <plan> --format csv|geojson|fhir [--out FILE]`: a plan as a spreadsheet (one
 * row per stop and per left-out visit, the visit's columns after the plan's: it imports back as
 * the same visits), as GeoJSON for GIS tools (routes as lines, stops as points with their times),
 * or as a FHIR R4 Bundle of Appointments for the patient record.
 */
export function runExport(args: string[]): number {
  const { values, positionals } = parse(args, { format: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 2) throw new UsageError('export takes a problem file and a plan file');
  if (values.format !== 'csv' && values.format !== 'geojson' && values.format !== 'fhir')
    throw new UsageError(
      `export needs --format csv, geojson or fhir${values.format === undefined ? '' : `, got '${values.format}'`}`,
    );
  const problem = loadProblem(positionals[0], 'json');
  const plan = readPlanFile(positionals[1]);
  const text =
    values.format === 'csv'
      ? planCsv(problem, plan)
      : JSON.stringify(
          namedFile(positionals[0], () =>
            values.format === 'fhir' ? planToFhir(problem, plan) : planGeoJson(problem, plan),
          ),
          null,
          2,
        ) + '\n';
  writeOut(values.out, text);
  return 0;
}
