import { SchedulePropagation } from './schedule-propagation.ts';

const EPS = 1e-9;

/**
 * The mutable home-care solution and its schedule: routes per nurse and the earliest start of
 * every visit that meets travel, windows, shifts and every timing arc between visits (sync
 * groups, dependencies), across routes. Starts are the least solution of those difference
 * constraints, so they also minimize lateness and overtime for the given routes.
 *
 * Inserting a visit only raises starts, so `evaluateInsert` propagates from the committed
 * schedule (a worklist over route suffixes, stopping where a start no longer moves) and reads
 * the cost change from the visits it touched. Every new cycle of arcs passes through the
 * inserted visit, so the trial is infeasible exactly when the propagation raises that visit
 * again. Removals recompute the schedule from scratch (`reschedule`).
 */
export class Schedule extends SchedulePropagation {
  /** Routes a partial re-timing covers (rescheduleRoutes), stamped per call. */
  private readonly affected: number[] = [];
  private readonly affectedStamp = new Int32Array(this.data.V);
  private affectedGen = 0;
  /** Cost change of inserting unplaced visit v into route r before position p; Infinity when infeasible or not below `bound`. */
  evaluateInsert(v: number, r: number, p: number, bound = Infinity): number {
    return this.canInsertInto(v, r) ? this.evaluateInsertAt(v, r, p, bound) : Infinity;
  }

  /** Whether route r may take v at all (nurse, visit limit, nurse relations, capacity): one check for all its positions. */
  canInsertInto(v: number, r: number): boolean {
    const d = this.data;
    if (d.canDo[v * d.V + r] === 0 || (d.isBreak[v] === 0 && this.realCount[r] >= d.maxVisits[r]))
      return false;
    // Nurse relations hold between nurses, whichever of their days.
    const k = d.routeNurse[r];
    for (const u of d.differentFrom[v])
      if (this.routeOf[u] >= 0 && d.routeNurse[this.routeOf[u]] === k) return false;
    for (const u of d.sameAs[v])
      if (this.routeOf[u] >= 0 && d.routeNurse[this.routeOf[u]] !== k) return false;
    if (d.patientOf[v] >= 0 && this.newNurseFor(v, k) < 0) return false;
    if (d.demand[v] > 0) {
      let load = d.demand[v];
      for (const x of this.routes[r]) load += d.demand[x];
      if (load > d.capacity[r] + EPS) return false;
    }
    return true;
  }

  /** evaluateInsert for a route that canInsertInto accepted. */
  evaluateInsertAt(v: number, r: number, p: number, bound = Infinity): number {
    const d = this.data;
    const V = d.V;
    const real = d.isBreak[v] === 0;
    let delta = this.arcDelta(v, r, p) - d.penalty[v];
    if (real && this.realCount[r] === 0) delta += d.useCost[r];
    if (d.hasPreferred[v] === 1 && d.preferred[v * V + r] === 0) delta += d.weights.continuity;
    if (d.prevNurse[v] !== -1 && d.prevNurse[v] !== d.routeNurse[r]) delta += d.weights.moved;
    if (d.patientOf[v] >= 0 && d.weights.distinctNurses > 0)
      delta += d.weights.distinctNurses * Math.max(0, this.newNurseFor(v, d.routeNurse[r]));
    // Every later term only adds, but balance, which can fall by at most the current spread.
    this.slack = d.weights.balance * this.spread;
    if (delta - this.slack >= bound) return Infinity;

    this.gen++;
    this.changed.clear();
    this.touchedRoutes.clear();
    this.insV = v;
    this.insR = r;
    this.insP = p;
    this.tDelta = delta;
    this.decreased = false;
    this.tMaxLate = this.maxLate;
    this.queue.clear();
    this.enqueue(r, p);
    if (!this.propagate(bound)) return Infinity;
    return this.finishDelta(bound);
  }

