import { buildCarePlan } from '../care/care-plan.ts';
import { LatestStarts } from '../care/latest-starts.ts';
import { restoreSnapshot, takeSnapshot } from '../care/snapshot.ts';
import type { Plan } from '../model/plan.ts';
import { diffPlans } from '../replan/apply-changes.ts';
import type { PlanModel } from './plan-model.ts';

/** One place for the visit: a nurse-day, a position in it, a start, and what it costs and changes. */
export interface InsertionOption {
  nurse: string;
  /** Nurses with `shifts`: which of them (a nurse-day). */
  shift?: number;
  /** Problems with a calendar: the local date of that nurse-day. */
  date?: string;
  /** The task (visit or break id) it comes right after in her day; null: before every task left in her day. */
  after: string | null;
  /** The task it comes right before; null: last of her day. */
  before: string | null;
  /** When care starts (as early as the route lets it) and ends. */
  start: number;
  end: number;
  /**
   * The latest start that keeps her route within its hard windows, her shift (overtime included)
   * and her working time, inside the window it starts in: the visit can move between `start` and
   * this without breaking a rule (later visits of her day may start later). A visit tied to
   * others by a sync group or a dependency, or followed in her day by one, keeps `start`.
   */
  latestStart: number;
  startTime?: string;
  endTime?: string;
  latestStartTime?: string;
  /** Change of the plan's travel time and distance. */
  addedTravelTime: number;
  addedDistance: number;
  /** Change of `summary.cost` against the plan as it is (a new visit counts nothing before). */
  costChange: number;
  /** The change of each objective term's cost that moves (terms with no change left out). */
  terms: Record<string, number>;
  /** Other visits whose start moves (start before and after), in any nurse's day. */
  retimed: { visit: string; from: number; to: number }[];
  /** Other visits given to another nurse (none for a plain insertion; kept for options that move others). */
  moved: { visit: string; from: string; to: string }[];
}

/** The route position of the model's visit: route r, before its task at index p. */
export interface Position {
  r: number;
  p: number;
}

/**
 * The option of putting the model's visit at `pos`, read from the plan the model would then
 * make, or null when it cannot go there. The model is left as it was.
 */
export function describeInsertion(m: PlanModel, pos: Position): InsertionOption | null {
  const { data, sched, v } = m;
  if (sched.evaluateInsert(v, pos.r, pos.p) === Infinity) return null;
  const snap = takeSnapshot(sched);
  sched.insert(v, pos.r, pos.p);
  const after = buildCarePlan(data, sched);
  const option = readOption(m, pos, after);
  restoreSnapshot(sched, snap);
  return option;
}

function readOption(m: PlanModel, { r, p }: Position, after: Plan): InsertionOption {
  const { data, sched, v } = m;
  const calendar = data.calendar;
  const route = sched.routes[r];
  const start = sched.start[v];
  const end = start + data.service[v * data.V + r];
  // How late it may start without breaking a rule: the route's windows and shift (LatestStarts),
  // the window it starts in, her working time (the day grows by at most the delay); a visit tied
  // to others by a timing rule, or followed in her day by one, keeps its start.
  let latest = start;
  const tied = (x: number) => data.outOff[x + 1] > data.outOff[x] || data.inOff[x + 1] > data.inOff[x];
  if (!route.slice(p).some(tied)) {
    latest = new LatestStarts(data, sched).of(r)[p];
    for (let w = data.winOff[v]; w < data.winOff[v + 1]; w++)
      if (data.winStart[w] <= start + 1e-9 && start <= data.winEnd[w] + 1e-9)
        latest = Math.min(latest, data.winEnd[w]);
    if (data.maxWork[r] < Infinity)
      latest = Math.min(latest, start + data.maxWork[r] - (sched.ret[r] - sched.workStart[r]));
    latest = Math.max(latest, start);
  }
  const terms: Record<string, number> = {};
  const was = m.before.summary.terms ?? {};
  for (const [name, term] of Object.entries(after.summary.terms ?? {})) {
    let change = term.cost - (was[name]?.cost ?? 0);
    // A new optional visit's penalty (weighted already) was never in the plan's cost.
    if (name === 'unassigned' && m.isNew && data.mandatory[v] === 0) change += data.penalty[v];
    if (Math.abs(change) > 1e-9) terms[name] = change;
  }
  const diff = diffPlans(m.before, after, 1e-6);
  const nurse = data.input.nurses[data.routeNurse[r]];
  return {
    nurse: nurse.id,
    ...(nurse.shifts !== undefined && { shift: data.routeShift[r] }),
    ...(calendar !== null && { date: calendar.dateOfDay(data.routeDay[r]) }),
    after: p > 0 ? data.taskId[route[p - 1]] : null,
    before: p + 1 < route.length ? data.taskId[route[p + 1]] : null,
    start,
    end,
    latestStart: latest,
    ...(calendar !== null && {
      startTime: calendar.format(start),
      endTime: calendar.format(end),
      latestStartTime: calendar.format(latest),
    }),
    addedTravelTime: after.summary.travelTime - m.before.summary.travelTime,
    addedDistance: after.summary.distance - m.before.summary.distance,
    costChange: after.summary.cost - m.baselineCost,
    terms,
    retimed: diff.retimed,
    moved: diff.moved,
  };
}
