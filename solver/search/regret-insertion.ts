import type { Rng } from './rng.ts';
import { type Blinks, GreedyInsertion, type Insertion, type InsertionSpace } from './recreate.ts';

/**
 * Regret-2 insertion (Ropke & Pisinger 2006) over the same engine interface as greedy insertion:
 * every visit's cheapest place per route is kept, and the visit placed next is the one that
 * would lose most if its best route were taken (the gap between its cheapest and second-cheapest
 * route; a visit with one route left goes first). Only the two cheapest count, so a route is
 * scanned for a place below the second cheapest so far, as greedy insertion bounds its scan by
 * the best so far (a route without one keeps the bound; a visit whose two cheapest include a
 * bound is scanned again before it is ranked). After an insertion only the route it went to
 * is scanned again for the visits still out. A visit keeps, for the call, the routes its first
 * scan offered it (the engine's first choices, or the others when those had no place it
 * accepts): one whose first choices all fill up stays out of this step, where greedy insertion
 * would ask again (a known difference; a fix changed bench:ci's home-care runs by −0.1% to
 * +5% and was not measured at time limits, so it waits). A visit's partners (home care's sync and
 * dependency partners) are placed greedily right after it, as greedy insertion does, and their
 * routes scanned again too. Before a visit is placed its best route is scanned again, so a
 * place that another route's insertion moved (timing arcs across routes) is never taken stale.
 */
export class RegretInsertion {
  private readonly greedy: GreedyInsertion;
  private readonly scratch: Insertion = { route: -1, pos: -1, delta: Infinity };
  /** Per visit of the current call (index i) and route r, at i * R + r: cheapest cost change and position. */
  private delta = new Float64Array(0);
  private pos = new Int32Array(0);
  /** Per visit of the call: the pass (0 or 1) its routes came from. */
  private pass = new Int32Array(0);
  private readonly touched: number[] = [];
  /** The call's visits not yet placed when it starts (index i). */
  private readonly list: number[] = [];
  /** Per visit of the call: still to place; its cheapest and second-cheapest costs over routes, and the cheapest route. */
  private open = new Uint8Array(0);
  private b1 = new Float64Array(0);
  private b2 = new Float64Array(0);
  private b1Route = new Int32Array(0);
  /** Per entry: whether its cost is exact (else a lower bound: the route had no place below it); per visit, whether its two cheapest are. */
  private exact = new Uint8Array(0);
  private sure = new Uint8Array(0);

  constructor(
    private readonly space: InsertionSpace,
    numVisits: number,
    private readonly blinks: Blinks,
  ) {
    this.greedy = new GreedyInsertion(space, numVisits, blinks);
  }

  /** Inserts `visits` by regret; returns how many stayed out. */
  insertAll(visits: readonly number[], rng: Rng): number {
    const { space } = this;
    const R = space.numRoutes;
    const list = this.list;
    list.length = 0;
    for (const v of visits) if (!space.isPlaced(v)) list.push(v);
    const k = list.length;
    if (this.pass.length < k) {
      this.delta = new Float64Array(k * R * 2);
      this.pos = new Int32Array(k * R * 2);
      this.pass = new Int32Array(k * 2);
      this.open = new Uint8Array(k * 2);
      this.b1 = new Float64Array(k * 2);
      this.b2 = new Float64Array(k * 2);
      this.b1Route = new Int32Array(k * 2);
      this.exact = new Uint8Array(k * R * 2);
      this.sure = new Uint8Array(k * 2);
    }
    const { open, b1, b2, b1Route, delta, sure } = this;
    for (let i = 0; i < k; i++) {
      this.scanAll(i, list[i], rng);
      this.summarize(i);
      sure[i] = 1; // its two cheapest are exact (a bound tied with the second is exact enough)
      open[i] = 1;
    }
    let spins = 0;
    let guarded = false;
    for (;;) {
      let pick = -1;
      let pickRegret = -Infinity;
      for (let i = 0; i < k; i++) {
        if (open[i] === 0 || b1[i] === Infinity) continue;
        if (space.isPlaced(list[i])) {
          open[i] = 0; // placed as a partner of an earlier visit
          continue;
        }
        if (sure[i] === 0) {
          // Its two cheapest routes as they are now (the bounds of the last scan fell behind).
          this.scanAll(i, list[i], rng);
          this.summarize(i);
          sure[i] = 1; // a bound tied with the second cheapest is exact enough
          if (b1[i] === Infinity) continue;
        }
        const regret = b2[i] === Infinity ? Number.MAX_VALUE : b2[i] - b1[i];
        if (regret > pickRegret || (regret === pickRegret && b1[i] < b1[pick])) {
          pick = i;
          pickRegret = regret;
        }
      }
      if (pick < 0) break;
      const v = list[pick];
      // Its best route again, as it is now: take the place if it holds, else rank again.
      const r = b1Route[pick];
      const before = b1[pick];
      space.begin(v, false);
      this.rescan(pick, v, r, null, Infinity); // exactly, without blinks: the place as it is now
      const now = delta[pick * R + r];
      if (now > before + 1e-9 || now === Infinity) {
        // Dearer now (an insertion elsewhere moved it): rank again. Each time one cost rises
        // to its exact value, so this ends; the guard only keeps a bug from hanging a solve.
        if (++spins > 4 * (k + 1) * (R + 1)) {
          guarded = true;
          break;
        }
        continue;
      }
      open[pick] = 0;
      const best = this.scratch;
      best.route = r;
      best.pos = this.pos[pick * R + r];
      best.delta = now;
      space.insert(v, best);
      const touched = this.touched;
      touched.length = 0;
      touched.push(r);
      const partners = space.partners?.(v);
      if (partners)
        for (let j = 0; j < partners.length; j++) {
          const u = partners[j];
          if (space.isPlaced(u)) continue;
          const b = this.greedy.bestPlace(u, rng, true);
          if (b.route >= 0 && space.accepts(b)) {
            space.insert(u, b);
            touched.push(b.route);
          }
        }
      for (let i = 0; i < k; i++) {
        if (open[i] === 0 || space.isPlaced(list[i])) continue;
        space.begin(list[i], false);
        for (const q of touched) this.rescan(i, list[i], q, rng);
      }
    }
    let out = 0;
    for (let i = 0; i < k; i++) {
      if (space.isPlaced(list[i])) continue;
      if (guarded && open[i] === 1) {
        const b = this.greedy.bestPlace(list[i], rng);
        if (b.route >= 0 && space.accepts(b)) {
          space.insert(list[i], b);
          continue;
        }
      }
      out++;
    }
    return out;
  }

