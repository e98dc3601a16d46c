import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError, type InputIssue } from '../model/errors.ts';
import type { LocationInput, NurseInput, ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';

/**
 * Spreadsheets in and out (docs/formats.md, "CSV"): a day's or week's visits and nurses from CSV
 * files with documented columns, and a plan as CSV, one row per stop, that imports back as the
 * same visits. Parsing and writing through csv-parse and csv-stringify (quotes, separators, line
 * ends as spreadsheets write them); every error names the file, the row and the column.
 */

/** The visit columns, in the order an export writes them. */
export const VISIT_COLUMNS = [
  'id',
  'patient',
  'address',
  'lon',
  'lat',
  'duration',
  'window_start',
  'window_end',
  'window2_start',
  'window2_end',
  'date',
  'skills',
  'preferred_nurses',
  'excluded_nurses',
  'required_nurse',
  'optional',
  'priority',
  'penalty',
  'notes',
] as const;

/** The nurse columns. */
export const NURSE_COLUMNS = [
  'id',
  'lon',
  'lat',
  'end_lon',
  'end_lat',
  'shift_start',
  'shift_end',
  'skills',
  'max_working_time',
  'max_visits',
  'overtime_max',
  'overtime_cost',
] as const;

/** What an exported plan adds before the visit columns: a re-import skips them. */
export const PLAN_COLUMNS = [
  'status',
  'nurse',
  'shift',
  'route_date',
  'sequence',
  'arrival',
  'start',
  'end',
  'arrival_time',
  'start_time',
  'end_time',
  'reason',
] as const;

type Row = Record<string, string>;

/** Rows of a CSV text by header; refused with the file and line when it is not CSV, and with the column when a header is unknown. */
function rowsOf(
  text: string,
  file: string,
  known: readonly string[],
  skipped: readonly string[] = [],
): Row[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new InputError([
      {
        code: 'E_FORMAT',
        where: line === undefined ? file : `${file}: row ${line}`,
        message: (e as Error).message,
      },
    ]);
  }
  if (records.length === 0)
    throw new InputError([{ code: 'E_MISSING', where: file, message: 'has no header row' }]);
  const header = records[0].map((h) => h.toLowerCase());
  const issues: InputIssue[] = [];
  header.forEach((h, c) => {
    if (!known.includes(h) && !skipped.includes(h))
      issues.push({
        code: 'E_UNKNOWN_FIELD',
        where: `${file}: row 1, column ${c + 1} (${h})`,
        message: `unknown column '${h}'; the columns are ${known.join(', ')}`,
      });
  });
  if (!header.includes('id'))
    issues.push({ code: 'E_MISSING', where: `${file}: row 1`, message: "needs an 'id' column" });
  if (issues.length > 0) throw new InputError(issues);
  return records.slice(1).map((cells) => Object.fromEntries(header.map((h, c) => [h, cells[c]])));
}

/** Where a cell is, for errors: the file, the row (the header is row 1) and the column. */
const cell = (file: string, row: number, column: string) => `${file}: row ${row + 2}, column ${column}`;

/** A reader of number cells: empty is undefined, anything else not a number an issue naming its cell. */
function numbers(file: string, issues: InputIssue[]) {
  return (r: Row, k: number, column: string): number | undefined => {
    const s = r[column];
    if (s === undefined || s === '') return undefined;
    const x = Number(s);
    if (!Number.isFinite(x))
      issues.push({ code: 'E_TYPE', where: cell(file, k, column), message: `'${s}' is not a number` });
    return x;
  };
}

/** `{key: x}` when x is a number, else nothing (a spread). */
const opt = (key: string, x: number | undefined) => (x === undefined ? {} : { [key]: x });

const list = (s: string | undefined) =>
  s === undefined || s === ''
    ? undefined
    : s
        .split(';')
        .map((x) => x.trim())
        .filter((x) => x !== '');

/** A number, or the text as it is (a clock time such as 08:00): the native format reads both. */
const timeOf = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/**
 * Visits from CSV rows (the columns above; a plan exported as CSV reads back as its visits).
 * Numbers must be numbers, `optional` yes/no; the rest is checked by validating the problem.
 */
