import { Calendar } from '../calendar/calendar.ts';
import { DEFAULT_MIN_REST_MINUTES } from '../calendar/resolve-times.ts';
import type { LocationInput, NurseInput, ProblemInput, VisitInput } from '../model/input.ts';
import { Travel } from '../model/travel.ts';
import { validateProblem } from '../model/validate.ts';
import { breakTask, careDuration, csr, defaultPenalty } from './care-tasks.ts';
import { resolveWeights, type Weights } from '../model/weights.ts';
import { dayMasks, meets, type RouteSpec, routeSpecs } from './nurse-days.ts';
import { nursePositions, previousAssignment } from './replanning.ts';
import { nearestVisits } from './nearest-visits.ts';
import { timingRules } from './timing-rules.ts';

/** Cost of leaving out a mandatory visit inside the search (never reported as a cost). */
export const MANDATORY_PENALTY = 1e9;
/** A break comes before any visit: a nurse who works takes her breaks. */
export const BREAK_PENALTY = 10 * MANDATORY_PENALTY;
/**
 * With `objective: 'vehicles'`, what each working nurse-day costs the search on top of the
 * weighted sum: fewest nurse-days first, then the weighted sum (a mandatory visit left out still
 * costs far more; an optional one is left out when it would take a nurse-day of its own).
 */
export const NURSE_DAY_COST = 1e6;

/**
 * The home-care problem, normalized once into flat typed arrays (visits 0..n-1, nurses 0..V-1).
 * Times stay in the input's unit in double precision: the care engine's figures are the plan's.
 * Location nodes: visit k is node k, then one node per distinct nurse start or end location.
 * Every timing constraint between visits is an arc `start[to] >= start[from] + weight`.
 */
export class CareData {
  readonly input: ProblemInput;
  readonly travel: Travel;
  readonly weights: Weights;
  /** Tasks: the visits 0..nv-1, then the nurses' breaks and unavailable periods nv..n-1. */
  readonly n: number;
  readonly nv: number;
  /** Routes: one per nurse, or one per shift of a nurse with several (a nurse-day). */
  readonly V: number;
  /** Nurses (input.nurses), and per route its nurse, its shift index and its day; per nurse her routes in time order. */
  readonly N: number;
  readonly routeNurse: Int32Array;
  readonly routeShift: Int32Array;
  readonly routeDay: Int32Array;
  readonly nurseRoutes: number[][];
  /** Rules over the horizon per nurse: most working time, least rest between working days, most consecutive working days. */
  readonly contractWork: Float64Array;
  readonly minRest: Float64Array;
  readonly maxDays: Int32Array;
  readonly hasNurseRules: Uint8Array;
  readonly calendar: Calendar | null;
  /** The route of each frozen visit (-1 for the others). */
  readonly frozenRoute: Int32Array;
  /** 1 for a nurse-day already over in a re-plan: it holds its frozen visits and takes nothing new. */
  readonly past: Uint8Array;
  /**
   * Per route, its frozen visits (done or under way), and the working time the plan gives a
   * route with no other visit (from where she is free to her way back): such a day still counts
   * in the rules over the horizon.
   */
  readonly frozenCount: Int32Array;
  readonly frozenWork: Float64Array;
  /**
   * Continuity over the horizon: each visit's patient (-1 for breaks, and for every visit when
   * neither the distinct-nurses term nor a patient's cap applies), each patient's visits and her
   * most distinct nurses.
   */
  readonly patientOf: Int32Array;
  readonly patientVisits: number[][];
  readonly maxNurses: Int32Array;
  readonly patientIds: string[];
  /** 1 for a break task (no location: taken wherever the nurse is); the nurse it belongs to, and its id. */
  readonly isBreak: Uint8Array;
  readonly taskId: string[];
  /** Task index of each visit id. */
  readonly visitIndex: Map<string, number>;
  /** 1 for a visit done or under way: outside the search, shown at the head of its nurse's day. */
  readonly frozen: Uint8Array;
  /** Re-planning: each visit's nurse in the previous plan (-1 none, -2 a nurse gone) and its start there. */
  readonly prevNurse: Int32Array;
  readonly prevStart: Float64Array;
  /** Number of location nodes. */
  readonly L: number;
  readonly nodeLocation: LocationInput[];

