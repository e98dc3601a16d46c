import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlan } from './check/check-plan.ts';
import {
  COST_SCALE,
  createStop,
  parseSolomon,
  solve,
  validateProblem,
  warmStartFromPlan,
  type Improvement,
  type ProblemInput,
  type SolveOutcome,
  type WarmStart,
} from './index.ts';

const fixture = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8');
const r101 = parseSolomon(fixture('solomon/r101.txt'));
const had60 = validateProblem(JSON.parse(fixture('care/had-60n-600v.json')));

/** The outcome's cost in the input's units, as improvements report it. */
const costOf = (o: SolveOutcome) => (o.engine === 'core' ? o.searchCost / COST_SCALE : o.searchCost);
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** Solves from a warm start for `iterations` steps; the outcome and its first improvement. */
function resume(input: ProblemInput, initial: WarmStart, iterations = 0, seed = 9) {
  const events: Improvement[] = [];
  const outcome = solve(input, {
    seed,
    initial,
    stop: createStop({ iterations }),
    onImprovement: (e) => events.push(e),
  });
  return { outcome, first: events[0] };
}

const placed = (o: SolveOutcome) => new Set(o.plan.routes.flatMap((r) => r.stops.map((s) => s.visit)));

const cases = [
  { name: 'core (Solomon r101)', input: r101, iterations: 300 },
  { name: 'care (had-60n-600v)', input: had60, iterations: 300 },
];