export function visitsFromCsv(text: string, file: string): VisitInput[] {
  const rows = rowsOf(text, file, VISIT_COLUMNS, PLAN_COLUMNS);
  const issues: InputIssue[] = [];
  const num = numbers(file, issues);
  const visits = rows.map((r, k): VisitInput => {
    const lon = num(r, k, 'lon');
    const lat = num(r, k, 'lat');
    if (lon === undefined || lat === undefined)
      issues.push({
        code: 'E_MISSING',
        where: cell(file, k, lon === undefined ? 'lon' : 'lat'),
        message: 'every visit needs lon and lat',
      });
    const windows = (['window', 'window2'] as const).flatMap((w) => {
      const start = r[`${w}_start`] ?? '';
      const end = r[`${w}_end`] ?? '';
      if (start === '' && end === '') return [];
      if (start === '' || end === '')
        issues.push({
          code: 'E_MISSING',
          where: cell(file, k, start === '' ? `${w}_start` : `${w}_end`),
          message: 'a window needs a start and an end',
        });
      return [{ start: timeOf(start), end: timeOf(end) } as unknown as { start: number; end: number }];
    });
    const optional = r.optional ?? '';
    if (!['', 'yes', 'no', 'true', 'false', '1', '0'].includes(optional.toLowerCase()))
      issues.push({
        code: 'E_TYPE',
        where: cell(file, k, 'optional'),
        message: `'${optional}' is not yes or no`,
      });
    const text = (column: string) => (r[column] === undefined || r[column] === '' ? undefined : r[column]);
    const v: VisitInput = {
      id: r.id,
      ...(text('patient') !== undefined && { patient: text('patient') }),
      ...(text('address') !== undefined && { address: text('address') }),
      location: { lon: lon ?? 0, lat: lat ?? 0 },
      ...opt('duration', num(r, k, 'duration')),
      ...(windows.length > 0 && { timeWindows: windows }),
      ...(text('date') !== undefined && { date: text('date') }),
      ...(list(r.skills) !== undefined && { skills: list(r.skills) }),
      ...(list(r.preferred_nurses) !== undefined && { preferredNurses: list(r.preferred_nurses) }),
      ...(list(r.excluded_nurses) !== undefined && { excludedNurses: list(r.excluded_nurses) }),
      ...(text('required_nurse') !== undefined && { requiredNurse: text('required_nurse') }),
      ...(['yes', 'true', '1'].includes(optional.toLowerCase()) && { optional: true }),
      ...opt('priority', num(r, k, 'priority')),
      ...opt('penalty', num(r, k, 'penalty')),
      ...(text('notes') !== undefined && { notes: text('notes') }),
    };
    return v;
  });
  if (issues.length > 0) throw new InputError(issues);
  return visits;
}

/** Nurses from CSV rows (the columns above): start and end places, shift, skills, limits. */
export function nursesFromCsv(text: string, file: string): NurseInput[] {
  const rows = rowsOf(text, file, NURSE_COLUMNS);
  const issues: InputIssue[] = [];
  const num = numbers(file, issues);
  const nurses = rows.map((r, k): NurseInput => {
    const place = (lonColumn: string, latColumn: string): LocationInput | undefined => {
      const lon = num(r, k, lonColumn);
      const lat = num(r, k, latColumn);
      if (lon === undefined && lat === undefined) return undefined;
      if (lon === undefined || lat === undefined) {
        issues.push({
          code: 'E_MISSING',
          where: cell(file, k, lon === undefined ? lonColumn : latColumn),
          message: 'a place needs lon and lat',
        });
        return undefined;
      }
      return { lon, lat };
    };
    const start = place('lon', 'lat');
    if (start === undefined && (r.lon ?? '') === '' && (r.lat ?? '') === '')
      issues.push({
        code: 'E_MISSING',
        where: cell(file, k, 'lon'),
        message: 'every nurse needs lon and lat',
      });
    const end = place('end_lon', 'end_lat');
    const shiftStart = r.shift_start ?? '';
    const shiftEnd = r.shift_end ?? '';
    if ((shiftStart === '') !== (shiftEnd === ''))
      issues.push({
        code: 'E_MISSING',
        where: cell(file, k, shiftStart === '' ? 'shift_start' : 'shift_end'),
        message: 'a shift needs a start and an end',
      });
    const overtime = num(r, k, 'overtime_max');
    return {
      id: r.id,
      start: start ?? { lon: 0, lat: 0 },
      ...(end !== undefined && { end }),
      ...(shiftStart !== '' &&
        shiftEnd !== '' && {
          shift: { start: timeOf(shiftStart), end: timeOf(shiftEnd) } as unknown as {
            start: number;
            end: number;
          },
        }),
      ...(list(r.skills) !== undefined && { skills: list(r.skills) }),
      ...opt('maxWorkingTime', num(r, k, 'max_working_time')),
      ...opt('maxVisits', num(r, k, 'max_visits')),
      ...(overtime !== undefined && {
        overtime: {
          max: overtime,
          ...opt('cost', num(r, k, 'overtime_cost')),
        },
      }),
    };
  });
  if (issues.length > 0) throw new InputError(issues);
  return nurses;
}

