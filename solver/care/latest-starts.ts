import type { CareData } from './care-data.ts';
import type { ScheduleState } from './schedule-state.ts';

/**
 * Per position of a route, the latest start of its task that keeps the rest of the route within
 * hard windows and the shift's end (overtime included), timing arcs and working-time limits
 * aside (they only ask for more). Putting a visit (or a string) in before position k is only
 * possible if it lets the task at k start by then, which is checked in O(1) (`fits`) before any
 * exact evaluation. Computed per route when asked, kept while its sequence stays.
 */
export class LatestStarts {
  private readonly stamp: Float64Array;
  private readonly latest: number[][];
  private readonly from: number[] = [];

  constructor(
    private readonly data: CareData,
    private readonly sched: ScheduleState,
  ) {
    this.stamp = new Float64Array(data.V).fill(-1);
    this.latest = Array.from({ length: data.V }, () => []);
  }

  of(r: number): readonly number[] {
    if (this.stamp[r] !== this.sched.routeVersion[r]) {
      this.stamp[r] = this.sched.routeVersion[r];
      this.compute(r);
    }
    return this.latest[r];
  }

  /**
   * Whether the visits arr[from..to) (no break) may go into route r between positions `before`
   * (-1: at the start) and `after` as far as hard windows and the shift's end go: from the
   * committed start of the task before (the route is unchanged up to there), each as early as it
   * can, then the task at `after` by its latest start. A break at `after` is not checked (its
   * latest start counts on the leg after it from the visit before it, which changes).
   * care-recreate.ts's position scan holds an inline copy for one visit, kept in step with this
   * one: a shared method for it made 29,024 steps against 46,116 on the 600-visit day (10 s, seeds 1-3).
   */
  fits(r: number, before: number, after: number, arr: ArrayLike<number>, from: number, to: number): boolean {
    const d = this.data;
    const s = this.sched;
    const V = d.V;
    const route = s.routes[r];
    let t = d.shiftStart[r];
    let node = d.nurseStart[r];
    if (before >= 0) {
      const x = route[before];
      t = s.start[x] + d.service[x * V + r];
      for (let k = before; k >= 0; k--)
        if (d.isBreak[route[k]] === 0) {
          node = route[k];
          break;
        }
    }
    for (let k = from; k < to; k++) {
      const x = arr[k];
      t = d.earliestIn(x, t + d.travelTime(r, node, x));
      if (t === Infinity) return false;
      t += d.service[x * V + r];
      node = x;
    }
    if (after < route.length) {
      const y = route[after];
      return d.isBreak[y] === 1 || t + d.travelTime(r, node, y) <= this.of(r)[after] + 1e-9;
    }
    const end = d.nurseEnd[r];
    return t + (end >= 0 ? d.travelTime(r, node, end) : 0) <= d.shiftEnd[r] + d.overtimeMax[r] + 1e-9;
  }

  private compute(r: number): void {
    const d = this.data;
    const s = this.sched;
    const route = s.routes[r];
    const out = this.latest[r];
    const m = route.length;
    out.length = m;
    // The leg to the next visit (or to the end) starts from the last visit at or before k, after task k.
    const from = this.from;
    from.length = m;
    let node = d.nurseStart[r];
    for (let k = 0; k < m; k++) from[k] = node = d.isBreak[route[k]] === 1 ? node : route[k];
    const end = d.nurseEnd[r];
    let next = d.shiftEnd[r] + d.overtimeMax[r];
    for (let k = m - 1; k >= 0; k--) {
      const x = route[k];
      let leg = 0;
      if (k === m - 1) leg = end >= 0 && s.realCount[r] > 0 ? d.travelTime(r, from[k], end) : 0;
      else if (d.isBreak[route[k + 1]] === 0) leg = d.travelTime(r, from[k], route[k + 1]);
      out[k] = next = Math.min(d.winEnd[d.winOff[x + 1] - 1], next - leg - d.service[x * d.V + r]);
    }
  }
}
