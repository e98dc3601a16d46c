import type { Rng } from './rng.ts';

/**
 * SISR's blinks (Christiaens & Vanden Berghe 2020): each insertion position is skipped with
 * probability `rate`. The gap to the next skipped position is drawn at once (geometric), not
 * one random number per position; a visit's scan starts with a fresh gap (`reset`).
 */
export class Blinks {
  private readonly logKeep: number;
  private until = Infinity;
  private rng: Rng | null = null;

  constructor(readonly rate: number) {
    this.logKeep = Math.log1p(-Math.min(rate, 1 - 1e-12));
  }

  /** Starts a visit's scan. */
  reset(rng: Rng | null): void {
    this.rng = rng;
    this.until = this.gap();
  }

  /** Whether the next position is skipped. */
  skip(): boolean {
    if (this.until-- !== 0) return false;
    this.until = this.gap();
    return true;
  }

  /**
   * Passes k positions without looking at them: the same draws as k calls of skip(), so that a
   * scan that leaves out positions it knows are infeasible blinks exactly as a full scan.
   */
  pass(k: number): void {
    while (k > 0) {
      if (this.until >= k) {
        this.until -= k;
        return;
      }
      k -= this.until + 1;
      this.until = this.gap();
    }
  }

  private gap(): number {
    if (this.rate <= 0 || this.rng === null) return Infinity;
    return Math.floor(Math.log(this.rng.next() + 1e-300) / this.logKeep);
  }
}

/** The cheapest place found so far for a visit: route, position in the engine's numbering, cost change. */
export interface Insertion {
  route: number;
  pos: number;
  delta: number;
}

/**
 * What greedy insertion needs of an engine: which routes to try for a visit, the cheapest
 * position of a visit in a route (exact cost change, blinks skipped), and inserting it. The core
 * gives one over duration segments (core/recreate.ts), home care over its cross-route schedule
 * (care/care-recreate.ts).
 */
export interface InsertionSpace {
  readonly numRoutes: number;
  /**
   * The routes worth trying during this recreate, in increasing order (`count` of `ids`), when
   * the engine keeps such a list (the core: used routes and one unused nurse of each type);
   * without it every route 0..numRoutes-1 is asked `tries`.
   */
  readonly routeList?: { readonly ids: Int32Array; readonly count: number };
  /** Whether visit v is already routed. */
  isPlaced(v: number): boolean;
  /** Prepares v's scan (e.g. which routes are near it); `asPartner`: placed right after a partner. */
  begin(v: number, asPartner: boolean): void;
  /**
   * Whether route r is tried for v in pass 0 (first choice) or pass 1 (tried only when pass 0
   * found no place); `passes` is 1 when every route is a first choice.
   */
  tries(v: number, r: number, pass: number): boolean;
  readonly passes: number;
  /** Lowers `best` to v's cheapest position in route r below best.delta, skipping blinked positions. */
  scanRoute(v: number, r: number, blinks: Blinks, best: Insertion): void;
  /** Whether the best place found is worth taking (e.g. cheaper than leaving an optional visit out). */
  accepts(best: Insertion): boolean;
  insert(v: number, best: Insertion): void;
  /** Visits to place right after v, whether or not v found a place (home care's sync and dependency partners). */
  partners?(v: number): ArrayLike<number>;
}

/**
 * Greedy insertion with blinks (SISR's recreate), written once for both engines: visits in the
 * order given (each engine draws its own orders), each at its cheapest place over the routes
 * the engine offers, its partners right after it. Returns how many visits stayed out.
 */
export class GreedyInsertion {
  readonly best: Insertion = { route: -1, pos: -1, delta: Infinity };
  private readonly done: Int32Array;
  private stamp = 0;

  constructor(
    private readonly space: InsertionSpace,
    numVisits: number,
    readonly blinks: Blinks,
  ) {
    this.done = new Int32Array(numVisits);
  }

  /**
   * Inserts `visits` in order; returns how many stayed out, or -1 as soon as the cost they
   * added (each insertion's cost change, `outCost` for each visit left out) reaches `limit`:
   * the caller then gives the step up (insertion costs are not negative where travel keeps
   * the triangle inequality, so the rest could only add more).
   */
  insertAll(visits: readonly number[], rng: Rng, limit = Infinity, outCost = 0): number {
    const stamp = ++this.stamp;
    let out = 0;
    let added = 0;
    const place = (v: number, asPartner: boolean) => {
      if (this.done[v] === stamp || this.space.isPlaced(v)) return;
      this.done[v] = stamp;
      const best = this.bestPlace(v, rng, asPartner);
      if (best.route >= 0 && this.space.accepts(best)) {
        added += best.delta;
        this.space.insert(v, best);
      } else {
        added += outCost;
        out++;
      }
      const partners = this.space.partners?.(v);
      if (partners) for (let i = 0; i < partners.length; i++) place(partners[i], true);
    };
    for (const v of visits) {
      place(v, false);
      if (added >= limit) return -1;
    }
    return out;
  }

  /** v's cheapest place over the routes the engine offers (route -1: none). */
  bestPlace(v: number, rng: Rng | null, asPartner = false): Insertion {
    const { space, best, blinks } = this;
    best.route = -1;
    best.pos = -1;
    best.delta = Infinity;
    blinks.reset(rng);
    space.begin(v, asPartner);
    const list = space.routeList;
    for (let pass = 0; pass < space.passes && best.route < 0; pass++)
      if (list)
        for (let i = 0; i < list.count; i++) {
          const r = list.ids[i];
          if (space.tries(v, r, pass)) space.scanRoute(v, r, blinks, best);
        }
      else
        for (let r = 0; r < space.numRoutes; r++)
          if (space.tries(v, r, pass)) space.scanRoute(v, r, blinks, best);
    return best;
  }
}
