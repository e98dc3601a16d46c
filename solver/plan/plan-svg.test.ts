import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';
import type { ProblemInput } from '../model/input.ts';
import { planSvg } from './plan-svg.ts';
import type { Plan, PlanRoute } from '../model/plan.ts';

const day = JSON.parse(
  readFileSync(new URL('../../fixtures/care/example-day.json', import.meta.url), 'utf8'),
);
day.nurses[0].breaks = [{ id: 'lunch', duration: 30, window: { start: 690, end: 810 } }];

describe('planSvg', () => {
  it('draws each route on the map and each nurse day as a timeline', () => {
    const { plan } = solve(day, { seed: 1, stop: createStop({ iterations: 1000 }) });
    const svg = planSvg(day, plan);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const count = (re: RegExp) => (svg.match(re) ?? []).length;
    expect(count(/<polyline /g)).toBe(plan.routes.length);
    const stops = plan.routes.reduce((k, r) => k + r.stops.length, 0);
    expect(count(/<circle /g)).toBe(stops + plan.unassigned.length);
    for (const r of plan.routes) for (const s of r.stops) expect(svg).toContain(`<title>${s.visit} `);
    expect(svg).toContain('<title>lunch</title>');
    expect(svg).toContain(`cost ${plan.summary.cost.toFixed(2)}`);
  });
});

describe('planSvg timelines around breaks', () => {
  const at = (x: number) => ({ x, y: 0 });
  const problem = (end?: null): ProblemInput => ({
    nurses: [
      {
        id: 'A',
        start: at(0),
        ...(end === null && { end: null }),
        shift: { start: 480, end: 1000 },
        breaks: [{ id: 'lunch', duration: 30, window: { start: 540, end: 700 } }],
      },
    ],
    visits: [
      { id: 'a', location: at(10), duration: 20 },
      { id: 'b', location: at(30), duration: 20, timeWindows: [{ start: 600, end: 700 }] },
    ],
  });
  const stop = (visit: string, arrival: number, start: number, end: number) => ({
    visit,
    arrival,
    start,
    end,
  });
  const planOf = (route: PlanRoute): Plan => ({
    summary: { objective: 'weighted', cost: 0, distance: 0, travelTime: 0, routes: 1, unassigned: 0 },
    routes: [route],
    unassigned: [],
  });
  /** The timeline's bars as [what, from, to] in time units, read back from the rectangles. */
  const bars = (svg: string, care: [string, number, number]) => {
    const rects = [
      ...svg.matchAll(
        /<rect x="([\d.]+)" y="64" width="([\d.]+)" height="12" fill="[^"]+"><title>([^<]+)<\/title>/g,
      ),
    ].map((m) => ({ x: Number(m[1]), w: Number(m[2]), what: m[3] }));
    const ref = rects.find((r) => r.what.startsWith(care[0] + ' '))!;
    const per = ref.w / (care[2] - care[1]);
    const t = (x: number) => Math.round((care[1] + (x - ref.x) / per) * 10) / 10;
    return rects.map((r) => [r.what.split(' ')[0], t(r.x), t(r.x + r.w)]);
  };

  it('waiting before a break is waiting, and only the leg after it is travel', () => {
    const route: PlanRoute = {
      vehicle: 'A',
      departure: 490,
      return: 650,
      distance: 60,
      travelTime: 60,
      stops: [stop('a', 500, 500, 520), stop('b', 590, 600, 620)],
      breaks: [{ id: 'lunch', after: 'a', start: 540, end: 570 }],
    };
    expect(bars(planSvg(problem(), planOf(route)), ['a', 500, 520])).toEqual([
      ['travel', 490, 500],
      ['a', 500, 520],
      ['waiting', 520, 540],
      ['travel', 570, 590],
      ['waiting', 590, 600],
      ['b', 600, 620],
      ['travel', 620, 650],
      ['lunch', 540, 570],
    ]);
  });

  it('a break after the last visit: waiting, the break, then the way home (none with an open end)', () => {
    const route = (end: number): PlanRoute => ({
      vehicle: 'A',
      departure: 490,
      return: end,
      distance: 30,
      travelTime: 30,
      stops: [stop('a', 500, 500, 520)],
      breaks: [{ id: 'lunch', after: 'a', start: 540, end: 570 }],
    });
    expect(bars(planSvg(problem(), planOf(route(580))), ['a', 500, 520])).toEqual([
      ['travel', 490, 500],
      ['a', 500, 520],
      ['waiting', 520, 540],
      ['travel', 570, 580],
      ['lunch', 540, 570],
    ]);
    expect(bars(planSvg(problem(null), planOf(route(570))), ['a', 500, 520])).toEqual([
      ['travel', 490, 500],
      ['a', 500, 520],
      ['waiting', 520, 540],
      ['lunch', 540, 570],
    ]);
  });

  it('frozen visits before her departure: travel between them, waiting until she leaves', () => {
    const route: PlanRoute = {
      vehicle: 'A',
      departure: 560,
      return: 650,
      distance: 50,
      travelTime: 50,
      stops: [
        { ...stop('a', 500, 500, 520), frozen: true },
        { ...stop('b', 530, 530, 550), frozen: true },
      ],
    };
    const withC: Plan = planOf({
      ...route,
      stops: [...route.stops, stop('a', 570, 570, 590)].map((s, k) => (k === 2 ? { ...s, visit: 'c' } : s)),
      return: 600,
    });
    const p = problem();
    p.visits.push({ id: 'c', location: at(20), duration: 20 });
    expect(bars(planSvg(p, withC), ['a', 500, 520]).slice(0, 7)).toEqual([
      ['a', 500, 520],
      ['travel', 520, 530],
      ['b', 530, 550],
      ['waiting', 550, 560],
      ['travel', 560, 570],
      ['c', 570, 590],
      ['travel', 590, 600],
    ]);
  });
});
