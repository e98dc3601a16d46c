import { Rng } from '../structures/rng.ts';
import type { StopCondition } from '../structures/stop.ts';
import type { CareData } from './care-data.ts';
import { Schedule } from './schedule.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';

export interface CareSearchOptions {
  seed?: number;
  stop: StopCondition;
  onImprovement?: (e: { iteration: number; cost: number; routes: number; unassigned: number }) => void;
  /** Average number of visits removed per step (SISR's c̄) and the longest string. */
  averageRemoved?: number;
  maxString?: number;
  blinkRate?: number;
  /** Annealing temperatures as multiples of the first solution's cost per visit. */
  startTemperature?: number;
  finalTemperature?: number;
}

export interface CareSearchResult {
  best: Schedule;
  cost: number;
  iterations: number;
}

/**
 * Ruin and recreate under simulated annealing for home care: adjacent strings around a seed
 * visit and its nearest visits are removed with every sync or dependency partner, then
 * reinserted one by one at their cheapest position (exact cost change across routes, see
 * Schedule), partners right after each other, skipping positions at the blink rate.
 */
export function careSearch(data: CareData, opts: CareSearchOptions): CareSearchResult {
  const rng = new Rng(opts.seed ?? 1);
  const sched = new Schedule(data);
  const blink = opts.blinkRate ?? 0.01;
  const cBar = opts.averageRemoved ?? 10;
  const lMax = opts.maxString ?? 10;

  const all = Array.from({ length: data.n }, (_, v) => v);
  recreate(data, sched, rng, all, blink, 0);
  let best = takeSnapshot(sched);
  let current = takeSnapshot(sched);
  const perVisit = Math.max(sched.cost - sched.penaltyTotal, 1e-9) / Math.max(1, data.n);
  const t0 = (opts.startTemperature ?? 0.5) * perVisit;
  const tf = (opts.finalTemperature ?? 0.005) * perVisit;
  opts.onImprovement?.({ iteration: 0, cost: best.cost, ...counts(sched) });

  let it = 0;
  const removed: number[] = [];
  const inRemoved = new Uint8Array(data.n);
  while (!opts.stop.shouldStop(it)) {
    it++;
    const temperature = t0 * Math.pow(tf / t0, opts.stop.progress(it));
    removed.length = 0;
    ruin(data, sched, rng, cBar, lMax, removed, inRemoved);
    sched.remove(removed);
    for (let v = 0; v < data.n; v++) if (sched.routeOf[v] < 0 && inRemoved[v] === 0) removed.push(v);
    for (const v of removed) inRemoved[v] = 0;
    recreate(data, sched, rng, removed, blink, rng.int(4));
    const cost = sched.cost;
    if (cost < current.cost - temperature * Math.log(rng.next())) {
      current = takeSnapshot(sched, current);
      if (cost < best.cost - 1e-9) {
        best = takeSnapshot(sched, best);
        opts.onImprovement?.({ iteration: it, cost, ...counts(sched) });
      }
    } else restoreSnapshot(sched, current);
  }
  restoreSnapshot(sched, best);
  return { best: sched, cost: best.cost, iterations: it };
}

function counts(s: Schedule): { routes: number; unassigned: number } {
  let unassigned = 0;
  for (const r of s.routeOf) if (r < 0) unassigned++;
  return { routes: s.routes.filter((r) => r.length > 0).length, unassigned };
}

/** SISR-style removal: strings of adjacent visits in the routes of a seed visit's nearest visits, with partners. */
function ruin(
  data: CareData,
  sched: Schedule,
  rng: Rng,
  cBar: number,
  lMax: number,
  out: number[],
  mark: Uint8Array,
): void {
  let placed = 0;
  for (const r of sched.routes) placed += r.length;
  if (placed === 0) return;
  const target = 1 + rng.int(Math.min(placed, 2 * cBar));
  let seed = rng.int(data.n);
  while (sched.routeOf[seed] < 0) seed = (seed + 1) % data.n;
  const ruined = new Set<number>();
  const take = (v: number) => {
    if (mark[v] === 1) return;
    mark[v] = 1;
    out.push(v);
    for (const u of data.partners[v]) if (sched.routeOf[u] >= 0 && mark[u] === 0) take(u);
  };
  const candidates = [seed, ...data.nearest[seed]];
  for (const c of candidates) {
    if (out.length >= target) break;
    const r = sched.routeOf[c];
    if (r < 0 || ruined.has(r) || mark[c] === 1) continue;
    ruined.add(r);
    const route = sched.routes[r];
    const len = Math.min(route.length, 1 + rng.int(lMax), target - out.length);
    const at = sched.pos[c];
    const from = Math.max(0, Math.min(at - rng.int(len), route.length - len));
    for (let k = from; k < from + len; k++) take(route[k]);
  }
}

/** Greedy insertion with blinks in one of four orders: random, latest due first, farthest first, fewest nurses first. */
function recreate(
  data: CareData,
  sched: Schedule,
  rng: Rng,
  visits: number[],
  blink: number,
  order: number,
): void {
  rng.shuffle(visits);
  const V = data.V;
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
  const done = new Uint8Array(data.n);
  // Granular insertion: first the routes of v's nearest visits and the unused routes; all
  // qualified routes only when none of those can take it.
  const near = new Uint8Array(V);
  const place = (v: number) => {
    if (done[v] === 1 || sched.routeOf[v] >= 0) return;
    done[v] = 1;
    let best = Infinity;
    let bestR = -1;
    let bestP = -1;
    near.fill(0);
    for (const u of data.nearest[v]) if (sched.routeOf[u] >= 0) near[sched.routeOf[u]] = 1;
    for (let pass = 0; pass < 2 && bestR < 0; pass++) {
      for (let r = 0; r < V; r++) {
        if (data.canDo[v * V + r] === 0) continue;
        const granular = near[r] === 1 || sched.realCount[r] === 0 || data.isBreak[v] === 1;
        if (pass === 0 ? !granular : granular) continue;
        const len = sched.routes[r].length;
        for (let p = 0; p <= len; p++) {
          if (blink > 0 && rng.next() < blink) continue;
          const delta = sched.evaluateInsert(v, r, p, best);
          if (delta < best) {
            best = delta;
            bestR = r;
            bestP = p;
          }
        }
      }
    }
    if (bestR >= 0 && best < 0) sched.insert(v, bestR, bestP);
    for (const u of data.partners[v]) place(u);
  };
  for (const v of visits) place(v);
}
