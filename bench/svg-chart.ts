/**
 * A small SVG line chart for the benchmark report: several series on shared axes, a linear or
 * logarithmic x axis, grid lines, a legend. No dependency: the report is plain files a browser
 * or a README shows as they are.
 */
export interface Series {
  name: string;
  points: [number, number][];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
  /** Clamp the y axis (values above are drawn at the top edge). */
  yMax?: number;
  yMin?: number;
  width?: number;
  height?: number;
  /** Mark each point with a dot (for sparse series such as a size sweep). */
  dots?: boolean;
}

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) =>
  Math.abs(v) >= 1000
    ? `${Math.round(v / 100) / 10}k`
    : Math.abs(v) >= 10
      ? `${Math.round(v)}`
      : `${Math.round(v * 100) / 100}`;

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number((Math.round(v / step) * step).toPrecision(12)));
  return ticks;
}

/** The chart; series without points get only a legend entry (an empty chart draws its axes). */
export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 400;
  const legendW = 150;
  const m = { left: 64, right: legendW + 16, top: 40, bottom: 48 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = o.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]).filter((x) => Number.isFinite(x) && (!o.logX || x > 0));
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  let x0 = xs.length ? Math.min(...xs) : o.logX ? 1 : 0;
  let x1 = xs.length ? Math.max(...xs) : o.logX ? 10 : 1;
  if (x1 === x0) x1 = x0 + 1;
  const yLo = o.yMin ?? Math.min(0, ...ys);
  let yHi = Math.min(o.yMax ?? Infinity, ys.length ? Math.max(...ys) : 1);
  if (!(yHi > yLo)) yHi = yLo + 1;
  const yTicks = niceTicks(yLo, yHi);
  yHi = Math.max(yHi, yTicks[yTicks.length - 1]);
  let xTicks: number[];
  if (o.logX) {
    x0 = 10 ** Math.floor(Math.log10(x0));
    x1 = 10 ** Math.ceil(Math.log10(x1));
    xTicks = [];
    for (let e = Math.log10(x0); e <= Math.log10(x1) + 1e-9; e++) xTicks.push(10 ** e);
  } else xTicks = niceTicks(x0, x1);
  const X = (x: number) =>
    m.left +
    (o.logX ? (Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0)) : (x - x0) / (x1 - x0)) *
      pw;
  const Y = (y: number) => m.top + ph - ((Math.min(Math.max(y, yLo), yHi) - yLo) / (yHi - yLo)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${m.left}" y="22" font-size="15" font-weight="600">${esc(o.title)}</text>`,
  ];
  for (const t of yTicks) {
    const y = Y(t).toFixed(1);
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#555">${fmt(t)}</text>`,
    );
  }
  for (const t of xTicks) {
    if (t < x0 || t > x1) continue;
    const x = X(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 16}" text-anchor="middle" fill="#555">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  o.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts = s.points.filter((p) => !o.logX || p[0] > 0);
    if (pts.length > 0) {
      const d = pts.map((p, j) => `${j ? 'L' : 'M'}${X(p[0]).toFixed(1)} ${Y(p[1]).toFixed(1)}`).join('');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
      // Every point with dots on; otherwise the last one, so a series of one point still shows.
      for (const p of o.dots ? pts : pts.slice(-1))
        out.push(`<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="3.5" fill="${color}"/>`);
    }
    const ly = m.top + 8 + k * 18;
    out.push(
      `<line x1="${W - legendW}" x2="${W - legendW + 18}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
    );
    out.push(`<text x="${W - legendW + 24}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
