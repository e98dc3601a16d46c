import { buildCarePlan } from '../care/care-plan.ts';
import { withClockTimes } from '../calendar/plan-clock.ts';
import { InputError } from '../model/errors.ts';
import type { NurseInput, ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan, PlanSuggestion } from '../model/plan.ts';
import { choicePosition } from './apply-recommendation.ts';
import { buildPlanModel } from './plan-model.ts';
import { withSuggestions } from './suggestions.ts';

/**
 * A suggestion made real: the problem with its rule changed (a shift, overtime, a window, a
 * visit limit, a penalty; a dropped visit changes the plan instead) and the plan with the
 * left-out visit where the suggestion put it, every other visit kept in its nurse's order. The
 * suggestions that only say what blocks a visit (`needNurse`, `partner`) have nothing to apply.
 */
export function applySuggestion(
  problem: ProblemInput,
  plan: Plan,
  visit: string,
  s: PlanSuggestion,
): { problem: ProblemInput; plan: Plan } {
  if (s.kind === 'needNurse' || s.kind === 'partner')
    throw new InputError([
      {
        code: 'E_UNSUPPORTED',
        where: '/kind',
        message: `a '${s.kind}' suggestion says what blocks the visit: there is nothing to apply`,
      },
    ]);
  const next = changedProblem(problem, visit, s);
  const kept =
    s.kind === 'dropVisit'
      ? {
          ...plan,
          routes: plan.routes.map((r) => ({ ...r, stops: r.stops.filter((x) => x.visit !== s.visit) })),
        }
      : plan;
  const m = buildPlanModel(next, kept, visit);
  const at = choicePosition(m, s.place);
  if (m.sched.evaluateInsert(m.v, at.r, at.p) === Infinity)
    throw new InputError([
      { code: 'E_CONFLICT', where: '/place', message: 'the visit does not fit there under the changed rule' },
    ]);
  m.sched.insert(m.v, at.r, at.p);
  return {
    problem: next,
    plan: withClockTimes(withSuggestions(buildCarePlan(m.data, m.sched), m.data, m.sched), next),
  };
}

function changedProblem(problem: ProblemInput, visit: string, s: PlanSuggestion): ProblemInput {
  const nurse = (f: (n: NurseInput) => NurseInput) => (n: NurseInput) =>
    'nurse' in s && n.id === s.nurse ? f(n) : n;
  const onVisit = (f: (v: VisitInput) => VisitInput) => (v: VisitInput) => (v.id === visit ? f(v) : v);
  const shift = (s as { shift?: number }).shift ?? 0;
  switch (s.kind) {
    case 'extendShift': {
      const move = <W extends { start?: number; end?: number }>(w: W): W =>
        s.side === 'end' ? { ...w, end: w.end! + s.by } : { ...w, start: w.start! - s.by };
      return {
        ...problem,
        nurses: problem.nurses.map(
          nurse((n) =>
            n.shifts !== undefined
              ? { ...n, shifts: n.shifts.map((sh, k) => (k === shift ? move(sh) : sh)) }
              : { ...n, shift: move(n.shift!) },
          ),
        ),
      };
    }
    case 'allowOvertime':
      return {
        ...problem,
        nurses: problem.nurses.map(
          nurse((n) => {
            if (n.shifts === undefined) return { ...n, overtime: { ...n.overtime, max: s.max } };
            return {
              ...n,
              shifts: n.shifts.map((sh, k) =>
                k === shift ? { ...sh, overtime: { ...(sh.overtime ?? n.overtime), max: s.max } } : sh,
              ),
            };
          }),
        ),
      };
    case 'raiseMaxVisits':
      return { ...problem, nurses: problem.nurses.map(nurse((n) => ({ ...n, maxVisits: s.maxVisits }))) };
    case 'widenWindow':
      return {
        ...problem,
        visits: problem.visits.map(
          onVisit((v) => {
            const ws = [...(v.timeWindows ?? [])].sort((a, b) => a.start - b.start);
            const k = s.side === 'end' ? ws.length - 1 : 0;
            ws[k] =
              s.side === 'end'
                ? { ...ws[k], end: ws[k].end + s.by }
                : { ...ws[k], start: ws[k].start - s.by };
            return { ...v, timeWindows: ws };
          }),
        ),
      };
    case 'raisePenalty':
      return { ...problem, visits: problem.visits.map(onVisit((v) => ({ ...v, penalty: s.penalty }))) };
    default:
      return problem;
  }
}
