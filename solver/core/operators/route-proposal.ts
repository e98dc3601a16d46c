import type { ProblemData } from '../problem-data.ts';
import type { Route } from '../route.ts';
import { Segment } from '../segment.ts';

/**
 * Evaluates a proposed route for nurse `target` built from pieces of existing routes: a prefix,
 * ranges of visits (forward or reversed) and a suffix. Cached prefix and suffix segments make
 * the common pieces O(1); a range costs O(its length). Nothing is allocated.
 */
export class RouteProposal {
  readonly seg = new Segment();
  private readonly tmp = new Segment();
  cost = 0;
  load = 0;
  private last = 0;
  private target!: Route;
  private visits = 0;
  /** False once a visit the target's nurse may not serve was added. */
  private allowed = true;

  constructor(private readonly data: ProblemData) {}

  /** Starts with positions 0..p of `target` itself (its start depot and first p visits). */
  startPrefix(target: Route, p: number): this {
    this.target = target;
    target.prefix(p, this.seg);
    this.cost = target.costTo(p);
    this.load = target.loadTo(p);
    this.last = target.nodes[p];
    this.visits = p;
    this.allowed = true;
    return this;
  }

  /** Appends one visit node. */
  addNode(node: number): this {
    const { target, data } = this;
    const idx = this.last * target.N + node;
    if (data.allowed !== null && !data.canServe(target.vehicle, node)) this.allowed = false;
    this.seg.concat(target.dur[idx], data.service[node], 0, data.twEarly[node], data.twLate[node]);
    this.cost += target.cost[idx];
    this.load += data.demand[node];
    this.last = node;
    this.visits++;
    return this;
  }

  /** Appends positions from..to (inclusive, from <= to) of `src`, in order or reversed. */
  addRange(src: Route, from: number, to: number, reversed = false): this {
    const nodes = src.nodes;
    if (reversed) for (let p = to; p >= from; p--) this.addNode(nodes[p]);
    else for (let p = from; p <= to; p++) this.addNode(nodes[p]);
    return this;
  }

  /** Appends positions p..end (p >= 1) of `src` (its remaining visits) and closes with the target's end depot. */
  endSuffix(src: Route, p: number): this {
    const { target, data } = this;
    const firstNode = src.nodes[p];
    const sameShape = src.dur === target.dur && src.end === target.end && this.sameShift(src);
    if (sameShape) {
      // Another nurse's tail: each of its visits must be hers to serve.
      if (data.allowed !== null && src !== target)
        for (let q = p; q <= src.size && this.allowed; q++)
          this.allowed = data.canServe(target.vehicle, src.nodes[q]);
      const idx = this.last * target.N + firstNode;
      this.seg.concatSeg(target.dur[idx], src.suffix(p, this.tmp));
      this.cost += target.cost[idx] + src.costTo(src.size + 1) - src.costTo(p);
      this.load += src.loadTo(src.size + 1) - src.loadTo(p - 1);
      this.visits += src.size + 1 - p;
      return this;
    }
    for (let q = p; q <= src.size; q++) this.addNode(src.nodes[q]);
    const end = target.end;
    const v = target.vehicle;
    const idx = this.last * target.N + end;
    this.seg.concat(target.dur[idx], 0, 0, data.vehShiftStart[v], data.vehShiftEnd[v]);
    this.cost += target.cost[idx];
    return this;
  }

  /** Closes the route with the target's end depot (nothing more to append). */
  close(): this {
    return this.endSuffix(this.target, this.target.size + 1);
  }

  get feasible(): boolean {
    return this.seg.tw === 0 && this.load <= this.target.capacity && this.allowed;
  }

  /** Arc cost plus the nurse's fixed cost when the proposal serves anyone. */
  get totalCost(): number {
    return this.visits === 0 ? 0 : this.cost + this.data.vehFixedCost[this.target.vehicle];
  }

  private sameShift(src: Route): boolean {
    const { vehShiftStart, vehShiftEnd } = this.data;
    return (
      vehShiftStart[src.vehicle] === vehShiftStart[this.target.vehicle] &&
      vehShiftEnd[src.vehicle] === vehShiftEnd[this.target.vehicle]
    );
  }
}

/** Current cost of a route as the proposals count it (arcs plus fixed cost when used). */
export function routeCost(data: ProblemData, r: Route): number {
  return r.size === 0 ? 0 : r.arcCost + data.vehFixedCost[r.vehicle];
}
