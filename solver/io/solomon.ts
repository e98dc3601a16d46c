import { InputError, type InputIssue } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';

/**
 * Parses the Solomon / Gehring-Homberger VRPTW text format (see shared/benchmarks/README.md)
 * into the native problem: planar coordinates, Euclidean travel at speed 1, K identical nurses
 * with capacity Q and shift [0, depot due date], visit ids = customer numbers.
 */
export function parseSolomon(text: string): ProblemInput {
  const lines = text.split(/\r?\n/);
  const issues: InputIssue[] = [];
  const fail = (line: number, message: string): never => {
    issues.push({ code: 'E_FORMAT', where: `line ${line}`, message });
    throw new InputError(issues);
  };
  const name = lines[0]?.trim() ?? '';
  if (name === '') fail(1, 'expected the instance name on the first line');

  const vehicleLine = lines.findIndex((l) => /^\s*VEHICLE\s*$/i.test(l));
  if (vehicleLine < 0) fail(2, "no 'VEHICLE' section");
  let fleetLine = vehicleLine + 1;
  while (fleetLine < lines.length && !/\d/.test(lines[fleetLine])) fleetLine++;
  const fleet = numbers(lines[fleetLine] ?? '');
  if (fleet === null || fleet.length !== 2)
    fail(fleetLine + 1, 'expected two numbers: vehicle count and capacity');
  const [vehicleCount, capacity] = fleet!;
  if (!Number.isInteger(vehicleCount) || vehicleCount <= 0)
    fail(fleetLine + 1, `vehicle count must be a positive integer, got ${vehicleCount}`);
  if (capacity < 0) fail(fleetLine + 1, `capacity must be non-negative, got ${capacity}`);

  const customerLine = lines.findIndex((l) => /^\s*CUSTOMER\s*$/i.test(l));
  if (customerLine < 0) fail(fleetLine + 2, "no 'CUSTOMER' section");
  const rows: { line: number; v: number[] }[] = [];
  for (let i = customerLine + 1; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    if (rows.length === 0 && /^[a-z]/i.test(l)) continue; // the column header
    const v = numbers(l);
    if (v === null) fail(i + 1, `malformed number in '${l}'`);
    if (v!.length !== 7)
      fail(i + 1, `expected 7 numbers (id x y demand ready due service), got ${v!.length}`);
    const [, , , demand, ready, due, service] = v!;
    if (demand < 0) fail(i + 1, `demand must be non-negative, got ${demand}`);
    if (service < 0) fail(i + 1, `service time must be non-negative, got ${service}`);
    if (due < ready) fail(i + 1, `due date ${due} is before ready time ${ready}`);
    rows.push({ line: i + 1, v: v! });
  }
  if (rows.length < 2) fail(customerLine + 1, 'expected a depot row and at least one customer row');
  rows.forEach((r, k) => {
    if (r.v[0] !== k) fail(r.line, `expected customer number ${k}, got ${r.v[0]}`);
  });
  const [, dx, dy, , dReady, dDue] = rows[0].v;
  const depot = { x: dx, y: dy };
  return {
    name,
    timeUnit: 'minute',
    objective: 'distance',
    profiles: { car: { speed: 1 } },
    nurses: Array.from({ length: vehicleCount }, (_, k) => ({
      id: String(k + 1),
      start: depot,
      end: depot,
      shift: { start: dReady, end: dDue },
      capacity,
    })),
    visits: rows.slice(1).map(({ v: [id, x, y, demand, ready, due, service] }) => ({
      id: String(id),
      location: { x, y },
      duration: service,
      demand,
      timeWindows: [{ start: ready, end: due }],
    })),
  };
}

function numbers(line: string): number[] | null {
  const tokens = line.trim().split(/\s+/);
  const out: number[] = [];
  for (const t of tokens) {
    if (t === '') continue;
    const x = Number(t);
    if (!Number.isFinite(x)) return null;
    out.push(x);
  }
  return out;
}

/** True when the text looks like a Solomon file (used by `--format auto`). */
export function looksLikeSolomon(text: string): boolean {
  return /^\s*VEHICLE\s*$/im.test(text) && /^\s*CUSTOMER\s*$/im.test(text);
}
