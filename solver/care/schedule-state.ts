import { IndexList } from './index-list.ts';
import type { CareData } from './care-data.ts';
import { LatestStarts } from './latest-starts.ts';
import { nurseRulesHold, type RouteTimes } from './nurse-rules.ts';

/**
 * The state of a home-care schedule and its cost parts, and the trial view the propagation in
 * `SchedulePropagation` works on: a trial value of a start (or of a route's return) is valid
 * while its stamp equals the current generation, so a rejected trial costs nothing to forget.
 */
export abstract class ScheduleState {
  readonly data: CareData;
  readonly routes: number[][];
  readonly routeOf: Int32Array;
  readonly pos: Int32Array;
  /** Per route: visits other than breaks (a route with none is unused). */
  readonly realCount: Int32Array;
  readonly start: Float64Array;
  readonly late: Float64Array;
  /** Per route: time back at the end (or at the last visit's end) and the start of work. */
  readonly ret: Float64Array;
  readonly workStart: Float64Array;
  /** Objective parts: arc costs, lateness cost (earliness included), largest lateness, per-route time costs, continuity, penalties. */
  arcTotal = 0;
  lateTotal = 0;
  maxLate = 0;
  /** Spread of working time between nurses (largest minus smallest; a nurse without visits works 0). */
  spread = 0;
  routeTimeTotal = 0;
  continuityTotal = 0;
  penaltyTotal = 0;
  fixedTotal = 0;
  /** Re-planning: visits given to another nurse than before (weighted), and start shifts (weighted). */
  movedTotal = 0;
  shiftTotal = 0;
  /** Nurses beyond the first that each patient sees (weighted). */
  distinctTotal = 0;
  private readonly nurseStamp: Int32Array;
  /** Per nurse, the trial whose rules over the horizon were checked (finishDelta checks each once). */
  protected readonly ruleStamp: Int32Array;
  private nurseGen = 0;
  /** Bumped whenever a visit is placed or unplaced (newNurseFor's memo holds until then). */
  placements = 0;
  /**
   * Per route, a version bumped whenever its sequence changes (what LatestStarts, the travel cost
   * cache and snapshots depend on): unique within this schedule (doubles: exact up to 2^53).
   */
  readonly routeVersion: Float64Array;
  private versions = 0;
  /** Travel cost of each route as of the version in arcVersion (recomputed only when its sequence changed). */
  private readonly routeArc: Float64Array;
  private readonly arcVersion: Float64Array;
  private memoV = -1;
  private memoK = -1;
  private memoAt = -1;
  private memoValue = 0;
  protected readonly perHour: number;
  /** Latest starts per route position, for O(1) feasibility checks before exact evaluations. */
  readonly latest: LatestStarts;

  // Trial state, valid while stamp === gen.
  protected gen = 1;
  protected readonly tStamp: Int32Array;
  protected readonly tStart: Float64Array;
  protected readonly changed: IndexList;
  protected readonly rStamp: Int32Array;
  protected readonly tRet: Float64Array;
  protected readonly touchedRoutes: IndexList;
  protected readonly pendStamp: Int32Array;
  protected readonly pendPos: Int32Array;
  protected readonly pendEnd: Int32Array;
  protected readonly queue: IndexList;
  /** Where the last propagation failed: a task that fits no window or closes a cycle, or a route that ends too late. */
  protected failTask = -1;
  protected failRoute = -1;
  protected insV = -1;
  protected insR = -1;
  protected insP = -1;
  protected tDelta = 0;
  protected decreased = false;
  protected slack = 0;
  protected tMaxLate = 0;

  constructor(data: CareData) {
    this.data = data;
    const { n, V } = data;
    this.routes = Array.from({ length: V }, () => []);
    this.routeOf = new Int32Array(n).fill(-1);
    this.pos = new Int32Array(n).fill(-1);
    this.realCount = new Int32Array(V);
    this.start = new Float64Array(n).fill(-Infinity);
    this.late = new Float64Array(n);
    this.ret = new Float64Array(V);
    this.workStart = new Float64Array(V);
    this.tStamp = new Int32Array(n);
    this.tStart = new Float64Array(n);
    this.changed = new IndexList(n);
    this.rStamp = new Int32Array(V);
    this.tRet = new Float64Array(V);
    this.touchedRoutes = new IndexList(V);
    this.pendStamp = new Int32Array(V);
    this.pendPos = new Int32Array(V);
    this.pendEnd = new Int32Array(V);
    this.queue = new IndexList(2 * V);
    this.perHour = data.input.timeUnit === 'second' ? 3600 : 60;
    this.nurseStamp = new Int32Array(data.N);
    this.routeVersion = new Float64Array(V);
    this.routeArc = new Float64Array(V);
    this.arcVersion = new Float64Array(V).fill(-1);
    this.latest = new LatestStarts(data, this);
    this.ruleStamp = new Int32Array(data.N);
    for (let v = 0; v < n; v++) this.penaltyTotal += data.penalty[v];
  }

  get cost(): number {
    return this.costBesidesPenalties + this.penaltyTotal;
  }

