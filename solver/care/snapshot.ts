import type { Schedule } from './schedule.ts';

/** A copy of a schedule's state, to return to after a rejected search step or to keep the best. */
export interface ScheduleSnapshot {
  routes: number[][];
  routeOf: Int32Array;
  pos: Int32Array;
  realCount: Int32Array;
  start: Float64Array;
  late: Float64Array;
  ret: Float64Array;
  workStart: Float64Array;
  totals: number[];
  cost: number;
}

export function takeSnapshot(s: Schedule, into?: ScheduleSnapshot): ScheduleSnapshot {
  if (into === undefined)
    return {
      routes: s.routes.map((r) => r.slice()),
      routeOf: s.routeOf.slice(),
      pos: s.pos.slice(),
      realCount: s.realCount.slice(),
      start: s.start.slice(),
      late: s.late.slice(),
      ret: s.ret.slice(),
      workStart: s.workStart.slice(),
      totals: totalsOf(s),
      cost: s.cost,
    };
  s.routes.forEach((r, k) => {
    into.routes[k].length = 0;
    into.routes[k].push(...r);
  });
  into.routeOf.set(s.routeOf);
  into.pos.set(s.pos);
  into.realCount.set(s.realCount);
  into.start.set(s.start);
  into.late.set(s.late);
  into.ret.set(s.ret);
  into.workStart.set(s.workStart);
  into.totals = totalsOf(s);
  into.cost = s.cost;
  return into;
}

export function restoreSnapshot(s: Schedule, snap: ScheduleSnapshot): void {
  snap.routes.forEach((r, k) => {
    s.routes[k].length = 0;
    s.routes[k].push(...r);
  });
  s.routeOf.set(snap.routeOf);
  s.pos.set(snap.pos);
  s.realCount.set(snap.realCount);
  s.start.set(snap.start);
  s.late.set(snap.late);
  s.ret.set(snap.ret);
  s.workStart.set(snap.workStart);
  [
    s.arcTotal,
    s.lateTotal,
    s.maxLate,
    s.routeTimeTotal,
    s.continuityTotal,
    s.penaltyTotal,
    s.fixedTotal,
    s.spread,
    s.movedTotal,
    s.shiftTotal,
  ] = snap.totals;
}

function totalsOf(s: Schedule): number[] {
  return [
    s.arcTotal,
    s.lateTotal,
    s.maxLate,
    s.routeTimeTotal,
    s.continuityTotal,
    s.penaltyTotal,
    s.fixedTotal,
    s.spread,
    s.movedTotal,
    s.shiftTotal,
  ];
}
