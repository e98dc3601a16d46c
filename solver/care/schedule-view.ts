import type { RouteView } from '../search/string-removal.ts';
import type { Schedule } from './schedule.ts';

/** A Schedule's routes as the shared search reads them (positions from 0, breaks included). */
export class ScheduleView implements RouteView {
  constructor(readonly sched: Schedule) {}
  routeOf(v: number): number {
    return this.sched.routeOf[v];
  }
  positionOf(v: number): number {
    return this.sched.pos[v];
  }
  length(r: number): number {
    return this.sched.routes[r].length;
  }
  visitAt(r: number, k: number): number {
    return this.sched.routes[r][k];
  }
}
