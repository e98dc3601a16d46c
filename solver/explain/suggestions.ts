import type { CareData } from '../care/care-data.ts';
import type { Schedule } from '../care/schedule.ts';
import { restoreSnapshot, takeSnapshot } from '../care/snapshot.ts';
import type { Plan, PlanSuggestion, SuggestedPlace } from '../model/plan.ts';

/** The largest change a suggestion proposes: four hours (of shift, overtime or window). */
const MAX_MINUTES = 240;
/** How many suggestions of each kind (the smallest first). */
const PER_KIND = 3;
/** Optional visits tried for dropping: the nearest ones to the left-out visit. */
const DROP_CANDIDATES = 30;

/**
 * The smallest changes that would let left-out visit v into the schedule, each verified by
 * inserting it under the changed rule (an exact evaluation, every other rule kept): a nurse's
 * shift extended (later end, earlier start), overtime allowed, the visit's window widened, one
 * more visit allowed, an optional visit of lower priority dropped, a penalty that would pay for
 * it; and, where no change of amount helps, what blocks it: the skills no nurse combines (who
 * has each and why she cannot), a double-handed partner or dependency placed where no qualified
 * nurse can join it. The data and schedule are left as they were.
 */
export function suggestionsFor(data: CareData, sched: Schedule, v: number): PlanSuggestion[] {
  const out: PlanSuggestion[] = [];
  const unit = data.input.timeUnit === 'second' ? 60 : 1;
  const max = MAX_MINUTES * unit;
  const minutes = (t: number) => `${Math.round((t / unit) * 100) / 100} min`;
  const capable: number[] = [];
  for (let r = 0; r < data.V; r++) if (data.canDo[v * data.V + r] === 1) capable.push(r);
  if (capable.length === 0) return [needNurse(data, v)];
  const open = capable.filter((r) => sched.canInsertInto(v, r));

  const direct = bestPlace(sched, v, open);
  if (direct !== null) {
    // It fits as the plan is: only an optional visit is left out so, for its penalty.
    if (data.mandatory[v] === 1 || !(data.weights.unassigned > 0)) return [];
    // Optional and left out for its penalty: the penalty that would pay for its best place.
    const weight = data.weights.unassigned;
    const penalty = Math.ceil(((direct.delta + data.penalty[v]) / weight) * 100) / 100;
    out.push({
      kind: 'raisePenalty',
      penalty,
      place: placeAt(data, sched, v, open)!,
      message: `a penalty of ${penalty} or more (now ${data.penalty[v] / weight}) would pay for its best place`,
    });
    return out;
  }

  // Shifts: a later end, an earlier start, overtime; per nurse-day, the smallest amount that lets it in.
  const shiftEnd = data.shiftEnd as Float64Array;
  const shiftStart = data.shiftStart as Float64Array;
  const overtime = data.overtimeMax as Float64Array;
  const byShift: (PlanSuggestion & { by: number })[] = [];
  const byOvertime: (PlanSuggestion & { max: number })[] = [];
  for (const r of open) {
    const nurse = nurseOf(data, r);
    const one = [r];
    const end = smallest(max, unit, (e) =>
      withValue(shiftEnd, r, shiftEnd[r] + e, () => bestPlace(sched, v, one)),
    );
    if (end !== null) {
      byShift.push({
        kind: 'extendShift',
        ...nurse,
        side: 'end',
        by: end,
        place: withValue(shiftEnd, r, shiftEnd[r] + end, () => placeAt(data, sched, v, one))!,
        message: `${nurse.nurse}'s shift ending ${minutes(end)} later`,
      });
      const upTo = overtime[r] + end;
      byOvertime.push({
        kind: 'allowOvertime',
        ...nurse,
        max: upTo,
        place: withValue(overtime, r, upTo, () => placeAt(data, sched, v, one))!,
        message: `${nurse.nurse} allowed up to ${minutes(upTo)} of overtime`,
      });
    }
    const start = smallest(max, unit, (e) =>
      withValue(shiftStart, r, shiftStart[r] - e, () => bestPlace(sched, v, one)),
    );
    if (start !== null && (end === null || start < end))
      byShift.push({
        kind: 'extendShift',
        ...nurse,
        side: 'start',
        by: start,
        place: withValue(shiftStart, r, shiftStart[r] - start, () => placeAt(data, sched, v, one))!,
        message: `${nurse.nurse}'s shift starting ${minutes(start)} earlier`,
      });
  }
  out.push(...smallestFirst(byShift, (s) => s.by), ...smallestFirst(byOvertime, (s) => s.max));

  // The visit's own windows: its last one ending later, its first one starting earlier.
  const first = data.winOff[v];
  const last = data.winOff[v + 1] - 1;
  if (last >= first) {
    const winEnd = data.winEnd as Float64Array;
    const winStart = data.winStart as Float64Array;
    const sides = [
      { side: 'end' as const, a: winEnd, i: last, sign: 1 },
      { side: 'start' as const, a: winStart, i: first, sign: -1 },
    ];
    for (const { side, a, i, sign } of sides) {
      const by = smallest(max, unit, (e) =>
        withValue(a, i, a[i] + sign * e, () => bestPlace(sched, v, open)),
      );
      if (by !== null)
        out.push({
          kind: 'widenWindow',
          side,
          by,
          place: withValue(a, i, a[i] + sign * by, () => placeAt(data, sched, v, open))!,
          message: `its window ${side === 'end' ? 'ending' : 'starting'} ${minutes(by)} ${side === 'end' ? 'later' : 'earlier'}`,
        });
    }
  }

  // One more visit for a nurse at her limit.
  const maxVisits = data.maxVisits as Int32Array;
  const more: PlanSuggestion[] = [];
  for (const r of capable) {
    if (sched.realCount[r] < maxVisits[r] || more.length === PER_KIND) continue;
    const at = withValue(maxVisits, r, maxVisits[r] + 1, () => placeAt(data, sched, v, [r]));
    if (at === null) continue;
    const nurse = nurseOf(data, r);
    more.push({
      kind: 'raiseMaxVisits',
      ...nurse,
      maxVisits: maxVisits[r] + 1,
      place: at,
      message: `${nurse.nurse} allowed ${maxVisits[r] + 1} visits`,
    });
  }
  out.push(...more);

  out.push(...dropOne(data, sched, v, capable));
  if (data.partners[v].length > 0) out.push(...partners(data, sched, v));
  return out;
}

