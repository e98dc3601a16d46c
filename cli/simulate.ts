import { InputError } from '../solver/index.ts';
import { simulatePlan } from '../solver/robust/simulate.ts';
import { UsageError } from './files.ts';
import { parse, readPlanFile, writeOut } from './args.ts';
import { loadProblem, problemFormat } from './load-problem.ts';

/**
 * `hhc simulate <problem> <plan> [--scenarios N] [--seed S] [--json] [--out FILE]`: the plan
 * replayed on sampled days (care times from `durationP90`, travel from `travelSpread`): its
 * on-time rate, each nurse's overtime risk, the visits most often late.
 */
export function runSimulate(args: string[]): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'auto' },
    scenarios: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
  });
  if (positionals.length !== 2) throw new UsageError('simulate takes a problem file and a plan file');
  const scenarios = Number(values.scenarios);
  if (!Number.isInteger(scenarios) || scenarios < 1 || scenarios > 100_000)
    throw new UsageError(`--scenarios must be a whole number from 1 to 100000, got '${values.scenarios}'`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be an integer >= 0, got '${values.seed}'`);
  const problem = loadProblem(positionals[0], problemFormat(values.format as string));
  const plan = readPlanFile(positionals[1]);
  for (const [k, route] of plan.routes.entries())
    if (!problem.nurses.some((n) => n.id === route.vehicle))
      throw new InputError([
        {
          code: 'E_UNKNOWN_REF',
          where: `${positionals[1]}: /routes/${k}/vehicle`,
          message: `no nurse '${route.vehicle}' in the problem`,
        },
      ]);
  for (const [k, route] of plan.routes.entries())
    for (const [i, stop] of route.stops.entries())
      if (!problem.visits.some((v) => v.id === stop.visit))
        throw new InputError([
          {
            code: 'E_UNKNOWN_REF',
            where: `${positionals[1]}: /routes/${k}/stops/${i}/visit`,
            message: `no visit '${stop.visit}' in the problem`,
          },
        ]);
  const report = simulatePlan(problem, plan, { scenarios, seed });
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const text = values.json
    ? JSON.stringify(report, null, 2) + '\n'
    : [
        `${scenarios} sampled days (seed ${seed}): on time ${pct(report.onTimeRate)}, overtime risk ${pct(report.overtimeRisk)} per working nurse-day, expected lateness ${report.expectedLateness.toFixed(1)} per day`,
        'most often late:',
        ...[...report.visits]
          .sort((a, b) => a.onTime - b.onTime)
          .slice(0, 5)
          .map(
            (v) =>
              `  ${v.visit}: on time ${pct(v.onTime)}, expected lateness ${v.expectedLateness.toFixed(1)}`,
          ),
        'most overtime risk:',
        ...[...report.nurses]
          .sort((a, b) => b.overtimeProbability - a.overtimeProbability)
          .slice(0, 5)
          .map(
            (n) =>
              `  ${n.nurse}${n.date ? ' ' + n.date : ''}: ${pct(n.overtimeProbability)}, expected overtime ${n.expectedOvertime.toFixed(1)}`,
          ),
      ].join('\n') + '\n';
  writeOut(values.out as string | undefined, text);
  return 0;
}
