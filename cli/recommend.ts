import { writeFileSync } from 'node:fs';
import { InputError, type VisitInput } from '../solver/index.ts';
import { applyRecommendation } from '../solver/explain/apply-recommendation.ts';
import type { InsertionOption } from '../solver/explain/insertion-option.ts';
import { recommend } from '../solver/explain/recommend.ts';
import { applyNeed, type NeedRequest, recommendNeed } from '../solver/explain/recommend-need.ts';
import { offerSlots } from '../solver/explain/slots.ts';
import { readJsonFile, UsageError } from './files.ts';
import { integer, namedFile, parse, positive, readPlanFile, writeOut } from './args.ts';
import { loadProblem, problemFormat } from './load-problem.ts';

/**
 * `hhc recommend <problem> <plan> [<visit.json>] [--visit ID]`: where a new visit (or a left-out
 * one) fits best, or, with `--slots LENGTH`, the slots it can be booked in; `--apply RANK` writes
 * the plan with that option applied (and `--out-problem`, the problem with the visit pinned).
 */
export function runRecommend(args: string[]): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'auto' },
    visit: { type: 'string' },
    need: { type: 'string' },
    count: { type: 'string' },
    slots: { type: 'string' },
    step: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    apply: { type: 'string' },
    out: { type: 'string' },
    'out-problem': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  });
  if (values.need !== undefined) return runNeed(values, positionals);
  if (positionals.length < 2 || positionals.length > 3)
    throw new UsageError('recommend takes a problem file, a plan file and a visit file (or --visit ID)');
  if ((positionals.length === 3) === (values.visit !== undefined))
    throw new UsageError(
      'recommend takes either a visit file (a new visit) or --visit ID (a visit left out), not both',
    );
  const [problemFile, planFile, visitFile] = positionals;
  const problem = loadProblem(problemFile, problemFormat(values.format));
  const plan = readPlanFile(planFile);
  const visit: VisitInput | string = visitFile === undefined ? values.visit! : readVisit(visitFile);
  const where = { plan: planFile, visit: visitFile ?? '--visit' };
  const count = values.count === undefined ? undefined : integer('--count', values.count, 1);
  const apply = values.apply === undefined ? undefined : integer('--apply', values.apply, 1);
  if (apply !== undefined && values['out-problem'] === undefined)
    throw new UsageError('--apply needs --out-problem FILE: the problem with the visit pinned');
  if (apply === undefined && values['out-problem'] !== undefined)
    throw new UsageError('--out-problem goes with --apply');
  const quiet = values.quiet;

  let options: { option: InsertionOption; window?: { start: number; end: number } }[];
  let answer: object;
  if (values.slots !== undefined) {
    // A number, or a local date-time for a problem with a calendar.
    const time = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
    const offers = named(where, () =>
      offerSlots(problem, plan, {
        visit,
        length: positive('--slots', values.slots!),
        ...(values.step !== undefined && { step: positive('--step', values.step) }),
        ...(values.from !== undefined && { from: time(values.from) }),
        ...(values.to !== undefined && { to: time(values.to) }),
        ...(count !== undefined && { count }),
      }),
    );
    options = offers.slots.map((s) => ({ option: s.option, window: { start: s.start, end: s.end } }));
    answer = offers;
    if (!quiet)
      process.stderr.write(
        `hhc: ${offers.feasible} of ${offers.tried} slots can take '${offers.visit}'\n` +
          offers.slots
            .map(
              (s) =>
                `  ${s.rank}. slot ${s.startTime ?? s.start} to ${s.endTime ?? s.end}: ${line(s.option)}\n`,
            )
            .join(''),
      );
  } else {
    if (values.step !== undefined || values.from !== undefined || values.to !== undefined)
      throw new UsageError('--step, --from and --to go with --slots');
    const found = named(where, () =>
      recommend(problem, plan, { visit, ...(count !== undefined && { count }) }),
    );
    options = found.options.map((o) => ({ option: o }));
    answer = found;
    if (!quiet)
      process.stderr.write(
        found.options.length === 0
          ? `hhc: '${found.visit}' fits nowhere in this plan: ${found.unassigned?.message} [${found.unassigned?.reason}]\n`
          : `hhc: ${found.options.length} places for '${found.visit}' (${found.evaluated} tried)\n` +
              found.options.map((o) => `  ${o.rank}. ${line(o)}\n`).join(''),
      );
  }

  if (apply === undefined) {
    writeOut(values.out as string | undefined, JSON.stringify(answer, null, 2) + '\n');
    return 0;
  }
  const chosen = options[apply - 1];
  if (chosen === undefined) throw new UsageError(`--apply ${apply}: there are ${options.length} options`);
  // A slot's option: the visit with the slot as its window.
  const window = chosen.window;
  const slotted = (v: VisitInput): VisitInput =>
    window === undefined ? v : { ...v, pinned: undefined, timeWindows: [window] };
  const applied = named(where, () =>
    applyRecommendation(
      typeof visit === 'string'
        ? { ...problem, visits: problem.visits.map((x) => (x.id === visit ? slotted(x) : x)) }
        : problem,
      plan,
      {
        visit: typeof visit === 'string' ? visit : slotted(visit),
        nurse: chosen.option.nurse,
        ...(chosen.option.shift !== undefined && { shift: chosen.option.shift }),
        after: chosen.option.after,
      },
    ),
  );
  writeFileSync(values['out-problem']!, JSON.stringify(applied.problem, null, 2) + '\n');
  writeOut(values.out as string | undefined, JSON.stringify(applied.plan, null, 2) + '\n');
  if (!quiet) process.stderr.write(`hhc: applied option ${apply}: ${line(applied.option)}\n`);
  return 0;
}