  readonly nurseStart: Int32Array;
  /** -1 when the day ends open at the last visit. */
  readonly nurseEnd: Int32Array;
  readonly nurseProfile: Int32Array;
  readonly shiftStart: Float64Array;
  readonly shiftEnd: Float64Array;
  readonly overtimeMax: Float64Array;
  readonly overtimeCost: Float64Array;
  readonly maxWork: Float64Array;
  readonly maxVisits: Int32Array;
  readonly capacity: Float64Array;
  readonly costPerHour: Float64Array;
  readonly costPerKm: Float64Array;
  readonly fixedCost: Float64Array;
  /** What the search counts for a working nurse-day: her fixed cost, plus NURSE_DAY_COST with the `vehicles` objective. */
  readonly useCost: Float64Array;
  /** NURSE_DAY_COST with the `vehicles` objective, else 0 (not part of the plan's cost). */
  readonly nurseDayCost: number;

  /** Per profile, L x L row-major travel times; distances only where the objective needs them. */
  readonly time: Float64Array[];
  readonly dist: (Float64Array | null)[];

  /** n x V: care duration of visit v by nurse k at [v * V + k]; eligibility (skills, required, excluded). */
  readonly service: Float64Array;
  readonly canDo: Uint8Array;
  /** 1 where nurse k is among the preferred nurses of visit v's patient; hasPreferred[v] when any. */
  readonly preferred: Uint8Array;
  readonly hasPreferred: Uint8Array;
  /** Hard windows of visit v: winStart/winEnd[winOff[v] .. winOff[v + 1]), sorted by start. */
  readonly winOff: Int32Array;
  readonly winStart: Float64Array;
  readonly winEnd: Float64Array;
  /** Soft latest start (Infinity when none) and the cost per time unit of lateness past it. */
  readonly due: Float64Array;
  readonly lateCost: Float64Array;
  /** Soft earliest start (-Infinity when none): each time unit before it costs `lateCost` too (earliness). */
  readonly release: Float64Array;
  readonly demand: Float64Array;
  readonly penalty: Float64Array;
  readonly mandatory: Uint8Array;

  /** Timing arcs in CSR form by source (out*) and by target (in*), indices into arc*. */
  readonly arcFrom: Int32Array;
  readonly arcTo: Int32Array;
  readonly arcWeight: Float64Array;
  readonly outOff: Int32Array;
  readonly outArcs: Int32Array;
  readonly inOff: Int32Array;
  readonly inArcs: Int32Array;
  /** Visits that must go to a different nurse than v (sync partners, 'different' dependencies), and the same nurse. */
  readonly differentFrom: number[][];
  readonly sameAs: number[][];
  /** Visits linked to v by any sync group or dependency (ruined together). */
  readonly partners: number[][];
  /** Visits by increasing travel time from v, at most `related` of them (for related removal). */
  readonly nearest: Int32Array[];

