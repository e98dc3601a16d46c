import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { solve } from '../solve.ts';
import { createStop } from '../structures/stop.ts';
import { planSvg } from './plan-svg.ts';

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
