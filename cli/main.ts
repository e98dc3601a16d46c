import { writeFileSync } from 'node:fs';
import {
  applyChanges,
  createStop,
  type DayChanges,
  InputError,
  type ObjectiveName,
  solve,
} from '../solver/index.ts';
import { loadProblem, type ProblemFormat } from './load-problem.ts';
import { toVroom } from '../solver/io/vroom.ts';
import { UsageError, readJsonFile } from './files.ts';
import { integer, namedFile, parse, readPlanFile, writeOut } from './args.ts';
import { ROAD_FLAGS, roadFor } from './road.ts';
import { notePlan } from '../service/road/road-matrices.ts';

const USAGE = `hhc: home health care planning engine

Usage:
  hhc solve <problem> [--format auto|solomon|mankowska|json|vroom] [--time-limit SECONDS] [--iterations N]
                      [--seed N] [--objective distance|duration|vehicles] [--osrm URL] [--out FILE] [--quiet]
  hhc check <problem> <plan> [--format auto|solomon|mankowska|json] [--osrm URL]
  hhc render <problem> <plan> [--format …] [--out FILE]   the plan as SVG: map and timelines
  hhc replan <problem> <plan> <changes> [--out FILE]      the problem of a re-plan (then hhc solve it)
  hhc recommend <problem> <plan> [<visit.json> | --visit ID | --need FILE] [--format …] [--count N]
                [--slots LENGTH [--step S] [--from T] [--to T]]
                [--apply RANK --out-problem FILE] [--out FILE] [--quiet]
                                 where a new or left-out visit fits best, or the slots it can be booked in
  hhc explain <problem> <plan> [--format …] [--json] [--out FILE]
                                 why each left-out visit is out, and what would let it in
  hhc simulate <problem> <plan> [--format …] [--scenarios N] [--seed S] [--json] [--out FILE]
                                 the plan on sampled days (durationP90, travelSpread): on-time rate, overtime risk
  hhc import (--visits FILE.csv | --fhir BUNDLE.json) [--nurses FILE.csv] [--base problem.json] [--out FILE]
                                 a problem from spreadsheets or a FHIR Bundle (docs/formats.md)
  hhc export <problem> <plan> --format csv|geojson|fhir [--out FILE]
                                 a plan as a spreadsheet (one row per stop), GeoJSON or a FHIR Bundle
  hhc serve [--with-worker]      the planning API (REDIS_URL, PORT, HOST, OSRM_URL, RATE_LIMIT)
  hhc worker                     a solve worker (REDIS_URL, WORKER_CONCURRENCY, WORKER_LOCK_MS)
  hhc keys create --tenant T --role coordinator|nurse|calendar [--nurse ID]
  hhc keys revoke <key>
  hhc help

Exit codes: 0 done (check: plan feasible), 1 check found violations, 2 bad input or usage.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'solve':
        return await runSolve(rest);
      case 'check':
        return await runCheck(rest);
      case 'render':
        return await runRender(rest);
      case 'replan':
        return runReplan(rest);
      case 'recommend':
        return (await import('./recommend.ts')).runRecommend(rest);
      case 'explain':
        return (await import('./explain.ts')).runExplain(rest);
      case 'simulate':
        return (await import('./simulate.ts')).runSimulate(rest);
      case 'import':
        return (await import('./formats.ts')).runImport(rest);
      case 'export':
        return (await import('./formats.ts')).runExport(rest);
      case 'serve':
        await import('../api/server.ts');
        return 0;
      case 'worker':
        await import('../workers/main.ts');
        return 0;
      case 'keys':
        return await (await import('./keys.ts')).runKeys(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`hhc: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      for (const i of e.issues) process.stderr.write(`hhc: ${i.where}: ${i.message} [${i.code}]\n`);
      return 2;
    }
    throw e;
  }
}

const FORMATS = ['auto', 'solomon', 'mankowska', 'json', 'vroom'];
const OBJECTIVES = ['distance', 'duration', 'vehicles'];

