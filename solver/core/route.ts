import type { ProblemData } from './problem-data.ts';
import { Segment } from './segment.ts';

/**
 * The per-position caches of a route, in one Float64Array of STRIDE numbers per position so that
 * a position's prefix and suffix segments, load and cost share a cache line or two (a search
 * scans some forty routes per visit it puts back; separate arrays cost a miss each):
 * prefix segment (FD, FTW, FE, FL), prefix load and arc cost (FLOAD, FCOST), suffix segment
 * (BD, BTW, BE, BL).
 */
export const FD = 0;
export const FTW = 1;
export const FE = 2;
export const FL = 3;
export const FLOAD = 4;
export const FCOST = 5;
export const BD = 6;
export const BTW = 7;
export const BE = 8;
export const BL = 9;
export const STRIDE = 10;

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
  /** Whether `cost` and `dur` are symmetric (ProblemData.symmetric and durSymmetric of this nurse's profile). */
  readonly symmetric: boolean;
  readonly durSymmetric: boolean;
  readonly N: number;

  size = 0;
  nodes: Int32Array;
  /** Position p's caches at p * STRIDE + FD … BL (see STRIDE). */
  cache: Float64Array;

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
    this.durSymmetric = data.durSymmetric[data.vehProfile[vehicle]];
    this.N = data.numNodes;
    const cap = 16;
    this.nodes = new Int32Array(cap);
    this.cache = new Float64Array(cap * STRIDE);
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
    return this.size === 0 ? 0 : this.cache[(this.size + 1) * STRIDE + FCOST];
  }

  get load(): number {
    return this.cache[(this.size + 1) * STRIDE + FLOAD];
  }

  /** Time warp of the whole route: 0 when every window and the shift are kept. */
  get timeWarp(): number {
    return this.cache[(this.size + 1) * STRIDE + FTW];
  }

  /** Arc cost from the start to position p. */
  costTo(p: number): number {
    return this.cache[p * STRIDE + FCOST];
  }

  /** Load of positions 0..p. */
  loadTo(p: number): number {
    return this.cache[p * STRIDE + FLOAD];
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
    const { nodes, cache: c } = this;
    // Shifted by hand: routes are short, and only the suffix segments need to move (the
    // prefixes from `pos` on are recomputed); a copyWithin call costs more than the copy.
    for (let p = this.size + 1; p >= pos; p--) {
      nodes[p + 1] = nodes[p];
      const i = p * STRIDE;
      const j = i + STRIDE;
      c[j + BD] = c[i + BD];
      c[j + BTW] = c[i + BTW];
      c[j + BE] = c[i + BE];
      c[j + BL] = c[i + BL];
    }
    nodes[pos] = node;
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
    this.cache.set(o.cache.subarray(0, n * STRIDE));
  }

  /** Loads the prefix segment (positions 0..p) into s. */
  prefix(p: number, s: Segment): Segment {
    const c = this.cache;
    const i = p * STRIDE;
    return s.set(c[i + FD], c[i + FTW], c[i + FE], c[i + FL]);
  }

  /** Loads the suffix segment (positions p..size+1) into s. */
  suffix(p: number, s: Segment): Segment {
    const c = this.cache;
    const i = p * STRIDE;
    return s.set(c[i + BD], c[i + BTW], c[i + BE], c[i + BL]);
  }

  /** Rebuilds every cache in O(size). */
  update(): void {
    const last = this.size + 1;
    this.nodes[last] = this.end;
    const v = this.vehicle;
    const s0 = this.data.vehShiftStart[v];
    const s1 = this.data.vehShiftEnd[v];
    const c = this.cache;
    c[FD] = 0;
    c[FTW] = 0;
    c[FE] = s0;
    c[FL] = s1;
    c[FLOAD] = 0;
    c[FCOST] = 0;
    this.forwardFrom(1);
    const i = last * STRIDE;
    c[i + BD] = 0;
    c[i + BTW] = 0;
    c[i + BE] = s0;
    c[i + BL] = s1;
    this.backwardFrom(last - 1);
  }

  /** Prefix caches of positions from..size+1, from those of position from - 1. */
  private forwardFrom(from: number): void {
    const { data, nodes, dur, cost, N, cache: c } = this;
    const { twEarly, twLate, service, demand } = data;
    const last = this.size + 1;
    const v = this.vehicle;
    const s0 = data.vehShiftStart[v];
    const s1 = data.vehShiftEnd[v];
    const seg = this.prefix(from - 1, scratch);
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
      const i = p * STRIDE;
      c[i + FD] = seg.d;
      c[i + FTW] = seg.tw;
      c[i + FE] = seg.e;
      c[i + FL] = seg.l;
      c[i + FLOAD] = c[i - STRIDE + FLOAD] + (isDepot ? 0 : demand[node]);
      c[i + FCOST] = c[i - STRIDE + FCOST] + cost[prev * N + node];
    }
  }

  /** Suffix caches of positions from..0, from those of position from + 1: seg(p..last) = node(p) ⊕ seg(p+1..last). */
  private backwardFrom(from: number): void {
    const { data, nodes, dur, N, cache: c } = this;
    const { twEarly, twLate, service } = data;
    const v = this.vehicle;
    const s0 = data.vehShiftStart[v];
    const s1 = data.vehShiftEnd[v];
    const seg = scratch;
    for (let p = from; p >= 0; p--) {
      const node = nodes[p];
      if (p === 0) seg.set(0, 0, s0, s1);
      else seg.set(service[node], 0, twEarly[node], twLate[node]);
      const j = (p + 1) * STRIDE;
      seg.concat(dur[node * N + nodes[p + 1]], c[j + BD], c[j + BTW], c[j + BE], c[j + BL]);
      const i = p * STRIDE;
      c[i + BD] = seg.d;
      c[i + BTW] = seg.tw;
      c[i + BE] = seg.e;
      c[i + BL] = seg.l;
    }
  }

  private ensure(n: number): void {
    if (this.nodes.length >= n) return;
    let cap = this.nodes.length;
    while (cap < n) cap *= 2;
    const nodes = new Int32Array(cap);
    nodes.set(this.nodes);
    this.nodes = nodes;
    const cache = new Float64Array(cap * STRIDE);
    cache.set(this.cache);
    this.cache = cache;
  }
}

const scratch = new Segment();