  /** Inserts v into route r before position p and updates the schedule and the cost. */
  insert(v: number, r: number, p: number): void {
    const delta = this.evaluateInsert(v, r, p);
    if (delta === Infinity) throw new Error(`insert of visit ${v} into route ${r} at ${p} is infeasible`);
    const d = this.data;
    const w = d.weights;
    const { changed, touchedRoutes } = this;
    for (let i = 0; i < changed.size; i++) {
      const x = changed.items[i];
      const before = this.late[x];
      const earlyBefore = d.earliness(x, this.start[x]);
      this.shiftTotal += this.shiftCost(x, this.tStart[x]) - this.shiftCost(x, this.start[x]);
      this.setStart(x, this.tStart[x]);
      this.lateTotal +=
        w.lateness * d.lateCost[x] * (this.late[x] - before + (d.earliness(x, this.start[x]) - earlyBefore));
    }
    for (let i = 0; i < touchedRoutes.size; i++) {
      const q = touchedRoutes.items[i];
      this.routeTimeTotal -= this.routeTimeCost(q, this.ret[q], this.workStart[q], this.realCount[q]);
      this.ret[q] = this.tRet[q];
      this.workStart[q] = this.trialWorkStart(q);
      this.routeTimeTotal += this.routeTimeCost(q, this.ret[q], this.workStart[q], this.trialReal(q));
    }
    const route = this.routes[r];
    this.arcTotal += this.arcDelta(v, r, p);
    if (d.isBreak[v] === 0 && this.realCount[r]++ === 0) this.fixedTotal += d.useCost[r];
    if (d.hasPreferred[v] === 1 && d.preferred[v * d.V + r] === 0)
      this.continuityTotal += d.weights.continuity;
    if (d.prevNurse[v] !== -1 && d.prevNurse[v] !== d.routeNurse[r]) this.movedTotal += d.weights.moved;
    if (d.patientOf[v] >= 0 && d.weights.distinctNurses > 0)
      this.distinctTotal += d.weights.distinctNurses * Math.max(0, this.newNurseFor(v, d.routeNurse[r]));
    this.penaltyTotal -= d.penalty[v];
    route.splice(p, 0, v);
    this.placements++;
    this.sequenceChanged(r);
    this.routeOf[v] = r;
    for (let k = p; k < route.length; k++) this.pos[route[k]] = k;
    this.maxLate = this.tMaxLate;
    this.gen++;
    if (w.balance > 0) this.spread = this.workSpread(false);
  }

  /** Replaces every route (visit indices per nurse) and recomputes the schedule; false if no schedule exists. */
  setRoutes(routes: readonly (readonly number[])[]): boolean {
    this.placements++;
    this.routeOf.fill(-1);
    this.pos.fill(-1);
    this.realCount.fill(0);
    routes.forEach((route, r) => {
      this.sequenceChanged(r);
      this.routes[r] = [...route];
      route.forEach((v, k) => {
        this.routeOf[v] = r;
        this.pos[v] = k;
        if (this.data.isBreak[v] === 0) this.realCount[r]++;
      });
    });
    return this.reschedule();
  }

  /**
   * Gives the listed routes new task sequences (the same tasks between them, as a local-search
   * move does; `seqs` may be longer than `routes`) and recomputes the schedule; false if no
   * schedule exists (the caller restores).
   */
  replaceRoutes(routes: readonly number[], seqs: readonly (readonly number[])[]): boolean {
    this.placements++;
    routes.forEach((r, i) => {
      this.sequenceChanged(r);
      const route = this.routes[r];
      route.length = 0;
      route.push(...seqs[i]);
      this.realCount[r] = 0;
    });
    for (const r of routes)
      this.routes[r].forEach((x, k) => {
        this.routeOf[x] = r;
        this.pos[x] = k;
        if (this.data.isBreak[x] === 0) this.realCount[r]++;
      });
    return this.rescheduleRoutes(routes, []);
  }

