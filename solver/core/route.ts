import type { ProblemData } from './problem-data.ts';
import { Segment } from './segment.ts';

/**
 * One nurse's route in the mutable search solution, with per-position caches so that a move
 * is evaluated in O(1): prefix and suffix duration segments, prefix load and prefix arc cost.
 * Position 0 is the start depot, 1..size the visits, size + 1 the end depot.
 */
export class Route {
  readonly vehicle: number;
  readonly start: number;
  readonly end: number;
  readonly capacity: number;
  /** Row-major travel ticks and arc costs of this nurse's profile. */
  readonly dur: Int32Array;
  readonly cost: Int32Array;
  /** Whether `cost` is symmetric (ProblemData.symmetric of this nurse's profile). */
  readonly symmetric: boolean;
  readonly N: number;

  size = 0;
  nodes: Int32Array;
  fwdD: Float64Array;
  fwdTW: Float64Array;
  fwdE: Float64Array;
  fwdL: Float64Array;
  bwdD: Float64Array;
  bwdTW: Float64Array;
  bwdE: Float64Array;
  bwdL: Float64Array;
  /** Load of positions 0..p, arc cost from the start to position p. */
  fwdLoad: Float64Array;
  fwdCost: Float64Array;

  constructor(
    readonly data: ProblemData,
    vehicle: number,
  ) {
    this.vehicle = vehicle;
    this.start = data.vehStart[vehicle];
    this.end = data.vehEnd[vehicle];
    this.capacity = data.vehCapacity[vehicle];
    this.dur = data.durations[data.vehProfile[vehicle]];
    this.cost = data.arcCosts[data.vehProfile[vehicle]];
    this.symmetric = data.symmetric[data.vehProfile[vehicle]];
    this.N = data.numNodes;
    const cap = 16;
    this.nodes = new Int32Array(cap);
    this.fwdD = new Float64Array(cap);
    this.fwdTW = new Float64Array(cap);
    this.fwdE = new Float64Array(cap);
    this.fwdL = new Float64Array(cap);
    this.bwdD = new Float64Array(cap);
    this.bwdTW = new Float64Array(cap);
    this.bwdE = new Float64Array(cap);
    this.bwdL = new Float64Array(cap);
    this.fwdLoad = new Float64Array(cap);
    this.fwdCost = new Float64Array(cap);
    this.nodes[0] = this.start;
    this.nodes[1] = this.end;
    this.update();
  }

