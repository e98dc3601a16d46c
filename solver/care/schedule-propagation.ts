import { ScheduleState } from './schedule-state.ts';

const EPS = 1e-9;

/**
 * The re-timing under a schedule (Schedule holds the operations that call it): a worklist of
 * route suffixes to re-time, run to a fixed point over travel, windows, shifts and the timing
 * arcs between visits (sync groups, dependencies) across routes, into the trial starts of
 * ScheduleState; the cost change read from the tasks and routes it touched.
 */
export abstract class SchedulePropagation extends ScheduleState {
  /** A new generation of trial starts with nothing queued, changed or inserted. */
  protected beginRetiming(): void {
    this.gen++;
    this.changed.clear();
    this.touchedRoutes.clear();
    this.insV = -1;
    this.insR = -1;
    this.queue.clear();
  }

  /** Propagates the queued routes from scratch, commits the starts and recomputes every cost part. */
  protected settle(): boolean {
    this.tDelta = 0;
    this.slack = 0;
    this.tMaxLate = 0;
    const ok = this.propagate(Infinity);
    const { changed, touchedRoutes } = this;
    for (let i = 0; i < changed.size; i++) {
      const x = changed.items[i];
      this.setStart(x, this.tStart[x]);
    }
    for (let i = 0; i < touchedRoutes.size; i++) {
      const q = touchedRoutes.items[i];
      this.ret[q] = this.tRet[q];
    }
    this.recomputeTotals();
    this.gen++;
    return ok;
  }

  /** Asks for route r to be re-timed from position k (at least up to k, further while starts move). */
  protected enqueue(r: number, k: number): void {
    if (this.pendStamp[r] !== this.gen) {
      this.pendStamp[r] = this.gen;
      this.pendPos[r] = k;
      this.pendEnd[r] = k;
      this.queue.push(r);
    } else {
      if (k < this.pendPos[r]) this.pendPos[r] = k;
      if (k > this.pendEnd[r]) this.pendEnd[r] = k;
    }
  }

  /** Runs the worklist of route suffixes to a fixed point; false when infeasible or over the bound. */
  protected propagate(bound: number): boolean {
    const d = this.data;
    const V = d.V;
    let steps = 0;
    this.failTask = this.failRoute = -1;
    const maxSteps = 64 * (d.n + V) + 1024;
    const queue = this.queue;
    for (let qi = 0; qi < queue.size; qi++) {
      const r = queue.items[qi];
      if (this.pendStamp[r] !== this.gen) continue;
      let k = this.pendPos[r];
      const mustReach = this.pendEnd[r];
      this.pendStamp[r] = 0;
      const len = this.trialLength(r);
      let t: number;
      let node: number;
      if (k === 0) {
        t = d.shiftStart[r];
        node = d.nurseStart[r];
      } else {
        const x = this.trialAt(r, k - 1);
        t = this.S(x) + d.service[x * V + r];
        node = this.lastRealNode(r, k - 1);
      }
      let changedAny = false;
      for (; k < len; k++) {
        if (++steps > maxSteps) {
          this.failRoute = r;
          return false;
        }
        const x = this.trialAt(r, k);
        const real = d.isBreak[x] === 0;
        let s = real ? t + d.travelTime(r, node, x) : t;
        for (let a = d.inOff[x]; a < d.inOff[x + 1]; a++) {
          const arc = d.inArcs[a];
          const u = d.arcFrom[arc];
          if (this.trialRoute(u) < 0) continue;
          const lb = this.S(u) + d.arcWeight[arc];
          if (lb > s) s = lb;
        }
        s = d.earliestIn(x, s);
        if (s === Infinity) {
          this.failTask = x;
          return false;
        }
        const old = this.S(x);
        if (s < old - EPS && this.insV >= 0) {
          // A visit inserted before a break moves where the break is taken, and the leg after it
          // may shorten: later starts fall. Exact along this route; a fall that would reach a
          // visit of another route through an arc is not evaluated (the move is skipped).
          for (let a = d.outOff[x]; a < d.outOff[x + 1]; a++)
            if (this.trialRoute(d.arcTo[d.outArcs[a]]) >= 0) return false;
          this.setTrial(x, old, s, Infinity);
          this.decreased = true;
          changedAny = true;
          t = s + d.service[x * V + r];
          if (real) node = x;
          continue;
        }
        if (s <= old + EPS) {
          // Unchanged: what follows is too, unless x is a break (the next leg starts from the last visit).
          if (k >= mustReach && real) break;
          t = old + d.service[x * V + r];
          if (real) node = x;
          continue;
        }
        if (x === this.insV && this.tStamp[x] === this.gen) {
          this.failTask = x; // raised again: a positive cycle
          return false;
        }
        if (!this.setTrial(x, old, s, bound)) return false;
        changedAny = true;
        for (let a = d.outOff[x]; a < d.outOff[x + 1]; a++) {
          const arc = d.outArcs[a];
          const y = d.arcTo[arc];
          const ry = this.trialRoute(y);
          if (ry >= 0 && this.S(y) < s + d.arcWeight[arc] - EPS) this.enqueue(ry, this.trialPos(y));
        }
        t = s + d.service[x * V + r];
        if (real) node = x;
      }
      if (k === len) {
        const end = d.nurseEnd[r];
        const back = end < 0 || this.trialReal(r) === 0 ? t : t + d.travelTime(r, node, end);
        if (back > d.shiftEnd[r] + d.overtimeMax[r] + EPS) {
          this.failRoute = r;
          return false;
        }
        if (this.rStamp[r] !== this.gen) {
          this.rStamp[r] = this.gen;
          this.touchedRoutes.push(r);
        }
        this.tRet[r] = back;
      } else if ((changedAny || r === this.insR) && this.rStamp[r] !== this.gen) {
        this.rStamp[r] = this.gen;
        this.touchedRoutes.push(r);
        this.tRet[r] = this.ret[r];
      }
    }
    return true;
  }