/** Issues of a problem built from CSV, named by file, row and column where they point into its visits or nurses. */
export function csvIssues(issues: InputIssue[], files: { visits: string; nurses?: string }): InputIssue[] {
  const columnOf: Record<string, string> = {
    location: 'lon',
    'location/lon': 'lon',
    'location/lat': 'lat',
    'timeWindows/0/start': 'window_start',
    'timeWindows/0/end': 'window_end',
    'timeWindows/0': 'window_start',
    'timeWindows/1/start': 'window2_start',
    'timeWindows/1/end': 'window2_end',
    'timeWindows/1': 'window2_start',
    timeWindows: 'window_start',
    preferredNurses: 'preferred_nurses',
    excludedNurses: 'excluded_nurses',
    requiredNurse: 'required_nurse',
    maxWorkingTime: 'max_working_time',
    maxVisits: 'max_visits',
    'overtime/max': 'overtime_max',
    'overtime/cost': 'overtime_cost',
    'shift/start': 'shift_start',
    'shift/end': 'shift_end',
    shift: 'shift_start',
    start: 'lon',
    end: 'end_lon',
  };
  return issues.map((i) => {
    const m = /^\/(visits|nurses)\/(\d+)(?:\/(.*))?$/.exec(i.where);
    const file = m === null ? undefined : m[1] === 'visits' ? files.visits : files.nurses;
    if (m === null || file === undefined) return i;
    const path = m[3] ?? '';
    const field =
      columnOf[path] ??
      columnOf[path.split('/').slice(0, 2).join('/')] ??
      columnOf[path.split('/')[0]] ??
      path.split('/')[0].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return {
      ...i,
      where: field === '' ? `${file}: row ${Number(m[2]) + 2}` : cell(file, Number(m[2]), field),
    };
  });
}

/** A plan as CSV: one row per stop (and per left-out visit), the visit's own columns after the plan's, so that it imports back as the same visits. */
export function planCsv(problem: ProblemInput, plan: Plan): string {
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const rows: (string | number)[][] = [[...PLAN_COLUMNS, ...VISIT_COLUMNS]];
  const visitCells = (id: string) => {
    const v = visits.get(id);
    if (v === undefined) return VISIT_COLUMNS.map((c) => (c === 'id' ? id : ''));
    const w = v.timeWindows ?? [];
    const loc = v.location as { lon?: number; lat?: number };
    const values: Record<(typeof VISIT_COLUMNS)[number], string | number | undefined> = {
      id: v.id,
      patient: v.patient,
      address: v.address,
      lon: loc.lon,
      lat: loc.lat,
      duration: v.duration,
      window_start: w[0]?.start,
      window_end: w[0]?.end,
      window2_start: w[1]?.start,
      window2_end: w[1]?.end,
      date: v.date,
      skills: v.skills?.join(';'),
      preferred_nurses: v.preferredNurses?.join(';'),
      excluded_nurses: v.excludedNurses?.join(';'),
      required_nurse: v.requiredNurse,
      optional: v.optional === true ? 'yes' : undefined,
      priority: v.priority,
      penalty: v.penalty,
      notes: v.notes,
    };
    return VISIT_COLUMNS.map((c) => values[c] ?? '');
  };
  for (const route of plan.routes)
    route.stops.forEach((s, i) => {
      rows.push([
        'planned',
        route.vehicle,
        route.shift ?? '',
        route.date ?? '',
        i + 1,
        s.arrival,
        s.start,
        s.end,
        s.arrivalTime ?? '',
        s.startTime ?? '',
        s.endTime ?? '',
        '',
        ...visitCells(s.visit),
      ]);
    });
  for (const u of plan.unassigned)
    rows.push(['unassigned', '', '', '', '', '', '', '', '', '', '', u.reason, ...visitCells(u.visit)]);
  // A cell starting with = + - @ would be a formula in a spreadsheet: quoted as text.
  return stringify(rows, { escape_formulas: true });
}