async function runSolve(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROAD_FLAGS,
    format: { type: 'string', default: 'auto' },
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    seed: { type: 'string', default: '1' },
    objective: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError('solve takes exactly one problem file');
  const format = oneOf('--format', values.format as string, FORMATS) as ProblemFormat;
  const objective =
    values.objective === undefined
      ? undefined
      : (oneOf('--objective', values.objective as string, OBJECTIVES) as ObjectiveName);
  const seed = integer('--seed', values.seed as string, 0);
  const iterations =
    values.iterations === undefined ? undefined : integer('--iterations', values.iterations as string, 1);
  let timeLimitMs: number | undefined;
  if (values['time-limit'] !== undefined) {
    const s = Number(values['time-limit']);
    if (!Number.isFinite(s) || s <= 0)
      throw new UsageError(`--time-limit must be a positive number of seconds`);
    timeLimitMs = s * 1000;
  }
  if (iterations === undefined && timeLimitMs === undefined) timeLimitMs = 10_000;

  const t0 = performance.now();
  const quiet = values.quiet as boolean;
  const road = await roadFor(loadProblem(positionals[0], format), values, quiet);
  const input = road.problem;
  const loadedAt = performance.now();
  const progress = progressLine(quiet, t0);
  const outcome = solve(input, {
    seed,
    objective,
    stop: createStop({ iterations, timeLimitMs, now: () => performance.now() }),
    onImprovement: (e) =>
      progress(`iteration ${e.iteration}, best cost ${round(e.cost)}, routes ${e.routes}`),
  });
  const elapsed = (performance.now() - t0) / 1000;
  const { summary } = outcome.plan;
  if (!quiet)
    process.stderr.write(
      `\rhhc: done in ${elapsed.toFixed(2)} s, ${outcome.iterations} iterations: cost ${round(summary.cost)}, ` +
        `${summary.routes} routes, ${summary.unassigned} unassigned\n`,
    );
  // A VROOM request gets VROOM's answer (docs/formats.md); anything else the plan.
  const text =
    format === 'vroom'
      ? JSON.stringify(
          toVroom(input, outcome.plan, { loading: loadedAt - t0, solving: performance.now() - loadedAt }),
          null,
          2,
        ) + '\n'
      : JSON.stringify(
          { ...notePlan(outcome.plan, road), solver: { seed, iterations: outcome.iterations } },
          null,
          2,
        ) + '\n';
  if (values.out !== undefined) writeFileSync(values.out as string, text);
  else process.stdout.write(text);
  return 0;
}

async function runCheck(args: string[]): Promise<number> {
  const { checkPlan, formatViolations } = await import('../solver/check/check-plan.ts');
  const { values, positionals } = parse(args, { ...ROAD_FLAGS, format: { type: 'string', default: 'auto' } });
  if (positionals.length !== 2) throw new UsageError('check takes a problem file and a plan file');
  const format = oneOf('--format', values.format as string, FORMATS) as ProblemFormat;
  const planFile = positionals[1];
  const plan = readPlanFile(planFile);
  const { problem: input } = await roadFor(
    loadProblem(positionals[0], format, { asGiven: true }),
    values,
    true,
  );
  const report = checkPlan(input, plan);
  if (report.feasible) {
    process.stdout.write(
      `feasible: ${report.recomputed.routes} routes, distance ${round(report.recomputed.distance)}, ` +
        `${report.recomputed.unassigned} unassigned\n`,
    );
    return 0;
  }
  process.stdout.write(formatViolations(report) + '\n');
  if (plan.travel?.source === 'osrm' && values.osrm === undefined)
    process.stderr.write(
      "hhc: the plan's travel came from a routing service: check it against the same one (--osrm URL)\n",
    );
  return 1;
}

function oneOf(flag: string, value: string, allowed: string[]): string {
  if (!allowed.includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A throttled progress line on stderr (rewritten in place on a terminal). */
function progressLine(quiet: boolean, t0: number): (msg: string) => void {
  let last = -Infinity;
  const tty = process.stderr.isTTY;
  return (msg) => {
    if (quiet) return;
    const now = performance.now();
    if (now - last < (tty ? 100 : 1000)) return;
    last = now;
    const line = `hhc: ${((now - t0) / 1000).toFixed(1)} s, ${msg}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

async function runRender(args: string[]): Promise<number> {
  const { planSvg } = await import('../solver/plan/plan-svg.ts');
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'auto' },
    out: { type: 'string' },
  });
  if (positionals.length !== 2) throw new UsageError('render takes a problem file and a plan file');
  const format = oneOf('--format', values.format as string, FORMATS) as ProblemFormat;
  const input = loadProblem(positionals[0], format);
  const plan = readPlanFile(positionals[1]);
  const svg = planSvg(input, plan);
  if (values.out !== undefined) writeFileSync(values.out as string, svg);
  else process.stdout.write(svg);
  return 0;
}

/**
 * The problem of a re-plan (docs/problem-format.md, "Re-planning during the day"): a native
 * problem, its plan and the changes (a JSON object: now, absentNurses, ...); issues of the
 * changes name the changes file and the field.
 */
function runReplan(args: string[]): number {
  const { values, positionals } = parse(args, { out: { type: 'string' } });
  if (positionals.length !== 3)
    throw new UsageError('replan takes a problem file, a plan file and a changes file');
  const [problemFile, planFile, changesFile] = positionals;
  const input = loadProblem(problemFile, 'json');
  const plan = readPlanFile(planFile);
  const changes = readJsonFile(changesFile);
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes))
    throw new InputError([
      { code: 'E_TYPE', where: changesFile, message: 'the changes must be a JSON object' },
    ]);
  const next = namedFile(changesFile, () => applyChanges(input, plan, changes as DayChanges));
  writeOut(values.out as string | undefined, JSON.stringify(next, null, 2) + '\n');
  return 0;
}
