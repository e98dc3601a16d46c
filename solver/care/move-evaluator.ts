import type { CareData } from './care-data.ts';
import { nurseRulesHold, type RouteTimes } from './nurse-rules.ts';
import type { Schedule } from './schedule.ts';

const EPS = 1e-9;

/**
 * The exact cost change of a local-search move on a home-care schedule: a few routes get new task
 * sequences (the same tasks between them), everything else stays as committed.
 *
 * Each changed route is re-timed from its start by its own travel and windows. A task with
 * timing arcs (synchronised visits, dependencies) must still meet every arc that way, never held
 * up by a partner, and a partner on an unchanged route must keep its start: no later start
 * needed, and none tight behind a start that falls. Then the re-timed routes are the schedule's
 * least solution, as `Schedule` computes it, and nothing else moves; otherwise the move is not
 * evaluated (Infinity), like an infeasible one. The rest of the
 * objective follows: travel, fixed, lateness and earliness, start shifts, overtime and hourly
 * cost per route, continuity, moved visits, nurses per patient (and her cap), nurse relations,
 * capacity, visit limits, working-time limits and the rules over the horizon, and the global
 * terms (largest lateness, balance) when weighted.
 */
export class CareMoveEvaluator {
  readonly sched: Schedule;
  private readonly data: CareData;
  private readonly hasArcs: Uint8Array;
  private gen = 0;
  private readonly taskStamp: Int32Array;
  private readonly taskRoute: Int32Array;
  private readonly routeStamp: Int32Array;
  private readonly tBack: Float64Array;
  private readonly tWs: Float64Array;
  private readonly tReal: Int32Array;
  private readonly tStart: Float64Array;
  private readonly patientStamp: Int32Array;
  private readonly nurseStamp: Int32Array;
  private readonly seenNurse: Int32Array;
  private nurseGen = 0;
  private tMaxLate = 0;
  private readonly patients: number[] = [];
  private readonly nurses: number[] = [];
  private readonly trialTimes: RouteTimes;
  /** Per route, its committed static and time costs, valid while the schedule's placements are those of the stamp. */
  private readonly cacheStamp: Int32Array;
  private readonly cachedStatic: Float64Array;
  private readonly cachedTime: Float64Array;

  constructor(sched: Schedule) {
    const d = sched.data;
    this.sched = sched;
    this.data = d;
    this.hasArcs = Uint8Array.from({ length: d.n }, (_, x) =>
      d.inOff[x + 1] > d.inOff[x] || d.outOff[x + 1] > d.outOff[x] ? 1 : 0,
    );
    this.taskStamp = new Int32Array(d.n);
    this.taskRoute = new Int32Array(d.n);
    this.routeStamp = new Int32Array(d.V);
    this.tBack = new Float64Array(d.V);
    this.tWs = new Float64Array(d.V);
    this.tReal = new Int32Array(d.V);
    this.tStart = new Float64Array(d.n);
    this.patientStamp = new Int32Array(d.patientVisits.length);
    this.nurseStamp = new Int32Array(d.N);
    this.seenNurse = new Int32Array(d.N);
    this.cacheStamp = new Int32Array(d.V).fill(-1);
    this.cachedStatic = new Float64Array(d.V);
    this.cachedTime = new Float64Array(d.V);
    const s = sched;
    const inTrial = (r: number) => this.routeStamp[r] === this.gen;
    this.trialTimes = {
      real: (r) => (inTrial(r) ? this.tReal[r] : s.realCount[r]),
      workStart: (r) => (inTrial(r) ? this.tWs[r] : s.workStart[r]),
      back: (r) => (inTrial(r) ? this.tBack[r] : s.ret[r]),
    };
  }