  /**
   * `validated`: `raw` is what validateProblem returned (not checked again). `lazyTravel`: travel
   * between two places is measured the first time it is read, not for every pair up front (a
   * what-if on a plan reads a few legs per route: the 3,000-visit day's 10 million pairs take a
   * second to measure); for the search, which reads them all, the matrices are filled at once.
   */
  constructor(
    raw: ProblemInput,
    options: { related?: number; validated?: boolean; lazyTravel?: boolean } = {},
  ) {
    const input = options.validated === true ? raw : validateProblem(raw);
    this.input = input;
    this.travel = new Travel(input);
    this.weights = resolveWeights(input);
    this.calendar = Calendar.of(input);
    const { nurses } = input;
    const N = (this.N = nurses.length);
    const nv = (this.nv = input.visits.length);
    const dayLength = input.timeUnit === 'second' ? 86_400 : 1_440;
    const dayOf = (t: number) =>
      !Number.isFinite(t) ? 0 : this.calendar !== null ? this.calendar.dayOf(t) : Math.floor(t / dayLength);
    const nurseSkills = nurses.map((x) => new Set(x.skills ?? []));
    const positions = nursePositions(input, (v, k) => careDuration(v, nurses[k].id, nurseSkills[k]));
    // Routes: one per nurse, or one per shift of a nurse with `shifts` (a nurse-day), in time order.
    const specs = routeSpecs(input, this.calendar, dayOf);
    const V = (this.V = specs.length);
    this.routeNurse = Int32Array.from(specs, (s) => s.nurse);
    this.routeShift = Int32Array.from(specs, (s) => s.shift);
    this.nurseRoutes = nurses.map(() => []);
    specs.forEach((s, r) => this.nurseRoutes[s.nurse].push(r));
    this.routeDay = Int32Array.from(specs, (s) => dayOf(s.window?.start ?? 0));
    // Breaks become tasks only their route may do, inside a window that lets them end in time.
    const breakRoute: number[] = [];
    const breaks: VisitInput[] = [];
    specs.forEach((spec, r) => {
      const id = nurses[spec.nurse].id;
      for (const b of spec.breaks) {
        breaks.push(breakTask(id, b.id, b.duration, b.window));
        breakRoute.push(r);
      }
    });
    const visits: VisitInput[] = [...input.visits, ...breaks];
    const n = (this.n = visits.length);
    this.isBreak = Uint8Array.from(visits, (_, k) => (k >= nv ? 1 : 0));
    this.taskId = visits.map((v) => v.id);
    this.frozen = Uint8Array.from(visits, (v, k) => (k < nv && v.frozen !== undefined ? 1 : 0));
    const previous = previousAssignment(input);
    const visitIndex = new Map(input.visits.map((v, k) => [v.id, k]));
    this.visitIndex = visitIndex;
    const nurseIndex = new Map(nurses.map((x, k) => [x.id, k]));
    // A frozen visit belongs to its nurse's route whose shift it starts in (the last begun by then).
    this.frozenRoute = Int32Array.from(visits, (v, x) => {
      if (x >= nv || v.frozen === undefined) return -1;
      return this.routeAt(nurseIndex.get(v.frozen.nurse)!, v.frozen.start, specs);
    });
    this.prevNurse = Int32Array.from({ length: n }, (_, k) => (k < nv ? previous.nurse[k] : -1));
    this.prevStart = Float64Array.from({ length: n }, (_, k) => (k < nv ? previous.start[k] : NaN));

    // Location nodes: visits, then distinct nurse locations.
    const locs: LocationInput[] = input.visits.map((v) => v.location);
    const depotKeys = new Map<string, number>();
    const depot = (loc: LocationInput): number => {
      const key = JSON.stringify(loc);
      let k = depotKeys.get(key);
      if (k === undefined) depotKeys.set(key, (k = locs.push(loc) - 1));
      return k;
    };
    // Re-planning: where she is now applies to the route she is in then (or her only one), and
    // nothing of hers starts before that time.
    const positionRoute = positions.map((p, k) =>
      p === undefined
        ? -1
        : nurses[k].shifts === undefined
          ? (this.nurseRoutes[k][0] ?? -1)
          : this.routeAt(k, p.time, specs, true),
    );
    // A past nurse-day (her shift over before where she is now): only its frozen visits, from
    // the end of the last of them.
    const pastEnd = new Float64Array(V).fill(-Infinity);
    const pastAt: (LocationInput | undefined)[] = new Array(V);
    this.past = Uint8Array.from(specs, (s) => {
      const p = positions[s.nurse];
      return nurses[s.nurse].shifts !== undefined && p !== undefined && (s.window?.end ?? Infinity) < p.time
        ? 1
        : 0;
    });
    input.visits.forEach((v, x) => {
      const r = this.frozenRoute[x];
      if (r < 0 || this.past[r] === 0) return;
      const end = v.frozen!.start + careDuration(v, nurses[specs[r].nurse].id, nurseSkills[specs[r].nurse]);
      if (end > pastEnd[r]) [pastEnd[r], pastAt[r]] = [end, v.location];
    });
    this.nurseStart = Int32Array.from(specs, (s, r) =>
      depot(
        positionRoute[s.nurse] === r ? positions[s.nurse]!.location : (pastAt[r] ?? nurses[s.nurse].start),
      ),
    );
    this.nurseEnd = Int32Array.from(specs, (s) => {
      const x = nurses[s.nurse];
      return x.end === null || s.openEnd === true ? -1 : depot(x.end ?? x.start);
    });
    this.nodeLocation = locs;
    const L = (this.L = locs.length);

    const of = <T>(f: (x: NurseInput, k: number) => T) => specs.map((s) => f(nurses[s.nurse], s.nurse));
    this.nurseProfile = Int32Array.from(of((x) => this.travel.profileIndex(x.profile)));
    this.shiftStart = Float64Array.from(specs, (s, r) =>
      this.past[r] === 1
        ? Math.max(s.window?.start ?? 0, pastEnd[r])
        : Math.max(s.window?.start ?? 0, positions[s.nurse]?.time ?? -Infinity),
    );
    this.shiftEnd = Float64Array.from(specs, (s) => s.window?.end ?? Infinity);
    this.overtimeMax = Float64Array.from(specs, (s) => (s.overtime ?? nurses[s.nurse].overtime)?.max ?? 0);
    this.overtimeCost = Float64Array.from(specs, (s) => (s.overtime ?? nurses[s.nurse].overtime)?.cost ?? 1);
    this.maxWork = Float64Array.from(of((x) => x.maxWorkingTime ?? Infinity));
    this.maxVisits = Int32Array.from(of((x) => x.maxVisits ?? 2 ** 31 - 1));
    this.capacity = Float64Array.from(of((x) => x.capacity ?? Infinity));
    this.costPerHour = Float64Array.from(of((x) => x.costPerHour ?? 0));
    this.costPerKm = Float64Array.from(of((x) => x.costPerKm ?? 0));
    this.fixedCost = Float64Array.from(of((x) => x.fixedCost ?? 0));
    this.nurseDayCost = input.objective === 'vehicles' ? NURSE_DAY_COST : 0;
    this.useCost = this.fixedCost.map((c) => c + this.nurseDayCost);
    this.frozenCount = new Int32Array(V);
    for (const r of this.frozenRoute) if (r >= 0) this.frozenCount[r]++;
    // Rules over the horizon, per nurse.
    const several = (k: number) => new Set(this.nurseRoutes[k].map((r) => this.routeDay[r])).size > 1;
    this.contractWork = Float64Array.from(nurses, (x) => x.contract?.maxWorkingTime ?? Infinity);
    this.minRest = Float64Array.from(
      nurses,
      (x, k) => x.contract?.minRest ?? (several(k) ? (DEFAULT_MIN_REST_MINUTES * dayLength) / 1_440 : 0),
    );
    this.maxDays = Int32Array.from(nurses, (x) => x.contract?.maxConsecutiveDays ?? 2 ** 31 - 1);
    this.hasNurseRules = Uint8Array.from(nurses, (_, k) =>
      this.contractWork[k] < Infinity || this.minRest[k] > 0 || this.maxDays[k] < 2 ** 31 - 1 ? 1 : 0,
    );

    const P = this.travel.profileNames.length;
    const needDist = (p: number) =>
      this.weights.distance > 0 ||
      nurses.some((x, k) => this.nurseProfile[k] === p && (x.costPerKm ?? 0) > 0);
    this.time = [];
    this.dist = [];
    for (let p = 0; p < P; p++) {
      const t = new Float64Array(L * L);
      const d = needDist(p) ? new Float64Array(L * L) : null;
      if (options.lazyTravel === true) t.fill(NaN);
      else this.travel.fillMatrices(p, locs, t, d);
      this.time.push(t);
      this.dist.push(d);
    }
    if (options.lazyTravel === true) {
      // Own properties of this instance only: the search's instances keep the plain reads.
      const measure = (p: number, a: number, b: number) => {
        this.travel.measurePair(p, locs, a, b, this.time[p], this.dist[p]);
        return a * L + b;
      };
      this.travelTime = (k, a, b) => {
        const p = this.nurseProfile[k];
        const t = this.time[p][a * L + b];
        return t === t ? t : this.time[p][measure(p, a, b)];
      };
      const arcCost = CareData.prototype.arcCost;
      this.arcCost = (k, a, b) => {
        const p = this.nurseProfile[k];
        if (Number.isNaN(this.time[p][a * L + b])) measure(p, a, b);
        return arcCost.call(this, k, a, b);
      };
    }
    this.frozenWork = Float64Array.from({ length: V }, (_, r) =>
      this.nurseEnd[r] < 0 ? 0 : this.travelTime(r, this.nurseStart[r], this.nurseEnd[r]),
    );

    // Per visit and route: duration, eligibility, preference (those of the route's nurse).
    this.service = new Float64Array(n * V);
    this.canDo = new Uint8Array(n * V);
    this.preferred = new Uint8Array(n * V);
    this.hasPreferred = new Uint8Array(n);
    const byNurse = new Float64Array(N);
    const okNurse = new Uint8Array(N);
    const prefNurse = new Uint8Array(N);
    visits.forEach((v, i) => {
      if (i >= nv) {
        // A break: only its route, for its duration.
        const r = breakRoute[i - nv];
        this.canDo[i * V + r] = 1;
        this.service.fill(v.duration ?? 0, i * V, (i + 1) * V);
        return;
      }
      const excluded = new Set(v.excludedNurses ?? []);
      const preferred = new Set(v.preferredNurses ?? []);
      this.hasPreferred[i] = preferred.size > 0 ? 1 : 0;
      nurses.forEach((x, k) => {
        byNurse[k] = careDuration(v, x.id, nurseSkills[k]);
        okNurse[k] =
          (v.skills ?? []).every((s) => nurseSkills[k].has(s)) &&
          !excluded.has(x.id) &&
          (v.requiredNurse === undefined || v.requiredNurse === x.id) &&
          (v.pinned === undefined || v.pinned.nurse === x.id) &&
          v.frozen === undefined
            ? 1
            : 0;
        prefNurse[k] = preferred.has(x.id) ? 1 : 0;
      });
      for (let r = 0; r < V; r++) {
        const k = specs[r].nurse;
        this.service[i * V + r] = byNurse[k];
        // A nurse-day whose shift no window of the visit meets, or already over, cannot take it.
        this.canDo[i * V + r] =
          okNurse[k] === 1 &&
          this.past[r] === 0 &&
          (nurses[k].shifts === undefined ||
            meets(v, this.shiftStart[r], this.shiftEnd[r] + this.overtimeMax[r]))
            ? 1
            : 0;
        this.preferred[i * V + r] = prefNurse[k];
      }
    });

    // Patients, when the distinct-nurses term or a cap applies.
    const caps = new Map((input.patients ?? []).map((p) => [p.id, p.maxNurses ?? 2 ** 31 - 1]));
    const tracked =
      this.weights.distinctNurses > 0 || (input.patients ?? []).some((p) => p.maxNurses !== undefined);
    const patientIndex = new Map<string, number>();
    this.patientIds = [];
    this.patientVisits = [];
    this.patientOf = Int32Array.from(visits, (v, i) => {
      if (!tracked || i >= nv) return -1;
      const id = v.patient ?? v.id;
      let k = patientIndex.get(id);
      if (k === undefined) {
        patientIndex.set(id, (k = this.patientIds.push(id) - 1));
        this.patientVisits.push([]);
      }
      this.patientVisits[k].push(i);
      return k;
    });
    this.maxNurses = Int32Array.from(this.patientIds, (id) => caps.get(id) ?? 2 ** 31 - 1);

    // Timing arcs, nurse relations and partners from sync groups and dependencies.
    const rules = timingRules(input, visitIndex, n, this.frozen);
    this.differentFrom = rules.differentFrom;
    this.sameAs = rules.sameAs;
    this.partners = rules.partners;
    const { lower, upper, arcs } = rules;
    for (let x = 0; x < nv; x++) {
      if (this.frozen[x] === 0) continue;
      const k = nurseIndex.get(input.visits[x].frozen!.nurse) ?? -1;
      for (const y of this.differentFrom[x])
        for (const r of this.nurseRoutes[k] ?? []) this.canDo[y * V + r] = 0;
      for (const y of this.sameAs[x])
        for (let j = 0; j < V; j++) if (this.routeNurse[j] !== k) this.canDo[y * V + j] = 0;
    }
    this.arcFrom = Int32Array.from(arcs, (a) => a[0]);
    this.arcTo = Int32Array.from(arcs, (a) => a[1]);
    this.arcWeight = Float64Array.from(arcs, (a) => a[2]);
    [this.outOff, this.outArcs] = csr(n, this.arcFrom);
    [this.inOff, this.inArcs] = csr(n, this.arcTo);

    // Windows, lateness, penalties.
    this.winOff = new Int32Array(n + 1);
    const ws: { start: number; end: number }[] = [];
    visits.forEach((v, i) => {
      const given =
        v.pinned?.start !== undefined ? [{ start: v.pinned.start, end: v.pinned.start }] : v.timeWindows;
      const sorted = [...(given ?? [{ start: -Infinity, end: Infinity }])].sort((a, b) => a.start - b.start);
      // Rules tying it to a frozen visit become bounds of its own windows.
      for (const w of sorted) {
        const start = Math.max(w.start, lower[i]);
        const end = Math.min(w.end, upper[i]);
        if (start <= end) ws.push({ start, end });
      }
      this.winOff[i + 1] = ws.length;
    });
    this.winStart = Float64Array.from(ws, (w) => w.start);
    this.winEnd = Float64Array.from(ws, (w) => w.end);
    this.due = Float64Array.from(visits, (v) => v.preferredWindow?.end ?? Infinity);
    this.lateCost = Float64Array.from(visits, (v) => v.preferredWindow?.costPerMinute ?? 1);
    this.release = Float64Array.from(visits, (v) => v.preferredWindow?.start ?? -Infinity);
    this.demand = Float64Array.from(visits, (v) => v.demand ?? 0);
    this.mandatory = Uint8Array.from(visits, (v) => (v.optional === true || v.frozen !== undefined ? 0 : 1));
    this.penalty = Float64Array.from(visits, (v, k) =>
      k >= nv
        ? BREAK_PENALTY
        : v.frozen !== undefined
          ? 0
          : v.optional === true
            ? (v.penalty ?? defaultPenalty(v)) * this.weights.unassigned
            : MANDATORY_PENALTY,
    );

    // Over several days, a visit's neighbours are those that can fall on one of its days (a
    // patient's visits on other days are nearest of all, but never in the same route).
    const days = this.calendar !== null && this.calendar.days > 1 ? dayMasks(input.visits, dayOf) : null;
    // (None when travel is measured lazily: nearest lists read every pair.)
    const related = options.lazyTravel === true ? 0 : (options.related ?? 40);
    this.nearest = nearestVisits(this.time[0], L, nv, n, Math.min(related, nv - 1), days);
  }

