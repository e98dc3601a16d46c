import type { LocationInput, ObjectiveName, ProblemInput } from '../model/input.ts';
import { Travel } from '../model/travel.ts';
import { validateProblem } from '../model/validate.ts';

/** Internal time precision: ticks per input time unit (1/1000 of a minute by default). */
export const TIME_SCALE = 1000;
/** Internal cost precision: integer cost units per input distance or time unit. */
export const COST_SCALE = 1000;
/**
 * Most an insertion's cost change (three arcs, each rounded to an integer) can fall below the
 * true change, in integer cost units, where costs keep the triangle inequality.
 */
export const MAX_ROUNDING_GAIN = 2;
const EPS = 1e-7;

/**
 * The problem, normalized once into immutable flat typed arrays with integer indices
 * (the PyVRP `ProblemData` idea). Node indices: depots first (each distinct nurse start or
 * end location, plus one virtual all-zero node for open ends), then one node per visit.
 * Times are integer ticks (TIME_SCALE per unit); travel times are rounded up and window ends
 * down, so a plan feasible here is feasible in the input's double precision too.
 */
export class ProblemData {
  readonly input: ProblemInput;
  readonly travel: Travel;
  readonly objective: ObjectiveName;
  readonly numDepots: number;
  readonly numClients: number;
  readonly numNodes: number;
  readonly numVehicles: number;
  readonly numProfiles: number;

  /** Per node (depots have [0, +inf) windows and no service). */
  readonly twEarly: Int32Array;
  readonly twLate: Int32Array;
  readonly service: Int32Array;
  readonly demand: Int32Array;
  /** Input location of each node (the virtual open-end node has none). */
  readonly nodeLocation: (LocationInput | null)[];

  /** Per profile, numNodes x numNodes row-major: travel ticks and objective arc cost. */
  readonly durations: Int32Array[];
  readonly arcCosts: Int32Array[];
  /**
   * Per profile: whether the arc costs are symmetric (reversing a string keeps its cost), and
   * whether the travel ticks are (a search then reads a visit's column as its row). Where a
   * profile's arc costs equal its travel ticks (distance objective on travel at speed 1 in
   * whole thousandths, e.g. a matrix in tenths), both are one array: half the memory a search
   * reads across.
   */
  readonly symmetric: boolean[];
  readonly durSymmetric: boolean[];
  /**
   * The most putting a visit between two others can lower a route's arc cost, in integer cost
   * units (c(a,v) + c(v,b) - c(a,b) >= -insertionGain), or null where nothing bounds it:
   * MAX_ROUNDING_GAIN where every place is given by coordinates (their costs keep the triangle
   * inequality up to rounding to integers), on a matrix only as far as the caller vouches for
   * it (the `triangleSlack` option). Lets a search without local search give up a step early
   * (core-search.ts).
   */
  readonly insertionGain: number | null;

  /** Per vehicle (nurse). */
  readonly vehStart: Int32Array;
  readonly vehEnd: Int32Array;
  readonly vehShiftStart: Int32Array;
  readonly vehShiftEnd: Int32Array;
  readonly vehCapacity: Int32Array;
  readonly vehProfile: Int32Array;
  readonly vehFixedCost: Float64Array;
  /**
   * Who may serve what (visits' `skills`, `requiredNurse`, `excludedNurses`), vehicle-major:
   * allowed[v * numNodes + node] is 1 when nurse v may serve node; null when anyone may serve
   * anything.
   */
  readonly allowed: Uint8Array | null;
  /** Nurses with the same start, end, shift, capacity, profile, fixed cost and the same visits allowed share a type. */
  readonly vehType: Int32Array;
  readonly numVehicleTypes: number;

  /** Granular neighbourhood: for client node i, its k most related clients (by cost and time-window fit). */
  readonly neighbours: Int32Array[];

