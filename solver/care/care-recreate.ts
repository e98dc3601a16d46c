import type { Rng } from '../search/rng.ts';
import { Blinks, GreedyInsertion, type Insertion, type InsertionSpace } from '../search/recreate.ts';
import { RegretInsertion } from '../search/regret-insertion.ts';
import type { CareData } from './care-data.ts';
import type { Schedule } from './schedule.ts';

/**
 * Home care's side of greedy insertion (search/recreate.ts): a visit is offered the nurses who
 * may do it, granular first (the routes of its nearest visits and the unused routes; all of
 * them only when none of those can take it), positions by the schedule's exact cost change
 * across routes, and its sync and dependency partners right after it. A visit carried over from
 * earlier steps is offered only the routes the step changed (it did not fit the others).
 */
class CareInsertionSpace implements InsertionSpace {
  readonly numRoutes: number;
  readonly passes = 2;
  /** Whether this recreate is granular (else every qualified route is a first choice). */
  granular = true;
  /** The step's visits left out before it, and the routes it changed (set by CareRecreate.recreate). */
  carried: Uint8Array = new Uint8Array(0);
  changed: Uint8Array = new Uint8Array(0);
  private readonly near: Uint8Array;
  private lastEnd = 0;

  constructor(
    private readonly data: CareData,
    private readonly sched: Schedule,
  ) {
    this.numRoutes = data.V;
    this.near = new Uint8Array(data.V);
  }

  isPlaced(v: number): boolean {
    return this.sched.routeOf[v] >= 0;
  }

  begin(v: number, asPartner: boolean): void {
    const { data, sched, near } = this;
    if (asPartner) this.carried[v] = 0; // next to a partner just placed, it may fit anywhere
    this.lastEnd = data.lastWindowEnd(v) + 1e-9;
    near.fill(0);
    for (const u of data.nearest[v]) if (sched.routeOf[u] >= 0) near[sched.routeOf[u]] = 1;
  }

  tries(v: number, r: number, pass: number): boolean {
    const { data, sched } = this;
    if (data.canDo[v * data.V + r] === 0 || (this.carried[v] === 1 && this.changed[r] === 0)) return false;
    const first = !this.granular || this.near[r] === 1 || sched.realCount[r] === 0 || data.isBreak[v] === 1;
    if (pass === 0 ? !first : first) return false;
    return sched.canInsertInto(v, r);
  }

  scanRoute(v: number, r: number, blinks: Blinks, best: Insertion): void {
    const { data, sched, lastEnd } = this;
    const V = data.V;
    const visit = data.isBreak[v] === 0;
    const route = sched.routes[r];
    const len = route.length;
    const latest = sched.latest.of(r);
    const service = data.service[v * V + r];
    // Latest starts rise along a route: before the first visit whose latest start leaves
    // room for v's care from its first window's opening, only a break can follow v (its
    // latest start counts on a leg that v changes).
    const firstFit = visit ? firstRoom(latest, len, data.firstWindowStart(v) + service - 1e-9) : 0;
    const endNode = data.nurseEnd[r];
    const shiftLimit = data.shiftEnd[r] + data.overtimeMax[r] + 1e-9;
    // Travel times of r's nurse (CareData.travelTime, read directly: this loop is the recreate's
    // hot path) and v's windows.
    const time = data.time[data.nurseProfile[r]];
    const L = data.L;
    const fromV = v * L;
    const { isBreak, winStart, winEnd } = data;
    const w0 = data.winOff[v];
    const w1 = data.winOff[v + 1];
    const starts = sched.start;
    // The task before position p ends at `ready`; the last visit (not a break) up to it is `node`.
    let node = data.nurseStart[r];
    let ready = data.shiftStart[r];
    for (let p = 0; p <= len; p++) {
      if (p > 0) {
        const x = route[p - 1];
        if (isBreak[x] === 0) node = x;
        ready = starts[x] + data.service[x * V + r];
      }
      if (p < firstFit && isBreak[route[p]] === 0) {
        blinks.skip();
        continue;
      }
      // Tasks start in order along a route: once the one before ends after v's last window
      // closes, no later position can take v either.
      if (p > 0 && visit && ready > lastEnd) break;
      if (blinks.skip()) continue;
      // Hard windows and the shift's end first, in O(1) (LatestStarts.fits for one visit):
      // most positions fail there.
      if (visit) {
        // CareData.earliestIn: the first window v can still start in.
        const arrive = ready + time[node * L + v];
        let t = Infinity;
        for (let w = w0; w < w1; w++)
          if (arrive <= winEnd[w] + 1e-9) {
            t = arrive < winStart[w] ? winStart[w] : arrive;
            break;
          }
        if (t === Infinity) continue;
        t += service;
        if (p < len) {
          const y = route[p];
          if (isBreak[y] === 0 && t + time[fromV + y] > latest[p] + 1e-9) continue;
        } else if (t + (endNode >= 0 ? time[fromV + endNode] : 0) > shiftLimit) continue;
      }
      const delta = sched.evaluateInsertAt(v, r, p, best.delta);
      if (delta < best.delta) {
        best.delta = delta;
        best.route = r;
        best.pos = p;
      }
    }
  }

