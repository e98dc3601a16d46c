import type { Rng } from './rng.ts';

/**
 * What string removal reads of a solution: routes as sequences of visits (positions from 0,
 * depots apart). Both engines give one over their own solution (core: Solution; home care:
 * Schedule), so the removal is written once.
 */
export interface RouteView {
  /** Route of visit v, or -1 when it is not routed. */
  routeOf(v: number): number;
  /** Position of routed visit v in its route. */
  positionOf(v: number): number;
  /** Number of visits in route r. */
  length(r: number): number;
  /** The visit at position k of route r. */
  visitAt(r: number, k: number): number;
}

export interface StringParams {
  /** Average number of removed visits (c̄ in SISR). */
  avgRemoved: number;
  /** Maximum string length (L_max). */
  maxString: number;
  /** Probability of the split-string variant (α). */
  splitRate: number;
  /** Split depth (β): how often the preserved part grows. */
  splitDepth: number;
}

/** SISR's published settings (c̄ 10, L_max 10, α 0.5, β 0.01), the default of both engines. */
export const DEFAULT_STRINGS: StringParams = {
  avgRemoved: 10,
  maxString: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
};

/**
 * Slack Induction by String Removals (Christiaens & Vanden Berghe 2020): strings of consecutive
 * visits from the routes of a seed visit and of its nearest visits, so the freed room is local.
 * `begin` draws how many routes a removal touches; `removeStrings` takes one string (or split
 * string, with some kept visits inside) from each of them, handing every visit to `take`: the
 * caller removes them afterwards, so positions hold while strings are chosen.
 */
export class StringRemoval {
  private readonly ruined: Int32Array;
  private stamp = 0;
  private lsMax = 1;

  constructor(
    numRoutes: number,
    private readonly params: StringParams,
  ) {
    this.ruined = new Int32Array(numRoutes);
  }

  /**
   * Starts a removal from a solution of `visits` visits in `used` routes: returns the number of
   * routes to ruin (SISR's k_s), drawn from [1, 4c̄/(1 + l_s,max) − 1].
   */
  begin(used: number, visits: number, rng: Rng): number {
    this.stamp++;
    this.lsMax = Math.min(this.params.maxString, visits / Math.max(1, used));
    const ksMax = (4 * this.params.avgRemoved) / (1 + this.lsMax) - 1;
    return Math.floor(rng.next() * ksMax) + 1;
  }

  /** Marks route r as ruined already in this removal (no string is taken from it). */
  markRuined(r: number): void {
    this.ruined[r] = this.stamp;
  }

  /**
   * Takes strings from the routes of `candidates` (the seed first, then its neighbours by
   * increasing distance) until `routes` routes are ruined; returns how many were.
   */
  removeStrings(
    view: RouteView,
    candidates: Iterable<number>,
    routes: number,
    rng: Rng,
    take: (v: number) => void,
  ): number {
    let count = 0;
    for (const c of candidates) {
      if (count >= routes) break;
      const r = view.routeOf(c);
      if (r < 0 || this.ruined[r] === this.stamp) continue;
      this.ruined[r] = this.stamp;
      count++;
      const size = view.length(r);
      const lt = Math.floor(rng.next() * Math.min(size, this.lsMax)) + 1;
      const pos = view.positionOf(c);
      if (lt < size && rng.next() < this.params.splitRate) this.splitString(view, r, pos, lt, rng, take);
      else {
        const first = chooseStart(size, pos, lt, rng);
        for (let k = first; k < first + lt; k++) take(view.visitAt(r, k));
      }
    }
    return count;
  }

  /** A string of len + m visits around pos, of which m consecutive ones are kept. */
  private splitString(
    view: RouteView,
    r: number,
    pos: number,
    len: number,
    rng: Rng,
    take: (v: number) => void,
  ): void {
    const size = view.length(r);
    let m = 1;
    while (len + m < size && rng.next() < 1 - this.params.splitDepth) m++;
    const total = len + m;
    const first = chooseStart(size, pos, total, rng);
    const keepFrom = first + rng.int(len + 1); // m kept visits start somewhere inside the string
    for (let k = first; k < first + total; k++)
      if (k < keepFrom || k >= keepFrom + m) take(view.visitAt(r, k));
  }
}

/** The seed visit, then its nearest visits in order: the candidates of removeStrings. */
export function* seedThenNearest(seed: number, nearest: ArrayLike<number>): Generator<number> {
  yield seed;
  for (let k = 0; k < nearest.length; k++) yield nearest[k];
}

/** First position of a window of `len` positions in 0..size-1 that contains `pos`. */
function chooseStart(size: number, pos: number, len: number, rng: Rng): number {
  const lo = Math.max(0, pos - len + 1);
  const hi = Math.min(pos, size - len);
  return lo + rng.int(hi - lo + 1);
}