  /** Nurse k's route whose shift holds time t: the last begun by then (with `within`, only one whose shift holds t, else -1). */
  private routeAt(k: number, t: number, specs: RouteSpec[], within = false): number {
    const routes = this.nurseRoutes[k];
    if (within)
      return (
        routes.find(
          (r) => (specs[r].window?.start ?? -Infinity) <= t && t <= (specs[r].window?.end ?? Infinity),
        ) ?? -1
      );
    let out = routes[0] ?? -1;
    for (const r of routes) if ((specs[r].window?.start ?? -Infinity) <= t) out = r;
    return out;
  }

  /**
   * A what-if on one visit's hard windows (slot offers, suggestions): its window k (in start
   * order) becomes [start, end], kept in order. The visit must be out of every route of any
   * schedule that reads it (its committed start would no longer be checked); the caller puts
   * the window back.
   */
  setWindow(x: number, k: number, start: number, end: number): void {
    const w = this.winOff[x] + k;
    if (k < 0 || w >= this.winOff[x + 1]) throw new Error(`visit ${x} has no window ${k}`);
    this.winStart[w] = start;
    this.winEnd[w] = end;
  }

  /** When visit x's first hard window opens (Infinity when none is left). */
  firstWindowStart(x: number): number {
    return this.winOff[x + 1] > this.winOff[x] ? this.winStart[this.winOff[x]] : Infinity;
  }

