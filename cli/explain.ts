import { InputError } from '../solver/index.ts';
import { explainPlan } from '../solver/explain/explain-plan.ts';
import type { PlanUnassigned } from '../solver/model/plan.ts';
import { UsageError } from './files.ts';
import { parse, readPlanFile, writeOut } from './args.ts';
import { loadProblem, problemFormat } from './load-problem.ts';

/**
 * `hhc explain <problem> <plan> [--json] [--out FILE]`: for each visit the plan leaves out, why,
 * and the smallest changes that would let it in, each verified on the plan (text for a
 * coordinator; `--json` writes the list of left-out visits with their suggestions).
 */
export function runExplain(args: string[]): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
  });
  if (positionals.length !== 2) throw new UsageError('explain takes a problem file and a plan file');
  const [problemFile, planFile] = positionals;
  const problem = loadProblem(problemFile, problemFormat(values.format as string));
  const plan = readPlanFile(planFile);
  let out: PlanUnassigned[];
  try {
    out = explainPlan(problem, plan);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      e.issues.map((i) => ({ ...i, where: `${planFile}: ${i.where.replace(/^\/plan/, '') || '/'}` })),
    );
  }
  writeOut(
    values.out as string | undefined,
    values.json === true ? JSON.stringify(out, null, 2) + '\n' : describe(out),
  );
  return 0;
}

function describe(out: PlanUnassigned[]): string {
  if (out.length === 0) return 'every visit is in the plan\n';
  const lines = [`${out.length} visit${out.length === 1 ? '' : 's'} left out`];
  for (const u of out) {
    lines.push('', `${u.visit} [${u.reason}]: ${u.message}`);
    const s = u.suggestions ?? [];
    if (s.length === 0) lines.push('  no single change found that would let it in');
    for (const x of s) {
      const place =
        'place' in x
          ? ` -> ${x.place.nurse}${x.place.date ? ' ' + x.place.date : ''} at ${x.place.startTime?.slice(11, 16) ?? round(x.place.start)}, after ${x.place.after ?? '(first)'}`
          : '';
      lines.push(`  - ${x.message}${place}`);
      if (x.kind === 'needNurse') for (const n of x.nurses) lines.push(`      ${n.nurse}: ${n.why}`);
    }
  }
  return lines.join('\n') + '\n';
}

const round = (x: number) => String(Math.round(x * 100) / 100);
