import { Calendar } from '../calendar/calendar.ts';
import { InputError, type InputIssue } from '../model/errors.ts';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { describeInsertion, type InsertionOption } from './insertion-option.ts';
import { buildPlanModel, type VisitToPlace } from './plan-model.ts';
import { checkCount, rankPositions } from './recommend.ts';

/** The most slots one request may try. */
export const MAX_SLOTS = 2000;

export interface SlotRequest {
  /** The visit to book (new, or a visit of the problem the plan leaves out): its own windows are replaced by each slot. */
  visit: VisitToPlace;
  /** Length of a slot, in the problem's time unit: care starts within it. */
  length: number;
  /** From one slot's start to the next (default `length`: slots side by side). */
  step?: number;
  /** Where slots start and stop (default: the first shift start and the last shift end, overtime included, of all nurses). */
  from?: number | string;
  to?: number | string;
  /** How many slots to offer (default 5, at most 50). */
  count?: number;
}

export interface SlotOffer {
  rank: number;
  /** The slot: care starts between `start` and `end`. */
  start: number;
  end: number;
  startTime?: string;
  endTime?: string;
  /** The best place for the visit with that slot as its window. */
  option: InsertionOption;
}

export interface SlotOffers {
  visit: string;
  /** Feasible slots, best first (lowest cost change of their best place). */
  slots: SlotOffer[];
  /** Slots tried, and how many of them could take the visit. */
  tried: number;
  feasible: number;
}

/**
 * Slots a visit can be booked in: the plan is kept, and for each slot [a, a + length] (care
 * starting inside it) every position of every nurse-day is evaluated exactly, as for
 * recommendations. Applying an offer is applying its option with the slot as the visit's window.
 */
export function offerSlots(problem: ProblemInput, plan: Plan, request: SlotRequest): SlotOffers {
  const count = checkCount(request.count);
  const issues: InputIssue[] = [];
  const positive = (name: 'length' | 'step', x: number | undefined) => {
    if (x !== undefined && !(Number.isFinite(x) && x > 0))
      issues.push({ code: 'E_RANGE', where: `/${name}`, message: 'must be a positive number' });
  };
  positive('length', request.length);
  positive('step', request.step);
  const calendar = Calendar.of(problem);
  const time = (name: 'from' | 'to'): number | undefined => {
    const x = request[name];
    if (x === undefined) return undefined;
    if (typeof x === 'number' && Number.isFinite(x)) return x;
    const t = typeof x === 'string' && calendar !== null ? calendar.dateTime(x) : null;
    if (t === null)
      issues.push({
        code: typeof x === 'string' ? 'E_FORMAT' : 'E_TYPE',
        where: `/${name}`,
        message:
          calendar === null
            ? "must be a number (a time in the problem's unit)"
            : 'must be a number or a local date-time of the horizon (2026-12-07T09:00)',
      });
    return t ?? undefined;
  };
  const fromGiven = time('from');
  const toGiven = time('to');
  if (issues.length > 0) throw new InputError(issues);
  const id = typeof request.visit === 'string' ? request.visit : request.visit.id;
  // Where slots may fall: every shift of the problem (a nurse without one works any time).
  let first = Infinity;
  let last = -Infinity;
  for (const n of problem.nurses)
    for (const s of n.shifts ?? [{ ...n.shift, overtime: n.overtime }]) {
      first = Math.min(first, s.start ?? -Infinity);
      last = Math.max(last, (s.end ?? Infinity) + ((s.overtime ?? n.overtime)?.max ?? 0));
    }
  const from = fromGiven ?? first;
  const to = toGiven ?? last;
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new InputError([
      {
        code: 'E_MISSING',
        where: Number.isFinite(from) ? '/to' : '/from',
        message: 'is needed: some nurse has no shift to take it from',
      },
    ]);
  if (!(from < to))
    throw new InputError([{ code: 'E_RANGE', where: '/to', message: `must be after from (${from})` }]);
  // One wide window, narrowed to each slot in turn.
  const wide = (v: VisitInput): VisitInput => ({
    ...v,
    pinned: undefined,
    timeWindows: [{ start: from, end: to }],
  });
  const m = buildPlanModel(problem, plan, request.visit, {
    problemOverride: (p) => ({ ...p, visits: p.visits.map((v) => (v.id === id ? wide(v) : v)) }),
  });
  const { data, v } = m;
  // The wide window as the engine keeps it (rules tying the visit to a frozen one bound it):
  // each slot is cut to it, and none is offered when it is empty.
  const [lo, hi] =
    data.winOff[v + 1] > data.winOff[v]
      ? [data.winStart[data.winOff[v]], data.winEnd[data.winOff[v]]]
      : [1, 0];
  const length = request.length;
  const step = request.step ?? length;
  const tries = Math.ceil((to - from) / step);
  if (tries > MAX_SLOTS)
    throw new InputError([
      { code: 'E_LIMIT', where: '/step', message: `makes ${tries} slots; at most ${MAX_SLOTS} are tried` },
    ]);
  const found: { start: number; end: number; r: number; p: number; delta: number }[] = [];
  for (let k = 0; k < tries; k++) {
    const start = from + k * step;
    const end = Math.min(start + length, to);
    if (Math.max(start, lo) > Math.min(end, hi)) continue;
    data.setWindow(v, 0, Math.max(start, lo), Math.min(end, hi));
    const best = rankPositions(m).positions[0];
    if (best !== undefined) found.push({ start, end, ...best });
  }
  found.sort((a, b) => a.delta - b.delta || a.start - b.start);
  const slots: SlotOffer[] = [];
  for (const s of found.slice(0, count)) {
    data.setWindow(v, 0, Math.max(s.start, lo), Math.min(s.end, hi));
    const option = describeInsertion(m, s)!;
    slots.push({
      rank: 0,
      start: s.start,
      end: s.end,
      ...(calendar !== null && { startTime: calendar.format(s.start), endTime: calendar.format(s.end) }),
      option,
    });
  }
  slots.sort((a, b) => a.option.costChange - b.option.costChange || a.start - b.start);
  slots.forEach((s, i) => (s.rank = i + 1));
  return { visit: id, slots, tried: tries, feasible: found.length };
}