  /** Records a trial start and adds its lateness and earliness change to the delta; false once the delta reaches the bound. */
  private setTrial(x: number, old: number, s: number, bound: number): boolean {
    if (this.tStamp[x] !== this.gen) {
      this.tStamp[x] = this.gen;
      this.changed.push(x);
    }
    this.tStart[x] = s;
    const d = this.data;
    if (!Number.isNaN(d.prevStart[x])) this.tDelta += this.shiftCost(x, s) - this.shiftCost(x, old);
    const due = d.due[x];
    const late = s > due ? s - due : 0;
    const before = old > due ? old - due : 0;
    const early = d.earliness(x, s) - d.earliness(x, old);
    if (late === before && early === 0) return true;
    this.tDelta += d.weights.lateness * d.lateCost[x] * (late - before + early);
    if (late > this.tMaxLate) this.tMaxLate = late;
    return this.tDelta + d.weights.maxLateness * (this.tMaxLate - this.maxLate) - this.slack < bound;
  }

  /** The full trial delta: lateness of changed visits, largest lateness, route time costs. */
  protected finishDelta(bound: number): number {
    const d = this.data;
    const w = d.weights;
    if (this.decreased && w.maxLateness > 0) {
      this.tMaxLate = 0;
      for (let x = 0; x < d.n; x++) {
        if (this.trialRoute(x) < 0) continue;
        const late = this.S(x) - d.due[x];
        if (late > this.tMaxLate) this.tMaxLate = late;
      }
    }
    let delta = this.tDelta + w.maxLateness * (this.tMaxLate - this.maxLate);
    if (w.balance > 0) delta += w.balance * (this.workSpread(true) - this.spread);
    const touched = this.touchedRoutes;
    for (let i = 0; i < touched.size; i++) {
      const q = touched.items[i];
      const ws = this.trialWorkStart(q);
      const work = this.tRet[q] - ws;
      if (work > d.maxWork[q] + EPS && this.trialReal(q) > 0) return Infinity;
      const k = d.routeNurse[q];
      // Her rules over the horizon, once per nurse whichever of her days the trial touched.
      if (d.hasNurseRules[k] === 1 && this.ruleStamp[k] !== this.gen) {
        this.ruleStamp[k] = this.gen;
        if (!this.nurseRulesHold(k, true)) return Infinity;
      }
      delta +=
        this.routeTimeCost(q, this.tRet[q], ws, this.trialReal(q)) -
        this.routeTimeCost(q, this.ret[q], this.workStart[q], this.realCount[q]);
    }
    return delta < bound ? delta : Infinity;
  }
}