  /**
   * `validated`: `raw` is what validateProblem returned (not checked again). `triangleSlack`:
   * travel matrices keep the triangle inequality to within this, in their own units
   * (c(a,b) <= c(a,v) + c(v,b) + slack; e.g. 0.1 for Euclidean legs truncated to one decimal,
   * the DIMACS convention); not given, nothing is assumed of a matrix.
   */
  constructor(
    raw: ProblemInput,
    options: {
      objective?: ObjectiveName;
      neighbours?: number;
      validated?: boolean;
      triangleSlack?: number;
    } = {},
  ) {
    const input = options.validated === true ? raw : validateProblem(raw);
    this.input = input;
    // One default for both engines: travel time (docs/problem-format.md, "Objective").
    this.objective = options.objective ?? input.objective ?? 'duration';
    const travel = new Travel(input);
    this.travel = travel;

    // Depot nodes: distinct nurse locations, then the virtual open end if any nurse needs it.
    const depotKeys = new Map<string, number>();
    const depotLocs: (LocationInput | null)[] = [];
    const depotOf = (loc: LocationInput): number => {
      const key = JSON.stringify(loc);
      let k = depotKeys.get(key);
      if (k === undefined) {
        k = depotLocs.length;
        depotKeys.set(key, k);
        depotLocs.push(loc);
      }
      return k;
    };
    const starts = input.nurses.map((n) => depotOf(n.start));
    const ends = input.nurses.map((n) => (n.end === null ? -1 : depotOf(n.end ?? n.start)));
    if (ends.includes(-1)) depotLocs.push(null);
    const openEnd = depotLocs.length - 1;

    this.numDepots = depotLocs.length;
    this.numClients = input.visits.length;
    this.numNodes = this.numDepots + this.numClients;
    this.numVehicles = input.nurses.length;
    this.numProfiles = travel.profileNames.length;
    const N = this.numNodes;
    this.nodeLocation = [...depotLocs, ...input.visits.map((v) => v.location)];
    const byCoordinates = this.nodeLocation.every((l) => l === null || !('index' in l));
    const slack = options.triangleSlack;
    this.insertionGain = byCoordinates
      ? MAX_ROUNDING_GAIN
      : slack !== undefined && Number.isFinite(slack) && slack >= 0
        ? Math.ceil(slack * COST_SCALE) + MAX_ROUNDING_GAIN
        : null;

    this.twEarly = new Int32Array(N);
    this.twLate = new Int32Array(N).fill(2 ** 31 - 1);
    this.service = new Int32Array(N);
    this.demand = new Int32Array(N);
    input.visits.forEach((v, k) => {
      const i = this.numDepots + k;
      const w = v.timeWindows?.[0];
      if (w !== undefined) {
        this.twEarly[i] = Math.ceil(w.start * TIME_SCALE - EPS);
        this.twLate[i] = Math.floor(w.end * TIME_SCALE + EPS);
      }
      this.service[i] = Math.ceil((v.duration ?? 0) * TIME_SCALE - EPS);
      this.demand[i] = Math.round(v.demand ?? 0);
    });

    this.durations = [];
    this.arcCosts = [];
    // `vehicles` minimizes travel time once the routes are fewest, like `duration`.
    const useDistance = this.objective === 'distance';
    for (let p = 0; p < this.numProfiles; p++) {
      const dur = new Int32Array(N * N);
      const cost = new Int32Array(N * N);
      for (let i = 0; i < N; i++) {
        const a = this.nodeLocation[i];
        if (a === null) continue;
        for (let j = 0; j < N; j++) {
          const b = this.nodeLocation[j];
          if (b === null || i === j) continue;
          const t = travel.duration(p, a, b);
          dur[i * N + j] = Math.ceil(t * TIME_SCALE - EPS);
          cost[i * N + j] = Math.round((useDistance ? travel.distance(p, a, b) : t) * COST_SCALE);
        }
      }
      this.durations.push(dur);
      this.arcCosts.push(sameValues(cost, dur) ? dur : cost);
    }

    this.symmetric = this.arcCosts.map((c) => isSymmetric(c, N));
    this.durSymmetric = this.durations.map((d, p) =>
      d === this.arcCosts[p] ? this.symmetric[p] : isSymmetric(d, N),
    );

    const V = this.numVehicles;
    this.vehStart = Int32Array.from(starts);
    this.vehEnd = Int32Array.from(ends, (e) => (e < 0 ? openEnd : e));
    this.vehShiftStart = new Int32Array(V);
    this.vehShiftEnd = new Int32Array(V).fill(2 ** 31 - 1);
    this.vehCapacity = new Int32Array(V).fill(2 ** 31 - 1);
    this.vehProfile = new Int32Array(V);
    this.vehFixedCost = new Float64Array(V);
    input.nurses.forEach((n, v) => {
      if (n.shift) {
        this.vehShiftStart[v] = Math.ceil(n.shift.start * TIME_SCALE - EPS);
        this.vehShiftEnd[v] = Math.floor(n.shift.end * TIME_SCALE + EPS);
      }
      if (n.capacity !== undefined) this.vehCapacity[v] = Math.round(n.capacity);
      this.vehProfile[v] = travel.profileIndex(n.profile);
      this.vehFixedCost[v] = Math.round((n.fixedCost ?? 0) * COST_SCALE);
    });

    const access = allowedVisits(input, this.numDepots, N);
    this.allowed = access?.allowed ?? null;

    const typeKeys = new Map<string, number>();
    this.vehType = Int32Array.from({ length: V }, (_, v) => {
      const key = [
        this.vehStart[v],
        this.vehEnd[v],
        this.vehShiftStart[v],
        this.vehShiftEnd[v],
        this.vehCapacity[v],
        this.vehProfile[v],
        this.vehFixedCost[v],
        access?.key[v] ?? '',
      ].join(',');
      if (!typeKeys.has(key)) typeKeys.set(key, typeKeys.size);
      return typeKeys.get(key)!;
    });
    this.numVehicleTypes = typeKeys.size;

    this.neighbours = this.buildNeighbours(options.neighbours ?? 40);
  }