  /** When visit x's last hard window closes (-Infinity when none is left). */
  lastWindowEnd(x: number): number {
    return this.winOff[x + 1] > this.winOff[x] ? this.winEnd[this.winOff[x + 1] - 1] : -Infinity;
  }

  /** The earliest time >= s inside one of visit x's hard windows, or Infinity. */
  earliestIn(x: number, s: number): number {
    for (let w = this.winOff[x]; w < this.winOff[x + 1]; w++)
      if (s <= this.winEnd[w] + 1e-9) return s < this.winStart[w] ? this.winStart[w] : s;
    return Infinity;
  }

  /** Time by which a start at s is before visit x's preferred window start (0 when none, or unplaced: s = -Infinity). */
  earliness(x: number, s: number): number {
    const release = this.release[x];
    return s < release && s !== -Infinity ? release - s : 0;
  }

  /** Travel time from node a to node b for nurse k. */
  travelTime(k: number, a: number, b: number): number {
    return this.time[this.nurseProfile[k]][a * this.L + b];
  }

  /**
   * What task x costs on route r besides travel and times: a nurse not among the preferred, a
   * visit moved from the previous plan's nurse (nurses per patient aside).
   */
  placementCost(x: number, r: number): number {
    let c = 0;
    if (this.hasPreferred[x] === 1 && this.preferred[x * this.V + r] === 0) c += this.weights.continuity;
    if (this.prevNurse[x] !== -1 && this.prevNurse[x] !== this.routeNurse[r]) c += this.weights.moved;
    return c;
  }

  /** Objective cost of travelling a -> b for nurse k (time, distance and per-km terms). */
  arcCost(k: number, a: number, b: number): number {
    const p = this.nurseProfile[k];
    const i = a * this.L + b;
    const d = this.dist[p];
    const km = d === null ? 0 : d[i] / 1000;
    return (
      this.weights.travelTime * this.time[p][i] +
      (d === null ? 0 : this.weights.distance * d[i]) +
      this.costPerKm[k] * km
    );
  }
}