  /** Takes the given visits out of their routes and recomputes the schedule from scratch (false: no schedule exists). */
  remove(visits: Iterable<number>): boolean {
    const removed = [...visits];
    const routes: number[] = [];
    for (const v of removed) if (this.routeOf[v] >= 0) routes.push(this.routeOf[v]);
    this.unplace(removed);
    if (this.rescheduleRoutes(routes, removed)) return true;
    // Removing a visit can delay others when a break taken there moves elsewhere (breaks have no
    // place of their own), or when travel breaks the triangle inequality: take out what no longer fits.
    // (It can also lengthen a nurse's day, see overworkedRoute.)
    for (let guard = 0; !this.reschedule(); guard++) {
      let victim = this.failTask;
      if (victim < 0 && this.failRoute >= 0) {
        const route = this.routes[this.failRoute];
        victim = route.findLast((x) => this.data.isBreak[x] === 0) ?? route[route.length - 1] ?? -1;
      }
      if (victim < 0 || guard > this.data.n) return false;
      this.unplace([victim]);
    }
    return true;
  }

  /**
   * A route working longer than its nurse's limit (-1: none). Insertions never make one, but a
   * removal can: the rest is scheduled as early as it can, so a nurse whose first visit can now
   * start earlier leaves earlier and waits later.
   */
  overworkedRoute(): number {
    const d = this.data;
    for (let r = 0; r < d.V; r++)
      if (this.realCount[r] > 0 && this.ret[r] - this.workStart[r] > d.maxWork[r] + EPS) return r;
    // Rules over the horizon: the longest day of a nurse who breaks one.
    for (let k = 0; k < d.N; k++) {
      if (d.hasNurseRules[k] === 0 || this.nurseRulesHold(k, false)) continue;
      let longest = -1;
      for (const r of d.nurseRoutes[k])
        if (
          this.realCount[r] > 0 &&
          (longest < 0 || this.ret[r] - this.workStart[r] > this.ret[longest] - this.workStart[longest])
        )
          longest = r;
      return longest;
    }
    return -1;
  }

  private unplace(visits: Iterable<number>): void {
    this.placements++;
    for (const v of visits) {
      const r = this.routeOf[v];
      if (r < 0) continue;
      const route = this.routes[r];
      route.splice(this.pos[v], 1);
      this.sequenceChanged(r);
      for (let k = this.pos[v]; k < route.length; k++) this.pos[route[k]] = k;
      if (this.data.isBreak[v] === 0) this.realCount[r]--;
      this.routeOf[v] = -1;
      this.pos[v] = -1;
      this.start[v] = -Infinity;
      this.late[v] = 0;
    }
  }

  /** Recomputes every start and every cost part from the routes. False if the routes admit no schedule. */
  reschedule(): boolean {
    const d = this.data;
    this.beginRetiming();
    for (let v = 0; v < d.n; v++) {
      this.start[v] = -Infinity;
      this.late[v] = 0;
    }
    for (let r = 0; r < d.V; r++) {
      this.ret[r] = d.shiftStart[r];
      if (this.routes[r].length > 0) this.enqueue(r, 0);
    }
    return this.settle();
  }

  /**
   * Recomputes the starts of the given routes' tasks, and of every route their tasks or the
   * `unplaced` ones reach through timing arcs, from scratch; the other routes keep theirs, since
   * nothing of theirs depends on these (the least schedule restricted to them is unchanged), so
   * the result is reschedule()'s. Every cost part is recomputed. False if no schedule exists.
   */
  private rescheduleRoutes(routes: readonly number[], unplaced: readonly number[]): boolean {
    const d = this.data;
    const stamp = ++this.affectedGen;
    const affected = this.affected;
    affected.length = 0;
    const add = (r: number) => {
      if (r >= 0 && this.affectedStamp[r] !== stamp) {
        this.affectedStamp[r] = stamp;
        affected.push(r);
      }
    };
    const reach = (x: number) => {
      for (let a = d.outOff[x]; a < d.outOff[x + 1]; a++) add(this.routeOf[d.arcTo[d.outArcs[a]]]);
    };
    for (const r of routes) add(r);
    for (const x of unplaced) reach(x);
    for (let i = 0; i < affected.length; i++) for (const x of this.routes[affected[i]]) reach(x);
    this.beginRetiming();
    for (const r of affected) {
      for (const x of this.routes[r]) {
        this.start[x] = -Infinity;
        this.late[x] = 0;
      }
      this.ret[r] = d.shiftStart[r];
      if (this.routes[r].length > 0) this.enqueue(r, 0);
    }
    return this.settle();
  }
}
