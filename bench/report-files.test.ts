import { describe, expect, it } from 'vitest';
import { qualityCurves, timeGrid } from './quality-curves.ts';
import { markdownReport, type InstanceResult } from './report.ts';
import { markdownToHtml } from './report-html.ts';
import { lineChart, niceTicks } from './svg-chart.ts';

const run = (over: Partial<InstanceResult>): InstanceResult => ({
  suite: 's',
  name: 'x',
  group: 'g',
  seed: 1,
  bestDistance: 100,
  bestVehicles: null,
  bestVehiclesDistance: null,
  ...over,
});

describe('quality-versus-time curves', () => {
  it('mean gap per class once every run has a complete plan, stepping with the traces', () => {
    const results = [
      run({
        name: 'a',
        timeMs: 1000,
        trace: [
          [5, 130, 2],
          [20, 120, 0],
          [400, 101, 0],
        ],
      }),
      run({
        name: 'b',
        timeMs: 1000,
        bestDistance: 200,
        trace: [
          [50, 220, 0],
          [800, 200, 0],
        ],
      }),
    ];
    const [series] = qualityCurves(results);
    expect(series.name).toBe('g');
    // Before 50 ms run b has no plan: no point. At 50 ms: a 20%, b 10%.
    expect(series.points[0][0]).toBeGreaterThanOrEqual(0.05);
    expect(series.points[0][1]).toBeCloseTo(15, 6);
    expect(series.points.at(-1)![1]).toBeCloseTo(0.5, 6);
    const ys = series.points.map((p) => p[1]);
    expect([...ys].sort((p, q) => q - p)).toEqual(ys);
  });

  it('generated days: against the best final cost of any seed, counting only plans as complete as the final one', () => {
    const day = (seed: number, trace: [number, number, number, number][]) =>
      run({ name: 'day', group: 'day', seed, bestDistance: null, timeMs: 100, trace });
    const [series] = qualityCurves([
      day(1, [
        [10, 50, 3, 1],
        [30, 110, 0, 0],
        [90, 100, 0, 0],
      ]),
      day(2, [[20, 105, 0, 0]]),
    ]);
    // Seed 1's first plan leaves a mandatory visit out: not counted; best final cost is 100.
    expect(series.points[0][0]).toBeGreaterThanOrEqual(0.03);
    expect(series.points[0][1]).toBeCloseTo(7.5, 6);
    expect(series.points.at(-1)![1]).toBeCloseTo(2.5, 6);
  });

  it('generated days: the reference is the best final cost among the seeds leaving the fewest mandatory visits out', () => {
    const day = (seed: number, trace: [number, number, number, number][]) =>
      run({ name: 'day', group: 'day', seed, bestDistance: null, timeMs: 100, trace });
    const [series] = qualityCurves([day(1, [[10, 6000, 0, 0]]), day(2, [[10, 5900, 2, 2]])]);
    // Seed 2 is cheaper only because it leaves two mandatory visits out: seed 1 is the reference.
    expect(series.points.at(-1)![1]).toBeCloseTo((5900 / 6000 - 1) * 50, 6);
  });

  it('a class whose runs never complete gives an empty series, and the chart still draws', () => {
    const [series] = qualityCurves([
      run({
        timeMs: 1500,
        trace: [
          [50, 1200, 2, 2],
          [1500, 1100, 1, 1],
        ],
      }),
    ]);
    expect(series.points).toEqual([]);
    const svg = lineChart({ title: 't', xLabel: 's', yLabel: '%', logX: true, series: [series] });
    expect(svg).toContain('</svg>');
  });

  it('log time grid from 10 ms to the longest run', () => {
    const g = timeGrid(2000);
    expect(g[0]).toBeCloseTo(10);
    expect(g.at(-1)).toBeCloseTo(2000);
  });
});

describe('SVG chart and HTML page', () => {
  it('round ticks, one path per series, legend entries, escaped text', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8].filter((t) => t <= 0.7 + 1e-9));
    const svg = lineChart({
      title: 'a < b',
      xLabel: 's',
      yLabel: '%',
      logX: true,
      series: [
        {
          name: 'r1',
          points: [
            [0.01, 5],
            [1, 1],
          ],
        },
        { name: 'c2', points: [[0.1, 3]] },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('a &lt; b');
    expect(svg).toContain('>r1<');
    expect(svg).toContain('>c2<');
  });

  it('markdown tables, headings, code and images become HTML', () => {
    const html = markdownToHtml(
      '# T\n\n| a | b |\n|---|---|\n| 1 | **2** |\n\n```\n{"x":1}\n```\n\n![c](c.svg)\n',
    );
    expect(html).toContain('<h1>T</h1>');
    expect(html).toContain('<tr><th>a</th><th>b</th></tr>');
    expect(html).toContain('<td><b>2</b></td>');
    expect(html).toContain('<pre>{"x":1}</pre>');
    expect(html).toContain('<img alt="c" src="c.svg">');
  });
});

describe('quality tables', () => {
  it('generated days get a cost table (no published value), benchmark suites a gap table', () => {
    const care = [1, 2].map((seed) =>
      run({
        suite: 'care',
        name: 'had',
        seed,
        bestDistance: null,
        cost: 100 + seed,
        routes: 4,
        travelTime: 50,
        timeMs: 900,
        leftOutMandatory: 0,
        feasible: true,
      }),
    );
    const md = markdownReport('t', { timeLimit: 1 }, [
      ...care,
      run({ distance: 101, routes: 3, timeMs: 1000, feasible: true }),
    ]);
    expect(md).toContain('| care | had | 2 | 101.5 | 101.0 | 0.99% | 50 | 0 | 4.0 | ok | 0.90 |');
    expect(md).toContain('| s | g | 1 | 1.00% |');
  });
});