interface Found {
  r: number;
  p: number;
  delta: number;
}

/** The cheapest feasible position of v among the routes, or null. */
function bestPlace(sched: Schedule, v: number, routes: readonly number[]): Found | null {
  let best: Found | null = null;
  for (const r of routes) {
    if (!sched.canInsertInto(v, r)) continue;
    for (let p = 0; p <= sched.routes[r].length; p++) {
      const delta = sched.evaluateInsertAt(v, r, p);
      if (delta < (best?.delta ?? Infinity)) best = { r, p, delta };
    }
  }
  return best;
}

/** Runs f with a[i] = value, then puts a[i] back. */
function withValue<T>(a: Float64Array | Int32Array, i: number, value: number, f: () => T): T {
  const was = a[i];
  a[i] = value;
  try {
    return f();
  } finally {
    a[i] = was;
  }
}

/** The smallest whole number of minutes (up to max) for which `test` finds a place, found by bisection; null when even max does not. */
function smallest(max: number, unit: number, test: (amount: number) => Found | null): number | null {
  if (test(max) === null) return null;
  let lo = 0;
  let hi = Math.ceil(max / unit);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (test(mid * unit) === null) lo = mid;
    else hi = mid;
  }
  return hi * unit;
}

function smallestFirst<T extends PlanSuggestion>(list: T[], key: (s: T) => number): T[] {
  const seen = new Set<string>();
  return list
    .sort((a, b) => key(a) - key(b))
    .filter((s) => {
      const id = 'nurse' in s ? s.nurse : '';
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .slice(0, PER_KIND);
}

function nurseOf(data: CareData, r: number): { nurse: string; shift?: number } {
  const n = data.input.nurses[data.routeNurse[r]];
  return { nurse: n.id, ...(n.shifts !== undefined && { shift: data.routeShift[r] }) };
}

/** Where v goes at its cheapest position among the routes (under the rules as they are now): put in, read, taken out; null when nowhere. */
function placeAt(
  data: CareData,
  sched: Schedule,
  v: number,
  routes: readonly number[],
): SuggestedPlace | null {
  const at = bestPlace(sched, v, routes);
  if (at === null) return null;
  const snap = takeSnapshot(sched);
  sched.insert(v, at.r, at.p);
  const start = sched.start[v];
  restoreSnapshot(sched, snap);
  const route = sched.routes[at.r];
  return {
    ...nurseOf(data, at.r),
    ...(data.calendar !== null && { date: data.calendar.dateOfDay(data.routeDay[at.r]) }),
    after: at.p > 0 ? data.taskId[route[at.p - 1]] : null,
    start,
    ...(data.calendar !== null && { startTime: data.calendar.format(start) }),
  };
}

/** Optional visits of lower priority (any, for a mandatory visit) whose leaving would make room: the cheapest to drop first. */
function dropOne(data: CareData, sched: Schedule, v: number, capable: readonly number[]): PlanSuggestion[] {
  const mayTake = new Uint8Array(data.V);
  for (const r of capable) mayTake[r] = 1;
  const candidates: number[] = [];
  for (let u = 0; u < data.nv; u++) {
    const r = sched.routeOf[u];
    if (u === v || r < 0 || mayTake[r] === 0 || data.mandatory[u] === 1 || data.frozen[u] === 1) continue;
    if (data.mandatory[v] === 0 && data.penalty[u] >= data.penalty[v]) continue;
    if (data.input.visits[u].pinned !== undefined) continue;
    candidates.push(u);
  }
  const far = (u: number) =>
    data.travelTime(sched.routeOf[u], u, v) + data.travelTime(sched.routeOf[u], v, u);
  candidates.sort((a, b) => far(a) - far(b));
  const found: (PlanSuggestion & { cost: number })[] = [];
  const snap = takeSnapshot(sched);
  for (const u of candidates.slice(0, DROP_CANDIDATES)) {
    const r = sched.routeOf[u];
    const placed = countPlaced(sched);
    // Only u out: not a break, not another visit the removal unsettled.
    if (sched.remove([u]) && countPlaced(sched) === placed - 1) {
      const at = bestPlace(sched, v, [r]);
      if (at !== null)
        found.push({
          kind: 'dropVisit',
          visit: data.taskId[u],
          place: placeAt(data, sched, v, [r])!,
          message: `optional visit ${data.taskId[u]} left out`,
          cost: at.delta + data.penalty[u],
        });
    }
    restoreSnapshot(sched, snap);
  }
  return found
    .sort((a, b) => a.cost - b.cost)
    .slice(0, PER_KIND)
    .map(({ cost: _, ...s }) => s as PlanSuggestion);
}

/** Tasks in routes, breaks included. */
function countPlaced(sched: Schedule): number {
  let k = 0;
  for (const route of sched.routes) k += route.length;
  return k;
}

/** No nurse may do it: per skill it needs, who has it and why each of them cannot. */
function needNurse(data: CareData, v: number): PlanSuggestion {
  const visit = data.input.visits[v];
  const needs = visit.skills ?? [];
  const patient =
    visit.patient === undefined ? undefined : data.input.patients?.find((p) => p.id === visit.patient);
  const refused = new Set([...(visit.excludedNurses ?? []), ...(patient?.excludedNurses ?? [])]);
  const why = (n: (typeof data.input.nurses)[number]): string | null => {
    const missing = needs.filter((s) => !(n.skills ?? []).includes(s));
    if (missing.length > 0) return `lacks ${missing.join(', ')}`;
    if (refused.has(n.id)) return 'refused by the patient';
    if (visit.requiredNurse !== undefined && visit.requiredNurse !== n.id)
      return `the visit requires ${visit.requiredNurse}`;
    if (visit.pinned !== undefined && visit.pinned.nurse !== n.id)
      return `the visit is pinned to ${visit.pinned.nurse}`;
    if (visit.frozen !== undefined && visit.frozen.nurse !== n.id)
      return `the visit is with ${visit.frozen.nurse}`;
    return 'not working on its day';
  };
  // The nurses closest to qualifying: fewest skills missing.
  const nurses = data.input.nurses
    .map((n) => ({
      nurse: n.id,
      why: why(n)!,
      missing: needs.filter((s) => !(n.skills ?? []).includes(s)).length,
    }))
    .sort((a, b) => a.missing - b.missing)
    .slice(0, 5)
    .map(({ nurse, why }) => ({ nurse, why }));
  const holders = needs.map((s) => {
    const who = data.input.nurses.filter((n) => (n.skills ?? []).includes(s)).map((n) => n.id);
    return `${s}: ${who.length === 0 ? 'no nurse' : who.slice(0, 5).join(', ') + (who.length > 5 ? ', …' : '')}`;
  });
  return {
    kind: 'needNurse',
    skills: needs,
    nurses,
    message:
      needs.length > 0
        ? `a nurse with ${needs.join(' and ')} who may see this patient (${holders.join('; ')})`
        : 'a nurse who may see this patient',
  };
}

/** Its double-handed partners and dependencies already placed: where they are, which rules out every position. */
function partners(data: CareData, sched: Schedule, v: number): PlanSuggestion[] {
  return data.partners[v]
    .filter((u) => sched.routeOf[u] >= 0)
    .map((u) => {
      const { nurse } = nurseOf(data, sched.routeOf[u]);
      const start = sched.start[u];
      const at = data.calendar?.format(start) ?? String(Math.round(start * 100) / 100);
      return {
        kind: 'partner' as const,
        partner: data.taskId[u],
        nurse,
        start,
        ...(data.calendar !== null && { startTime: at }),
        message: `its partner ${data.taskId[u]} is with ${nurse} at ${at}: no other qualified nurse can be there then (moving the partner, or a nurse free then, would let it in)`,
      };
    });
}

/** The plan's left-out visits with their suggestions (the plan of this schedule; the schedule is left as it was). */
export function withSuggestions(plan: Plan, data: CareData, sched: Schedule): Plan {
  if (plan.unassigned.length === 0) return plan;
  return {
    ...plan,
    unassigned: plan.unassigned.map((u) => {
      const v = data.visitIndex.get(u.visit);
      if (v === undefined || sched.routeOf[v] >= 0) return u;
      const suggestions = suggestionsFor(data, sched, v);
      return suggestions.length > 0 ? { ...u, suggestions } : u;
    }),
  };
}