/** `--need FILE`: a patient's recurring need (`{patient, care}`) placed in a week plan. */
function runNeed(values: Record<string, string | boolean | undefined>, positionals: string[]): number {
  if (positionals.length !== 2) throw new UsageError('recommend --need takes a problem file and a plan file');
  for (const flag of ['visit', 'slots', 'step', 'from', 'to'])
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not go with --need`);
  const [problemFile, planFile] = positionals;
  const needFile = values.need as string;
  const problem = loadProblem(problemFile, problemFormat(values.format as string | undefined));
  const plan = readPlanFile(planFile);
  const need = readJsonFile(needFile) as { patient?: unknown; care?: unknown };
  if (typeof need !== 'object' || need === null || need.patient === undefined || need.care === undefined)
    throw new InputError([
      {
        code: 'E_TYPE',
        where: needFile,
        message: 'must be {"patient": id or patient, "care": a recurring need}',
      },
    ]);
  const request = need as NeedRequest;
  const count = values.count === undefined ? undefined : integer('--count', values.count as string, 1);
  const apply = values.apply === undefined ? undefined : integer('--apply', values.apply as string, 1);
  if (apply !== undefined && values['out-problem'] === undefined)
    throw new UsageError('--apply needs --out-problem FILE: the problem with the visits pinned');
  const named = <T>(f: () => T) => namedFile(needFile, f);
  if (apply === undefined) {
    const found = named(() =>
      recommendNeed(problem, plan, { ...request, ...(count !== undefined && { count }) }),
    );
    if (values.quiet !== true)
      process.stderr.write(
        found.options.length === 0
          ? `hhc: the need of '${found.patient}' fits nowhere in this plan: ${found.unassigned?.visit}: ${found.unassigned?.message}\n`
          : `hhc: ${found.options.length} ways to place the ${found.visits.length} visits of '${found.patient}'\n` +
              found.options
                .map(
                  (o) =>
                    `  ${o.rank}. ${o.nurses.join(', ')}: cost +${Math.round(o.costChange * 100) / 100}, ${o.placements.map((x) => `${x.visit} ${x.startTime?.slice(5, 16) ?? Math.round(x.start)}`).join('; ')}\n`,
                )
                .join(''),
      );
    writeOut(values.out as string | undefined, JSON.stringify(found, null, 2) + '\n');
    return 0;
  }
  // The option shown as `apply` in the list (of --count options), named by its first place.
  const found = named(() =>
    recommendNeed(problem, plan, { ...request, ...(count !== undefined && { count }) }),
  );
  const chosen = found.options[apply - 1];
  if (chosen === undefined)
    throw new UsageError(`--apply ${apply}: there are ${found.options.length} options`);
  const applied = named(() => applyNeed(problem, plan, { ...request, first: chosen.first }));
  writeFileSync(values['out-problem'] as string, JSON.stringify(applied.problem, null, 2) + '\n');
  writeOut(values.out as string | undefined, JSON.stringify(applied.plan, null, 2) + '\n');
  if (values.quiet !== true)
    process.stderr.write(`hhc: applied option ${apply}: ${applied.option.nurses.join(', ')}\n`);
  return 0;
}

function line(o: InsertionOption): string {
  const day = o.date !== undefined ? ` ${o.date}` : o.shift !== undefined ? ` shift ${o.shift}` : '';
  const at = (t: number, s?: string) =>
    s !== undefined ? s.slice(11, 16) : String(Math.round(t * 100) / 100);
  const r = (x: number) => Math.round(x * 100) / 100;
  return (
    `${o.nurse}${day} at ${at(o.start, o.startTime)} (may start until ${at(o.latestStart, o.latestStartTime)}), ` +
    `after ${o.after ?? '(first)'}: cost ${o.costChange >= 0 ? '+' : ''}${r(o.costChange)}, ` +
    `travel +${r(o.addedTravelTime)}, ${o.retimed.length} retimed`
  );
}

function readVisit(file: string): VisitInput {
  const v = readJsonFile(file);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InputError([
      { code: 'E_TYPE', where: file, message: 'must be a visit: a JSON object {id, location, duration, …}' },
    ]);
  return v as VisitInput;
}

/** Request pointers as the command line names them: the plan file, the visit file (or --visit), the flags. */
const FLAG_OF: Record<string, string> = {
  count: '--count',
  length: '--slots',
  step: '--step',
  from: '--from',
  to: '--to',
};

function named<T>(files: { plan: string; visit: string }, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      e.issues.map((i) => {
        const m = /^\/(plan|visit|[a-z]+)(\/.*)?$/.exec(i.where);
        if (m === null) return i;
        const rest = m[2] ?? '';
        if (m[1] === 'plan') return { ...i, where: `${files.plan}: ${rest || '/'}` };
        if (m[1] === 'visit')
          return {
            ...i,
            where: files.visit.startsWith('--') ? files.visit : `${files.visit}: ${rest || '/'}`,
          };
        return { ...i, where: FLAG_OF[m[1]] ?? i.where };
      }),
    );
  }
}
