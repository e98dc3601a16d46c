import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import type { Solution } from './solution.ts';

export interface RuinParams {
  /** Average number of removed visits (c̄ in SISR). */
  avgRemoved: number;
  /** Maximum string length (L_max). */
  maxString: number;
  /** Probability of the split-string variant (α). */
  splitRate: number;
  /** Split depth (β): how often the preserved part grows. */
  splitDepth: number;
  /**
   * Share of steps that remove one whole route instead (the smaller of two used routes drawn at
   * random): the distance objective gives no pull towards fewer routes, and emptying a route
   * is the one removal that can take one away. Off by default: at 0.05 it helps clustered and
   * wide-window instances and hurts r2, whose best solutions use more routes than the fewest
   * (docs/benchmarks.md, "Route removal").
   */
  routeRate: number;
}

export const DEFAULT_RUIN: RuinParams = {
  avgRemoved: 10,
  maxString: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
  routeRate: 0,
};

/**
 * Slack Induction by String Removals (Christiaens & Vanden Berghe 2020): removes strings of
 * consecutive visits from routes near a random seed visit, so the freed room is local.
 */
export class StringRemoval {
  private readonly adjacency: Int32Array[];
  private readonly ruinedRoutes: Int32Array;
  private stamp = 0;

  constructor(
    private readonly data: ProblemData,
    private readonly params: RuinParams = DEFAULT_RUIN,
  ) {
    this.adjacency = buildAdjacency(data, 150);
    this.ruinedRoutes = new Int32Array(data.numVehicles);
  }

  /** Removes visits from `sol`, appends them to `removed`, adds touched routes to `touched`. */
  ruin(sol: Solution, rng: Rng, removed: number[], touched: Set<number>): void {
    const { data, params } = this;
    let used = 0;
    let visits = 0;
    for (const r of sol.routes)
      if (r.size > 0) {
        used++;
        visits += r.size;
      }
    if (used === 0) return;
    if (used > 1 && params.routeRate > 0 && rng.next() < params.routeRate) {
      this.removeRoute(sol, rng, removed, touched);
      return;
    }
    const lsMax = Math.min(params.maxString, visits / used);
    const ksMax = (4 * params.avgRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * ksMax) + 1;

    // A random routed seed visit.
    let seed = -1;
    for (let tries = 0; tries < 32 && seed < 0; tries++) {
      const c = data.numDepots + rng.int(data.numClients);
      if (sol.routeOf[c] >= 0) seed = c;
    }
    if (seed < 0) return;
    const stamp = ++this.stamp;
    const adj = this.adjacency[seed - data.numDepots];
    let ruined = 0;
    const start = removed.length;
    for (let k = -1; k < adj.length && ruined < ks; k++) {
      const c = k < 0 ? seed : adj[k];
      const r = sol.routeOf[c];
      if (r < 0 || this.ruinedRoutes[r] === stamp) continue;
      this.ruinedRoutes[r] = stamp;
      ruined++;
      const route = sol.routes[r];
      const ltMax = Math.min(route.size, lsMax);
      const lt = Math.floor(rng.next() * ltMax) + 1;
      const pos = sol.posOf[c];
      if (lt < route.size && rng.next() < params.splitRate) this.splitString(sol, r, pos, lt, rng, removed);
      else this.string(sol, r, pos, lt, rng, removed);
    }
    sol.removeMany(removed.slice(start), touched);
  }

  /** Empties the smaller of two used routes drawn at random. */
  private removeRoute(sol: Solution, rng: Rng, removed: number[], touched: Set<number>): void {
    const used = (): number => {
      for (;;) {
        const r = rng.int(sol.routes.length);
        if (sol.routes[r].size > 0) return r;
      }
    };
    const a = used();
    const b = used();
    const route = sol.routes[sol.routes[a].size <= sol.routes[b].size ? a : b];
    const start = removed.length;
    for (let p = 1; p <= route.size; p++) removed.push(route.nodes[p]);
    sol.removeMany(removed.slice(start), touched);
  }

  /** A string of `len` consecutive visits of route r containing position pos. */
  private string(sol: Solution, r: number, pos: number, len: number, rng: Rng, out: number[]): void {
    const route = sol.routes[r];
    const first = chooseStart(route.size, pos, len, rng);
    for (let p = first; p < first + len; p++) out.push(route.nodes[p]);
  }

  /** A string of len + m visits around pos, of which m consecutive ones are kept. */
  private splitString(sol: Solution, r: number, pos: number, len: number, rng: Rng, out: number[]): void {
    const route = sol.routes[r];
    let m = 1;
    while (len + m < route.size && rng.next() < 1 - this.params.splitDepth) m++;
    const total = len + m;
    const first = chooseStart(route.size, pos, total, rng);
    const keepFrom = first + rng.int(len + 1); // m kept visits start somewhere inside the string
    for (let p = first; p < first + total; p++)
      if (p < keepFrom || p >= keepFrom + m) out.push(route.nodes[p]);
  }
}

/** First position of a window of `len` positions in 1..size that contains `pos`. */
function chooseStart(size: number, pos: number, len: number, rng: Rng): number {
  const lo = Math.max(1, pos - len + 1);
  const hi = Math.min(pos, size - len + 1);
  return lo + rng.int(hi - lo + 1);
}

/** For each visit, the other visits by increasing travel cost (truncated to `limit`). */
function buildAdjacency(data: ProblemData, limit: number): Int32Array[] {
  const { numDepots: D, numNodes: N } = data;
  const cost = data.arcCosts[0];
  const out: Int32Array[] = [];
  const others: number[] = [];
  const key = new Float64Array(N);
  for (let i = D; i < N; i++) {
    others.length = 0;
    for (let j = D; j < N; j++)
      if (j !== i) {
        others.push(j);
        key[j] = cost[i * N + j] + cost[j * N + i];
      }
    others.sort((a, b) => key[a] - key[b] || a - b);
    out.push(Int32Array.from(others.slice(0, limit)));
  }
  return out;
}