  /** Visits in order (a copy). */
  visits(): number[] {
    return Array.from(this.nodes.subarray(1, this.size + 1));
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** Arc cost of the whole route (0 for an empty route: an unused nurse costs nothing). */
  get arcCost(): number {
    return this.size === 0 ? 0 : this.fwdCost[this.size + 1];
  }

  get load(): number {
    return this.fwdLoad[this.size + 1];
  }

  /** Time warp of the whole route: 0 when every window and the shift are kept. */
  get timeWarp(): number {
    return this.fwdTW[this.size + 1];
  }

  /** Replaces the visits (the caches are rebuilt). */
  setVisits(visits: ArrayLike<number>): void {
    this.ensure(visits.length + 2);
    this.size = visits.length;
    for (let i = 0; i < visits.length; i++) this.nodes[i + 1] = visits[i];
    this.nodes[this.size + 1] = this.end;
    this.update();
  }

  /**
   * Inserts `node` at position `pos` (1..size+1), shifting later visits. Only the caches the
   * insertion changes are rebuilt: prefixes from `pos` on and suffixes up to it; the suffixes
   * after it move one place on unchanged (the same values as update() computes).
   */
  insert(pos: number, node: number): void {
    this.ensure(this.size + 3);
    const n = this.size + 2;
    this.nodes.copyWithin(pos + 1, pos, n);
    this.nodes[pos] = node;
    this.bwdD.copyWithin(pos + 1, pos, n);
    this.bwdTW.copyWithin(pos + 1, pos, n);
    this.bwdE.copyWithin(pos + 1, pos, n);
    this.bwdL.copyWithin(pos + 1, pos, n);
    this.size++;
    this.forwardFrom(pos);
    this.backwardFrom(pos);
  }

  /** Removes the visit at position `pos` without rebuilding caches (call update() after a batch). */
  removeAtNoUpdate(pos: number): void {
    this.nodes.copyWithin(pos, pos + 1, this.size + 2);
    this.size--;
  }

  copyFrom(o: Route): void {
    this.ensure(o.size + 2);
    const n = o.size + 2;
    this.size = o.size;
    this.nodes.set(o.nodes.subarray(0, n));
    this.fwdD.set(o.fwdD.subarray(0, n));
    this.fwdTW.set(o.fwdTW.subarray(0, n));
    this.fwdE.set(o.fwdE.subarray(0, n));
    this.fwdL.set(o.fwdL.subarray(0, n));
    this.bwdD.set(o.bwdD.subarray(0, n));
    this.bwdTW.set(o.bwdTW.subarray(0, n));
    this.bwdE.set(o.bwdE.subarray(0, n));
    this.bwdL.set(o.bwdL.subarray(0, n));
    this.fwdLoad.set(o.fwdLoad.subarray(0, n));
    this.fwdCost.set(o.fwdCost.subarray(0, n));
  }

  /** Loads the prefix segment (positions 0..p) into s. */
  prefix(p: number, s: Segment): Segment {
    return s.set(this.fwdD[p], this.fwdTW[p], this.fwdE[p], this.fwdL[p]);
  }

  /** Loads the suffix segment (positions p..size+1) into s. */
  suffix(p: number, s: Segment): Segment {
    return s.set(this.bwdD[p], this.bwdTW[p], this.bwdE[p], this.bwdL[p]);
  }

  /** Rebuilds every cache in O(size). */
  update(): void {
    const last = this.size + 1;
    this.nodes[last] = this.end;
    const v = this.vehicle;
    const s1 = this.data.vehShiftEnd[v];
    this.fwdD[0] = 0;
    this.fwdTW[0] = 0;
    this.fwdE[0] = this.data.vehShiftStart[v];
    this.fwdL[0] = s1;
    this.fwdLoad[0] = 0;
    this.fwdCost[0] = 0;
    this.forwardFrom(1);
    this.bwdD[last] = 0;
    this.bwdTW[last] = 0;
    this.bwdE[last] = this.data.vehShiftStart[v];
    this.bwdL[last] = s1;
    this.backwardFrom(last - 1);
  }

  /** Prefix caches of positions from..size+1, from those of position from - 1. */
  private forwardFrom(from: number): void {
    const { data, nodes, dur, cost, N } = this;
    const { twEarly, twLate, service, demand } = data;
    const last = this.size + 1;
    const v = this.vehicle;
    const s0 = data.vehShiftStart[v];
    const s1 = data.vehShiftEnd[v];
    const seg = scratch.set(
      this.fwdD[from - 1],
      this.fwdTW[from - 1],
      this.fwdE[from - 1],
      this.fwdL[from - 1],
    );
    for (let p = from; p <= last; p++) {
      const prev = nodes[p - 1];
      const node = nodes[p];
      const isDepot = p === last;
      seg.concat(
        dur[prev * N + node],
        isDepot ? 0 : service[node],
        0,
        isDepot ? s0 : twEarly[node],
        isDepot ? s1 : twLate[node],
      );
      this.fwdD[p] = seg.d;
      this.fwdTW[p] = seg.tw;
      this.fwdE[p] = seg.e;
      this.fwdL[p] = seg.l;
      this.fwdLoad[p] = this.fwdLoad[p - 1] + (isDepot ? 0 : demand[node]);
      this.fwdCost[p] = this.fwdCost[p - 1] + cost[prev * N + node];
    }
  }

  /** Suffix caches of positions from..0, from those of position from + 1: seg(p..last) = node(p) ⊕ seg(p+1..last). */
  private backwardFrom(from: number): void {
    const { data, nodes, dur, N } = this;
    const { twEarly, twLate, service } = data;
    const v = this.vehicle;
    const s0 = data.vehShiftStart[v];
    const s1 = data.vehShiftEnd[v];
    const seg = scratch;
    const tail = scratch2;
    for (let p = from; p >= 0; p--) {
      const node = nodes[p];
      if (p === 0) seg.set(0, 0, s0, s1);
      else seg.set(service[node], 0, twEarly[node], twLate[node]);
      tail.set(this.bwdD[p + 1], this.bwdTW[p + 1], this.bwdE[p + 1], this.bwdL[p + 1]);
      seg.concatSeg(dur[node * N + nodes[p + 1]], tail);
      this.bwdD[p] = seg.d;
      this.bwdTW[p] = seg.tw;
      this.bwdE[p] = seg.e;
      this.bwdL[p] = seg.l;
    }
  }

  private ensure(n: number): void {
    if (this.nodes.length >= n) return;
    let cap = this.nodes.length;
    while (cap < n) cap *= 2;
    const grow = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.nodes = grow(this.nodes);
    this.fwdD = grow(this.fwdD);
    this.fwdTW = grow(this.fwdTW);
    this.fwdE = grow(this.fwdE);
    this.fwdL = grow(this.fwdL);
    this.bwdD = grow(this.bwdD);
    this.bwdTW = grow(this.bwdTW);
    this.bwdE = grow(this.bwdE);
    this.bwdL = grow(this.bwdL);
    this.fwdLoad = grow(this.fwdLoad);
    this.fwdCost = grow(this.fwdCost);
  }
}

const scratch = new Segment();
const scratch2 = new Segment();