  /** Vidal et al. (2013) correlation: cost plus weighted waiting time and time warp of going i -> j. */
  private buildNeighbours(k: number): Int32Array[] {
    const { numDepots: D, numNodes: N } = this;
    const cost = this.arcCosts[0];
    const dur = this.durations[0];
    const out: Int32Array[] = [];
    const size = Math.min(k, this.numClients - 1);
    const score = new Float64Array(N);
    const order: number[] = [];
    for (let i = D; i < N; i++) {
      order.length = 0;
      for (let j = D; j < N; j++) {
        if (j === i) continue;
        const t = dur[i * N + j];
        const wait = Math.max(this.twEarly[j] - t - this.service[i] - this.twLate[i], 0);
        const warp = Math.max(this.twEarly[i] + this.service[i] + t - this.twLate[j], 0);
        const symmetric = Math.min(cost[i * N + j], cost[j * N + i]);
        score[j] = symmetric + (0.2 * wait + warp) * (COST_SCALE / TIME_SCALE);
        order.push(j);
      }
      order.sort((a, b) => score[a] - score[b] || a - b);
      out.push(Int32Array.from(order.slice(0, size)));
    }
    return out;
  }

  /** Whether nurse v may serve node (depots: always). */
  canServe(v: number, node: number): boolean {
    return this.allowed === null || this.allowed[v * this.numNodes + node] === 1;
  }

  isClient(node: number): boolean {
    return node >= this.numDepots;
  }

  /** The visit index (position in input.visits) of a client node. */
  visitIndex(node: number): number {
    return node - this.numDepots;
  }
}

/**
 * The visits each nurse may serve, when any visit restricts it, with a key per nurse that is
 * equal for two nurses exactly when they may serve the same visits: her skills, and her id
 * when a visit names her.
 */
function allowedVisits(
  input: ProblemInput,
  numDepots: number,
  numNodes: number,
): { allowed: Uint8Array; key: string[] } | null {
  const { nurses, visits } = input;
  if (
    !visits.some(
      (v) =>
        (v.skills?.length ?? 0) > 0 || v.requiredNurse !== undefined || (v.excludedNurses?.length ?? 0) > 0,
    )
  )
    return null;
  const skills = nurses.map((n) => new Set(n.skills ?? []));
  const named = new Set<string>();
  for (const v of visits) {
    if (v.requiredNurse !== undefined) named.add(v.requiredNurse);
    for (const id of v.excludedNurses ?? []) named.add(id);
  }
  const allowed = new Uint8Array(nurses.length * numNodes);
  nurses.forEach((n, k) => {
    const row = k * numNodes;
    allowed.fill(1, row, row + numDepots);
    visits.forEach((v, i) => {
      const ok =
        (v.skills ?? []).every((s) => skills[k].has(s)) &&
        (v.requiredNurse === undefined || v.requiredNurse === n.id) &&
        !(v.excludedNurses ?? []).includes(n.id);
      allowed[row + numDepots + i] = ok ? 1 : 0;
    });
  });
  const key = nurses.map(
    (n, k) => [...skills[k]].sort().join('\u0000') + (named.has(n.id) ? `#${n.id}` : ''),
  );
  return { allowed, key };
}

function sameValues(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether the N x N row-major matrix m is symmetric. */
function isSymmetric(m: Int32Array, N: number): boolean {
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (m[i * N + j] !== m[j * N + i]) return false;
  return true;
}