  /** The cheapest and second-cheapest routes' costs of visit index i, the cheapest route, and whether both are exact. */
  private summarize(i: number): void {
    const R = this.space.numRoutes;
    let c1 = Infinity;
    let c2 = Infinity;
    let route = -1;
    let e1 = 1;
    let e2 = 1;
    for (let r = 0, o = i * R; r < R; r++, o++) {
      const d = this.delta[o];
      // Ties go to exact costs: after a scan the two cheapest are then exact.
      const e = this.exact[o];
      if (d < c1 || (d === c1 && e > e1)) {
        c2 = c1;
        e2 = e1;
        c1 = d;
        e1 = e;
        route = r;
      } else if (d < c2 || (d === c2 && e > e2)) {
        c2 = d;
        e2 = e;
      }
    }
    this.b1[i] = c1;
    this.b2[i] = c2;
    this.b1Route[i] = route;
    this.sure[i] = e1 & e2;
  }

  /**
   * Route r again for visit v (index i; the engine's begin(v) called), within its pass, for a
   * place below `bound` (by default the visit's second-cheapest route; with none, the bound is
   * kept); its summary kept up to date.
   */
  private rescan(i: number, v: number, r: number, rng: Rng | null, bound = this.b2[i]): void {
    const o = i * this.space.numRoutes + r;
    this.delta[o] = Infinity;
    this.exact[o] = 1;
    if (this.space.tries(v, r, this.pass[i])) this.scanRoute(i, v, r, rng, bound);
    this.summarize(i);
  }

  /**
   * Visit v's (index i) cheapest place in every route of its first pass that has any, else of
   * the next. Only the two cheapest count: a route is scanned for a place below the second
   * cheapest so far, and one without keeps that bound (a lower bound, scanned again when it
   * comes to count).
   */
  private scanAll(i: number, v: number, rng: Rng): void {
    const { space } = this;
    const R = space.numRoutes;
    this.delta.fill(Infinity, i * R, i * R + R);
    this.exact.fill(1, i * R, i * R + R);
    space.begin(v, false);
    for (let pass = 0; pass < space.passes; pass++) {
      this.pass[i] = pass;
      let c1 = Infinity;
      let c2 = Infinity;
      for (let r = 0; r < R; r++) {
        if (!space.tries(v, r, pass)) continue;
        const d = this.scanRoute(i, v, r, rng, c2);
        if (d < c1) {
          c2 = c1;
          c1 = d;
        } else if (d < c2) c2 = d;
      }
      if (c1 < Infinity) return;
    }
  }

  /**
   * v's (index i) cheapest place in route r below `bound`, kept and returned: Infinity when the
   * route has none the engine accepts; the bound itself, kept as a lower bound, when it has
   * none below a finite bound.
   */
  private scanRoute(i: number, v: number, r: number, rng: Rng | null, bound = Infinity): number {
    const best = this.scratch;
    best.route = -1;
    best.pos = -1;
    best.delta = bound;
    this.blinks.reset(rng);
    this.space.scanRoute(v, r, this.blinks, best);
    const o = i * this.space.numRoutes + r;
    if (best.route >= 0) {
      this.delta[o] = this.space.accepts(best) ? best.delta : Infinity;
      this.pos[o] = best.pos;
      this.exact[o] = 1;
    } else {
      this.delta[o] = bound;
      this.pos[o] = -1;
      this.exact[o] = bound === Infinity ? 1 : 0;
    }
    return this.delta[o];
  }
}