  /** Only a place cheaper than leaving the visit out (its penalty is in the cost change). */
  accepts(best: Insertion): boolean {
    return best.delta < 0;
  }

  insert(v: number, best: Insertion): void {
    this.sched.insert(v, best.route, best.pos);
  }

  partners(v: number): readonly number[] {
    return this.data.partners[v];
  }
}

/** Greedy insertion with blinks for home care, in one of four orders (random, latest due first, farthest first, fewest nurses first), or regret insertion. */
export class CareRecreate {
  private readonly space: CareInsertionSpace;
  private readonly insertion: GreedyInsertion;
  private readonly regret: RegretInsertion;

  constructor(
    private readonly data: CareData,
    sched: Schedule,
    blinkRate: number,
  ) {
    this.space = new CareInsertionSpace(data, sched);
    this.insertion = new GreedyInsertion(this.space, data.n, new Blinks(blinkRate));
    this.regret = new RegretInsertion(this.space, data.n, new Blinks(blinkRate));
  }

  /**
   * Inserts `visits` (reordered in place) in the given order (0-3; 4: by regret), `lead` (when
   * given) first after the breaks, granular or not; `carried` marks visits left out before this step,
   * offered only the routes marked in `changed`.
   */
  recreate(
    rng: Rng,
    visits: number[],
    order: number,
    granular: boolean,
    carried: Uint8Array,
    changed: Uint8Array,
    lead = -1,
  ): number {
    this.sort(visits, rng, order);
    // The lead visit right after the breaks (they stay first). Regret ranks by itself: there
    // the order only breaks ties.
    const at = lead >= 0 ? visits.indexOf(lead) : -1;
    if (at > 0) {
      let k = at;
      while (k > 0 && this.data.isBreak[visits[k - 1]] === 0) {
        visits[k] = visits[k - 1];
        k--;
      }
      visits[k] = lead;
    }
    const space = this.space;
    space.granular = granular;
    space.carried = carried;
    space.changed = changed;
    return order >= 4 ? this.regret.insertAll(visits, rng) : this.insertion.insertAll(visits, rng);
  }

  private sort(visits: number[], rng: Rng, order: number): void {
    const data = this.data;
    const V = data.V;
    rng.shuffle(visits);
    if (order === 1) visits.sort((a, b) => data.due[a] - data.due[b]);
    else if (order === 2) {
      const far = (v: number) => (data.isBreak[v] === 1 ? 0 : data.travelTime(0, data.nurseStart[0], v));
      visits.sort((a, b) => far(b) - far(a));
    } else if (order === 3) {
      const nurses = (v: number) => {
        let k = 0;
        for (let r = 0; r < V; r++) k += data.canDo[v * V + r];
        return k;
      };
      visits.sort((a, b) => nurses(a) - nurses(b));
    }
    // Breaks first: a working nurse takes hers, visits fit around them.
    if (visits.some((v) => data.isBreak[v] === 1)) visits.sort((a, b) => data.isBreak[b] - data.isBreak[a]);
  }
}

/** The first position k < len whose latest start is at least t (len when none): latest starts rise along a route. */
function firstRoom(latest: readonly number[], len: number, t: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (latest[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