describe.each(cases)('warm start, $name', ({ input, iterations }) => {
  const first = solve(input, { seed: 3, stop: createStop({ iterations }) });
  const start = warmStartFromPlan(first.plan);

  it('starting from the final plan gives back its cost at iteration 0, and a plan the checker accepts', () => {
    const { outcome, first: e } = resume(input, start);
    expect(e.iteration).toBe(0);
    expect(relative(e.cost, costOf(first))).toBeLessThan(1e-6);
    expect(relative(costOf(outcome), costOf(first))).toBeLessThan(1e-6);
    expect(outcome.plan.routes.map((r) => [r.vehicle, r.stops.map((s) => s.visit)])).toEqual(
      first.plan.routes.map((r) => [r.vehicle, r.stops.map((s) => s.visit)]),
    );
    expect(checkPlan(input, outcome.plan).violations).toEqual([]);
    // And the search goes on from there: never worse.
    const more = resume(input, start, 100).outcome;
    expect(costOf(more)).toBeLessThanOrEqual(costOf(first) * (1 + 1e-9));
    expect(checkPlan(input, more.plan).violations).toEqual([]);
  });

  it('is handed back as given when no step runs, even where a last local search would change it', () => {
    // Steps without any local search leave a plan short of a local optimum.
    const rough = solve(input, { seed: 5, localSearch: false, stop: createStop({ iterations: 50 }) });
    const { outcome } = resume(input, warmStartFromPlan(rough.plan));
    expect(outcome.plan.routes.map((r) => [r.vehicle, r.stops.map((s) => s.visit)])).toEqual(
      rough.plan.routes.map((r) => [r.vehicle, r.stops.map((s) => s.visit)]),
    );
  });

  it('a stale, partial or wrong warm start is no error and still gives a feasible plan with every visit placed', () => {
    const routes = start.routes.map((r) => ({ vehicle: r.vehicle, visits: [...r.visits] }));
    const [a, b] = routes;
    a.visits.splice(1, 0, 'no-such-visit'); // unknown visit id
    b.visits.push(a.visits[0]); // a visit given twice (its first listing counts)
    routes.push({ vehicle: 'no-such-nurse', visits: [b.visits[0]] }); // unknown nurse
    routes.push({ vehicle: a.vehicle, visits: [b.visits[1]] }); // a nurse listed again
    // A visit the nurse cannot do: one needing a skill she lacks (home care), or, in the core,
    // the last visit of one route put first in another, where its time window is long past.
    let moved: string;
    if (input === had60) {
      const skills = new Map(input.nurses.map((x) => [x.id, new Set(x.skills ?? [])]));
      const needs = new Map(input.visits.map((v) => [v.id, v.skills ?? []]));
      const lacks = (nurse: string, visit: string) =>
        needs.get(visit)!.some((s) => !skills.get(nurse)!.has(s));
      const to = routes.find((r) => input.visits.some((v) => lacks(r.vehicle, v.id)))!;
      const from = routes.find((r) => r.visits.some((id) => needs.has(id) && lacks(to.vehicle, id)))!;
      moved = from.visits.find((id) => needs.has(id) && lacks(to.vehicle, id))!;
      from.visits.splice(from.visits.indexOf(moved), 1);
      to.visits.unshift(moved);
    } else {
      moved = a.visits.pop()!;
      const late = input.visits.find((v) => v.id === moved)!.timeWindows![0].start;
      const c = routes.find(
        (r) => r !== a && input.visits.find((v) => v.id === r.visits[0])!.timeWindows![0].end < late,
      )!;
      c.visits.unshift(moved);
    }
    // Partial: the last route left out altogether.
    routes.splice(start.routes.length - 1, 1);

    const { outcome } = resume(input, { routes }, 20);
    expect(checkPlan(input, outcome.plan).violations).toEqual([]);
    const now = placed(outcome);
    for (const id of placed(first)) expect(now.has(id)).toBe(true);
    const route = outcome.plan.routes.find((r) => r.stops.some((s) => s.visit === moved))!;
    if (input === had60) {
      const nurse = input.nurses.find((x) => x.id === route.vehicle)!;
      const visit = input.visits.find((v) => v.id === moved)!;
      expect((visit.skills ?? []).every((s) => nurse.skills?.includes(s))).toBe(true);
    }
  });

  it("an improvement's solution() starts a run at that improvement's cost", () => {
    const seen: { e: Improvement; start: WarmStart }[] = [];
    let last: (() => WarmStart) | undefined;
    const run = solve(input, {
      seed: 4,
      stop: createStop({ iterations: 200 }),
      onImprovement: (e) => {
        seen.push({ e, start: e.solution() });
        last = e.solution;
      },
    });
    // Every visit the search placed is placed again at the same cost; where it left some out
    // (the core's first solution here), the construction tries them again and may do better.
    const complete = seen.filter(({ e }) => e.unassigned === seen.at(-1)!.e.unassigned);
    expect(complete.length).toBeGreaterThan(2);
    const step = Math.ceil(seen.length / 8);
    for (const { e, start: s } of seen.filter((_, i) => i % step === 0 || i === seen.length - 1)) {
      const again = resume(input, s).first.cost;
      if (complete.some((c) => c.e === e)) expect(relative(again, e.cost)).toBeLessThan(1e-6);
      else expect(again).toBeLessThanOrEqual(e.cost * (1 + 1e-9));
    }
    // Read after a later improvement, a solution is refused; the last one stays valid.
    expect(() => seen[0].e.solution()).toThrow(/later improvement/);
    expect(relative(resume(input, last!()).first.cost, costOf(run))).toBeLessThan(1e-6);
  });
});

describe('warm start with breaks', () => {
  it('breaks listed where the plan takes them are kept there; left out, they are placed again', () => {
    const first = solve(had60, { seed: 5, stop: createStop({ iterations: 100 }) });
    const start = warmStartFromPlan(first.plan);
    const breakIds = new Set(first.plan.routes.flatMap((r) => (r.breaks ?? []).map((b) => b.id)));
    expect(breakIds.size).toBeGreaterThan(0);
    expect(start.routes.flatMap((r) => r.visits).filter((id) => breakIds.has(id)).length).toBe(breakIds.size);
    const same = resume(had60, start).outcome;
    expect(same.plan.routes.map((r) => r.breaks)).toEqual(first.plan.routes.map((r) => r.breaks));

    const without = {
      routes: start.routes.map((r) => ({
        vehicle: r.vehicle,
        visits: r.visits.filter((id) => !breakIds.has(id)),
      })),
    };
    const { outcome } = resume(had60, without);
    expect(checkPlan(had60, outcome.plan).violations).toEqual([]);
    for (const r of outcome.plan.routes)
      expect((r.breaks ?? []).length).toBe(had60.nurses.find((x) => x.id === r.vehicle)!.breaks?.length ?? 0);
  });
});