  /** The cost without the penalties of visits left out (up to 1e9 each, which would swamp small changes in a sum). */
  get costBesidesPenalties(): number {
    const w = this.data.weights;
    return (
      this.arcTotal +
      this.fixedTotal +
      this.lateTotal +
      w.maxLateness * this.maxLate +
      w.balance * this.spread +
      this.routeTimeTotal +
      this.continuityTotal +
      this.movedTotal +
      this.shiftTotal +
      this.distinctTotal
    );
  }

  /** Marks route r's sequence as changed. */
  sequenceChanged(r: number): void {
    this.routeVersion[r] = ++this.versions;
  }

  /** Largest minus smallest working time over all nurses (all their days), in the trial or as committed. */
  protected workSpread(trial: boolean): number {
    let lo = Infinity;
    let hi = -Infinity;
    for (const routes of this.data.nurseRoutes) {
      let work = 0;
      for (const r of routes)
        if (trial && this.rStamp[r] === this.gen) {
          if (this.trialReal(r) > 0) work += this.tRet[r] - this.trialWorkStart(r);
        } else if (this.realCount[r] > 0) work += this.ret[r] - this.workStart[r];
      if (work < lo) lo = work;
      if (work > hi) hi = work;
    }
    return hi - lo;
  }

  /** The nurse of a visit in the plan: of its route, or of its frozen route; -1 when unplaced. */
  nurseOfVisit(u: number): number {
    const d = this.data;
    const r = this.routeOf[u] >= 0 ? this.routeOf[u] : d.frozenRoute[u];
    return r >= 0 ? d.routeNurse[r] : -1;
  }

  /**
   * For unplaced visit v going to nurse k: -1 when her patient may not see another nurse (her
   * cap), else 1 when k would be a new nurse for a patient already seen by one, else 0.
   */
  newNurseFor(v: number, k: number): number {
    const d = this.data;
    const p = d.patientOf[v];
    if (p < 0) return 0;
    // Asked for every position of a route: the answer holds while no visit moves.
    if (this.memoV === v && this.memoK === k && this.memoAt === this.placements) return this.memoValue;
    this.memoV = v;
    this.memoK = k;
    this.memoAt = this.placements;
    return (this.memoValue = this.countNewNurse(k, p));
  }

  private countNewNurse(k: number, p: number): number {
    const d = this.data;
    const gen = ++this.nurseGen;
    let distinct = 0;
    for (const u of d.patientVisits[p]) {
      const x = this.nurseOfVisit(u);
      if (x < 0 || this.nurseStamp[x] === gen) continue;
      if (x === k) return 0;
      this.nurseStamp[x] = gen;
      distinct++;
    }
    if (distinct >= d.maxNurses[p]) return -1;
    return distinct > 0 ? 1 : 0;
  }

  /** Whether nurse k keeps her rules over the horizon (see nurseRulesHold), in the trial or as committed. */
  protected nurseRulesHold(k: number, trial: boolean): boolean {
    return nurseRulesHold(this.data, k, trial ? this.trialTimes : this.committedTimes);
  }

  private readonly committedTimes: RouteTimes = {
    real: (r) => this.realCount[r],
    workStart: (r) => this.workStart[r],
    back: (r) => this.ret[r],
  };

  private readonly trialTimes: RouteTimes = {
    real: (r) => (this.rStamp[r] === this.gen ? this.trialReal(r) : this.realCount[r]),
    workStart: (r) => (this.rStamp[r] === this.gen ? this.trialWorkStart(r) : this.workStart[r]),
    back: (r) => (this.rStamp[r] === this.gen ? this.tRet[r] : this.ret[r]),
  };

  /** Travel cost change of putting v before position p of route r (a break has no location: nothing changes). */
  protected arcDelta(v: number, r: number, p: number): number {
    const d = this.data;
    if (d.isBreak[v] === 1) return 0;
    const route = this.routes[r];
    let k = p - 1;
    while (k >= 0 && d.isBreak[route[k]] === 1) k--;
    const prev = k < 0 ? d.nurseStart[r] : route[k];
    k = p;
    while (k < route.length && d.isBreak[route[k]] === 1) k++;
    const next = k === route.length ? d.nurseEnd[r] : route[k];
    let delta = d.arcCost(r, prev, v);
    if (next >= 0) delta += d.arcCost(r, v, next) - d.arcCost(r, prev, next);
    return delta;
  }

  /** The start of visit v as the current trial sees it. */
  protected S(x: number): number {
    return this.tStamp[x] === this.gen ? this.tStart[x] : this.start[x];
  }