  /**
   * Cost change of giving route `routes[i]` the sequence `seqs[i]` (Infinity when infeasible,
   * not exactly evaluable, or not below `bound`). The sequences must hold the same tasks as the
   * routes they replace, all together (`seqs` may be longer than `routes`: the rest is unused).
   */
  evaluate(routes: readonly number[], seqs: readonly (readonly number[])[], bound = Infinity): number {
    const d = this.data;
    const s = this.sched;
    const V = d.V;
    const w = d.weights;
    const gen = ++this.gen;
    this.patients.length = 0;
    this.nurses.length = 0;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i];
      this.routeStamp[r] = gen;
      for (const x of seqs[i]) {
        this.taskStamp[x] = gen;
        this.taskRoute[x] = r;
      }
    }
    // What does not depend on times: membership, travel, fixed and per-visit costs.
    let delta = 0;
    let saving = 0; // the most the re-timing can save: the touched routes' time costs now
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i];
      const seq = seqs[i];
      const nurse = d.routeNurse[r];
      if (d.hasNurseRules[nurse] === 1 && this.nurseStamp[nurse] !== gen) {
        this.nurseStamp[nurse] = gen;
        this.nurses.push(nurse);
      }
      let real = 0;
      let load = 0;
      let node = d.nurseStart[r];
      for (const x of seq) {
        if (d.canDo[x * V + r] === 0) return Infinity;
        delta += d.placementCost(x, r);
        if (d.routeNurse[s.routeOf[x]] !== nurse && !this.nurseChangeAllowed(x, nurse)) return Infinity;
        if (d.isBreak[x] === 1) continue;
        real++;
        load += d.demand[x];
        delta += d.arcCost(r, node, x);
        node = x;
      }
      if (real > d.maxVisits[r] || load > d.capacity[r] + EPS) return Infinity;
      if (real > 0) {
        delta += d.useCost[r];
        if (d.nurseEnd[r] >= 0) delta += d.arcCost(r, node, d.nurseEnd[r]);
      }
      delta -= this.staticCost(r);
      saving += this.timeCost(r);
    }
    saving += this.globalSaving();
    const distinct = this.distinctDelta();
    if (distinct === Infinity) return Infinity;
    delta += distinct;
    if (delta - saving >= bound) return Infinity;
    // Re-time the changed routes.
    this.tMaxLate = 0;
    for (let i = 0; i < routes.length; i++) {
      const c = this.retime(routes[i], seqs[i]);
      if (c === Infinity) return Infinity;
      delta += c - this.timeCost(routes[i]);
    }
    for (let i = 0; i < routes.length; i++)
      for (const x of seqs[i]) if (this.hasArcs[x] === 1 && !this.arcsHold(x)) return Infinity;
    for (const k of this.nurses) if (!nurseRulesHold(d, k, this.trialTimes)) return Infinity;
    if (w.maxLateness > 0) delta += w.maxLateness * (this.trialMaxLate() - s.maxLate);
    if (w.balance > 0) delta += w.balance * (this.trialSpread() - s.spread);
    return delta < bound ? delta : Infinity;
  }

  /** Route r's committed travel, fixed cost and per-visit costs that do not depend on times. */
  staticCost(r: number): number {
    this.refresh(r);
    return this.cachedStatic[r];
  }

  /** Route r's committed costs that depend on times: never negative, so the most a move of r can save on them. */
  timeCost(r: number): number {
    this.refresh(r);
    return this.cachedTime[r];
  }

  /** The most a move can save on the global terms (largest lateness, balance). */
  globalSaving(): number {
    const w = this.data.weights;
    return (
      (w.maxLateness > 0 ? w.maxLateness * this.sched.maxLate : 0) +
      (w.balance > 0 ? w.balance * this.sched.spread : 0)
    );
  }

  /** See LatestStarts. */
  latestStarts(r: number): readonly number[] {
    return this.sched.latest.of(r);
  }

  private refresh(r: number): void {
    if (this.cacheStamp[r] === this.sched.placements) return;
    this.cacheStamp[r] = this.sched.placements;
    this.cachedStatic[r] = this.committedStaticCost(r);
    this.cachedTime[r] = this.committedTimeCost(r);
  }

  /** Nurse relations and patients' caps for task x going to another nurse; marks its patient for recount. */
  private nurseChangeAllowed(x: number, nurse: number): boolean {
    const d = this.data;
    for (const u of d.differentFrom[x]) if (this.nurseOf(u) === nurse) return false;
    for (const u of d.sameAs[x]) {
      const k = this.nurseOf(u);
      if (k >= 0 && k !== nurse) return false;
    }
    const p = d.patientOf[x];
    if (p >= 0 && this.patientStamp[p] !== this.gen) {
      this.patientStamp[p] = this.gen;
      this.patients.push(p);
    }
    return true;
  }

  /** The nurse of task u in the trial (-1 when unplaced). */
  private nurseOf(u: number): number {
    if (this.taskStamp[u] === this.gen) return this.data.routeNurse[this.taskRoute[u]];
    return this.sched.nurseOfVisit(u);
  }

  /** Weighted change of nurses per patient for the patients whose visits change nurse; Infinity past a cap. */
  private distinctDelta(): number {
    const d = this.data;
    let delta = 0;
    for (const p of this.patients) {
      const before = this.countNurses(p, false);
      const after = this.countNurses(p, true);
      if (after > d.maxNurses[p] && after > before) return Infinity;
      delta += d.weights.distinctNurses * (Math.max(0, after - 1) - Math.max(0, before - 1));
    }
    return delta;
  }

  private countNurses(p: number, trial: boolean): number {
    const gen = ++this.nurseGen;
    let count = 0;
    for (const u of this.data.patientVisits[p]) {
      const k = trial ? this.nurseOf(u) : this.sched.nurseOfVisit(u);
      if (k < 0 || this.seenNurse[k] === gen) continue;
      this.seenNurse[k] = gen;
      count++;
    }
    return count;
  }

  /** Committed travel, fixed cost and per-visit costs of route r that do not depend on times. */
  private committedStaticCost(r: number): number {
    const d = this.data;
    const s = this.sched;
    let c = 0;
    let node = d.nurseStart[r];
    for (const x of s.routes[r]) {
      c += d.placementCost(x, r);
      if (d.isBreak[x] === 1) continue;
      c += d.arcCost(r, node, x);
      node = x;
    }
    if (s.realCount[r] > 0) {
      c += d.useCost[r];
      if (d.nurseEnd[r] >= 0) c += d.arcCost(r, node, d.nurseEnd[r]);
    }
    return c;
  }

  /** Committed costs of route r that depend on times (lateness, earliness, shifts, overtime, hours): never negative. */
  private committedTimeCost(r: number): number {
    const s = this.sched;
    let c = s.routeTimeCost(r, s.ret[r], s.workStart[r], s.realCount[r]);
    for (const x of s.routes[r]) c += this.taskTimeCost(x, s.start[x]);
    return c;
  }

  private taskTimeCost(x: number, start: number): number {
    const d = this.data;
    const late = start > d.due[x] ? start - d.due[x] : 0;
    return (
      d.weights.lateness * d.lateCost[x] * (late + d.earliness(x, start)) + this.sched.shiftCost(x, start)
    );
  }

  /** Times route r with the given sequence: its time costs, or Infinity (infeasible or not exactly evaluable). */
  private retime(r: number, seq: readonly number[]): number {
    const d = this.data;
    const s = this.sched;
    const V = d.V;
    let t = d.shiftStart[r];
    let node = d.nurseStart[r];
    let real = 0;
    let ws = d.shiftStart[r];
    let c = 0;
    for (let k = 0; k < seq.length; k++) {
      const x = seq[k];
      const isBreak = d.isBreak[x] === 1;
      const leg = isBreak ? 0 : d.travelTime(r, node, x);
      const st = d.earliestIn(x, t + leg);
      if (st === Infinity) return Infinity;
      this.tStart[x] = st;
      if (k === 0) ws = Math.max(d.shiftStart[r], st - leg);
      const late = st - d.due[x];
      if (late > this.tMaxLate) this.tMaxLate = late;
      c += this.taskTimeCost(x, st);
      if (!isBreak) {
        real++;
        node = x;
      }
      t = st + d.service[x * V + r];
    }
    const end = d.nurseEnd[r];
    const back = end < 0 || real === 0 ? t : t + d.travelTime(r, node, end);
    if (back > d.shiftEnd[r] + d.overtimeMax[r] + EPS) return Infinity;
    if (real > 0 && back - ws > d.maxWork[r] + EPS) return Infinity;
    this.tBack[r] = back;
    this.tWs[r] = ws;
    this.tReal[r] = real;
    return c + s.routeTimeCost(r, back, ws, real);
  }

  /** Whether re-timed task x meets its arcs with partners as the trial has them, and leaves unchanged routes alone. */
  private arcsHold(x: number): boolean {
    const d = this.data;
    const s = this.sched;
    const sx = this.tStart[x];
    for (let a = d.inOff[x]; a < d.inOff[x + 1]; a++) {
      const arc = d.inArcs[a];
      const u = d.arcFrom[arc];
      if (s.routeOf[u] < 0) continue;
      const su = this.taskStamp[u] === this.gen ? this.tStart[u] : s.start[u];
      if (sx < su + d.arcWeight[arc] - EPS) return false;
    }
    const falls = sx < s.start[x] - EPS;
    for (let a = d.outOff[x]; a < d.outOff[x + 1]; a++) {
      const arc = d.outArcs[a];
      const y = d.arcTo[arc];
      if (s.routeOf[y] < 0 || this.taskStamp[y] === this.gen) continue; // a re-timed partner checks its own
      const w = d.arcWeight[arc];
      if (s.start[y] < sx + w - EPS) return false;
      if (falls && s.start[y] <= s.start[x] + w + EPS) return false;
    }
    return true;
  }

  /** Largest lateness with the trial routes re-timed and every other visit as committed. */
  private trialMaxLate(): number {
    const s = this.sched;
    let max = this.tMaxLate;
    for (let r = 0; r < this.data.V; r++) {
      if (this.routeStamp[r] === this.gen) continue;
      for (const x of s.routes[r]) if (s.late[x] > max) max = s.late[x];
    }
    return max;
  }

  /** Largest minus smallest working time over nurses with the trial routes re-timed. */
  private trialSpread(): number {
    let lo = Infinity;
    let hi = -Infinity;
    for (const routes of this.data.nurseRoutes) {
      let work = 0;
      for (const r of routes)
        if (this.trialTimes.real(r) > 0) work += this.trialTimes.back(r) - this.trialTimes.workStart(r);
      if (work < lo) lo = work;
      if (work > hi) hi = work;
    }
    return hi - lo;
  }
}