  protected trialLength(r: number): number {
    return this.routes[r].length + (r === this.insR ? 1 : 0);
  }
  protected trialAt(r: number, k: number): number {
    if (r !== this.insR || k < this.insP) return this.routes[r][k];
    return k === this.insP ? this.insV : this.routes[r][k - 1];
  }
  protected trialPos(x: number): number {
    if (x === this.insV) return this.insP;
    const k = this.pos[x];
    return this.routeOf[x] === this.insR && k >= this.insP ? k + 1 : k;
  }
  /** Visits other than breaks on route r in the trial. */
  protected trialReal(r: number): number {
    return this.realCount[r] + (r === this.insR && this.data.isBreak[this.insV] === 0 ? 1 : 0);
  }
  /** The location node of the last visit at or before position k of route r in the trial (the start if none). */
  protected lastRealNode(r: number, k: number): number {
    const d = this.data;
    for (; k >= 0; k--) {
      const x = this.trialAt(r, k);
      if (d.isBreak[x] === 0) return x;
    }
    return d.nurseStart[r];
  }
  protected trialRoute(x: number): number {
    return x === this.insV ? this.insR : this.routeOf[x];
  }

  /** When work starts on a route in the trial: leaving just in time for the first visit, not before the shift. */
  protected trialWorkStart(r: number): number {
    const d = this.data;
    if (this.trialLength(r) === 0) return d.shiftStart[r];
    const first = this.trialAt(r, 0);
    const leg = d.isBreak[first] === 1 ? 0 : d.travelTime(r, d.nurseStart[r], first);
    return Math.max(d.shiftStart[r], this.S(first) - leg);
  }

  /** Overtime and hourly cost of a route with `real` visits that works from `ws` to `back`. */
  routeTimeCost(r: number, back: number, ws: number, real: number): number {
    const d = this.data;
    if (real === 0) return 0; // breaks alone: she does not work
    const overtime = back > d.shiftEnd[r] ? back - d.shiftEnd[r] : 0;
    return (
      d.weights.overtime * d.overtimeCost[r] * overtime + (d.costPerHour[r] * (back - ws)) / this.perHour
    );
  }

  /** Weighted move of a start from the previous plan's (0 for a visit that was not in it or is unplaced). */
  shiftCost(x: number, s: number): number {
    const prev = this.data.prevStart[x];
    return s === -Infinity || Number.isNaN(prev) ? 0 : this.data.weights.shifted * Math.abs(s - prev);
  }

  protected setStart(x: number, s: number): void {
    const d = this.data;
    this.start[x] = s;
    this.late[x] = s > d.due[x] ? s - d.due[x] : 0;
  }

  /** Route r's travel cost, from its nurse's start through its visits (breaks skipped) to her end. */
  private travelCostOf(r: number): number {
    const d = this.data;
    let cost = 0;
    let node = d.nurseStart[r];
    for (const x of this.routes[r]) {
      if (d.isBreak[x] === 1) continue;
      cost += d.arcCost(r, node, x);
      node = x;
    }
    if (d.nurseEnd[r] >= 0) cost += d.arcCost(r, node, d.nurseEnd[r]);
    return cost;
  }

  protected recomputeTotals(): void {
    const d = this.data;
    const w = d.weights;
    this.arcTotal = this.fixedTotal = this.lateTotal = this.maxLate = 0;
    this.routeTimeTotal = this.continuityTotal = this.penaltyTotal = 0;
    this.movedTotal = this.shiftTotal = this.distinctTotal = 0;
    for (let v = 0; v < d.n; v++) {
      if (this.routeOf[v] < 0) {
        this.penaltyTotal += d.penalty[v];
        continue;
      }
      this.lateTotal += w.lateness * d.lateCost[v] * (this.late[v] + d.earliness(v, this.start[v]));
      if (this.late[v] > this.maxLate) this.maxLate = this.late[v];
      if (d.hasPreferred[v] === 1 && d.preferred[v * d.V + this.routeOf[v]] === 0)
        this.continuityTotal += w.continuity;
      if (d.prevNurse[v] !== -1 && d.prevNurse[v] !== d.routeNurse[this.routeOf[v]])
        this.movedTotal += w.moved;
      this.shiftTotal += this.shiftCost(v, this.start[v]);
    }
    for (let r = 0; r < d.V; r++) {
      const route = this.routes[r];
      if (route.length === 0) {
        this.workStart[r] = this.ret[r] = d.shiftStart[r];
        continue;
      }
      this.workStart[r] = this.trialWorkStart(r);
      if (this.realCount[r] === 0) continue;
      this.fixedTotal += d.useCost[r];
      if (this.arcVersion[r] !== this.routeVersion[r]) {
        this.arcVersion[r] = this.routeVersion[r];
        this.routeArc[r] = this.travelCostOf(r);
      }
      this.arcTotal += this.routeArc[r];
      this.workStart[r] = this.trialWorkStart(r);
      this.routeTimeTotal += this.routeTimeCost(r, this.ret[r], this.workStart[r], this.realCount[r]);
    }
    this.spread = this.workSpread(false);
    if (w.distinctNurses > 0)
      for (const visits of d.patientVisits) {
        const gen = ++this.nurseGen;
        let distinct = 0;
        for (const u of visits) {
          const x = this.nurseOfVisit(u);
          if (x < 0 || this.nurseStamp[x] === gen) continue;
          this.nurseStamp[x] = gen;
          distinct++;
        }
        if (distinct > 1) this.distinctTotal += w.distinctNurses * (distinct - 1);
      }
  }
}
