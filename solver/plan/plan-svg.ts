import type { LocationInput, ProblemInput } from '../model/input.ts';
import { Calendar } from '../calendar/calendar.ts';
import type { Plan } from '../model/plan.ts';

/**
 * A plan as a picture (SVG, no dependencies): on the left the routes on the territory (each
 * nurse's colour, her start as a square, visits as dots, legs as straight lines); on the right
 * each nurse's day as a timeline: travel, care, waiting and breaks, against the clock. Pure: the
 * caller writes the string where it wants.
 */
export function planSvg(problem: ProblemInput, plan: Plan, options: { title?: string } = {}): string {
  const visits = new Map(problem.visits.map((v) => [v.id, v]));
  const nurses = new Map(problem.nurses.map((n) => [n.id, n]));
  const routes = plan.routes.filter((r) => r.stops.length > 0);
  // A plan of several days: one row per nurse-day on the clock of its day, coloured by nurse.
  const calendar = Calendar.of(problem);
  const week = calendar !== null && calendar.days > 1;
  const nurseIndex = new Map(problem.nurses.map((n, k) => [n.id, k]));
  const hue = (r: (typeof routes)[number], k: number) => (week ? (nurseIndex.get(r.vehicle) ?? k) : k);
  const colour = (k: number) => `hsl(${Math.round((k * 137.508) % 360)}, 65%, 45%)`;
  const mapSize = 560;
  const rowH = 16;
  const timelineW = 720;
  const height = Math.max(mapSize + 80, 90 + routes.length * rowH);
  const width = mapSize + timelineW + 80;
  const out: string[] = [];
  const esc = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

  // Map: locations projected into the square (lon scaled by cos(lat); matrices have no geometry).
  const xy = (l: LocationInput): [number, number] | null =>
    'lon' in l ? [l.lon * Math.cos((l.lat * Math.PI) / 180), l.lat] : 'x' in l ? [l.x, l.y] : null;
  const points = [
    ...problem.visits.map((v) => xy(v.location)),
    ...problem.nurses.map((n) => xy(n.start)),
  ].filter((p): p is [number, number] => p !== null);
  const [minX, maxX] = [Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[0]))];
  const [minY, maxY] = [Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[1]))];
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const px = (l: LocationInput): [number, number] | null => {
    const p = xy(l);
    if (p === null) return null;
    return [
      20 + ((p[0] - minX) / span) * (mapSize - 40),
      60 + mapSize - 40 - ((p[1] - minY) / span) * (mapSize - 40),
    ];
  };
  const f = (x: number) => x.toFixed(1);
  out.push(`<rect x="0" y="0" width="${width}" height="${height + 20}" fill="#fff"/>`);
  out.push(
    `<text x="20" y="28" font-size="16" font-weight="bold">${esc(options.title ?? problem.name ?? 'plan')}</text>`,
    `<text x="20" y="46" font-size="12" fill="#555">cost ${plan.summary.cost.toFixed(2)} · ${plan.summary.routes} routes · ${plan.summary.unassigned} unassigned</text>`,
  );
  if (points.length > 0) {
    routes.forEach((r, k) => {
      const nurse = nurses.get(r.vehicle);
      if (nurse === undefined) return;
      const path = [
        nurse.position?.location ?? nurse.start,
        ...r.stops.map((s) => visits.get(s.visit)!.location),
      ];
      if (nurse.end !== null) path.push(nurse.end ?? nurse.start);
      const pts = path.map(px).filter((p): p is [number, number] => p !== null);
      out.push(
        `<polyline fill="none" stroke="${colour(hue(r, k))}" stroke-width="1.5" stroke-opacity="0.8" points="${pts.map((p) => `${f(p[0])},${f(p[1])}`).join(' ')}"><title>${esc(r.vehicle)}</title></polyline>`,
      );
      const s = px(nurse.start);
      if (s)
        out.push(
          `<rect x="${f(s[0] - 4)}" y="${f(s[1] - 4)}" width="8" height="8" fill="${colour(hue(r, k))}"/>`,
        );
      for (const stop of r.stops) {
        const p = px(visits.get(stop.visit)!.location);
        if (p)
          out.push(
            `<circle cx="${f(p[0])}" cy="${f(p[1])}" r="3" fill="${colour(hue(r, k))}"><title>${esc(stop.visit)}</title></circle>`,
          );
      }
    });
    for (const u of plan.unassigned) {
      const p = px(visits.get(u.visit)?.location ?? { index: 0 });
      if (p)
        out.push(
          `<circle cx="${f(p[0])}" cy="${f(p[1])}" r="4" fill="none" stroke="#d00"><title>${esc(u.visit)}: ${esc(u.reason)}</title></circle>`,
        );
    }
  } else
    out.push(`<text x="20" y="90" font-size="12" fill="#777">locations are matrix indices: no map</text>`);

  // Timelines: one row per nurse, from the earliest departure to the latest return.
  // (A re-plan's frozen visits come before her departure.)
  // With several days, each row is drawn on the clock of its own day.
  const dayOfRoute = (r: (typeof routes)[number]) =>
    r.date !== undefined && calendar !== null ? (calendar.dayIndex(r.date) ?? 0) : 0;
  const clock = (t: number, r: (typeof routes)[number]) => (week ? calendar.clockSince(t, dayOfRoute(r)) : t);
  const t0 = Math.min(...routes.map((r) => clock(Math.min(r.departure, r.stops[0].arrival), r)));
  const t1 = Math.max(...routes.map((r) => clock(r.return, r)));
  const left = mapSize + 60;
  const per = (timelineW - 60) / Math.max(1, t1 - t0);
  let row: (typeof routes)[number] | null = null;
  const tx = (t: number) => left + 50 + ((row === null ? t : clock(t, row)) - t0) * per;
  const unit = problem.timeUnit === 'second' ? 3600 : 60;
  for (let h = Math.ceil(t0 / unit); h * unit <= t1; h++) {
    row = null;
    out.push(
      `<line x1="${f(tx(h * unit))}" x2="${f(tx(h * unit))}" y1="60" y2="${64 + routes.length * rowH}" stroke="#eee"/>`,
    );
    out.push(
      `<text x="${f(tx(h * unit))}" y="56" font-size="10" text-anchor="middle" fill="#777">${h % 24}h</text>`,
    );
  }
  routes.forEach((r, k) => {
    row = r;
    const y = 64 + k * rowH;
    const bar = (a: number, b: number, fill: string, what: string) =>
      b > a
        ? out.push(
            `<rect x="${f(tx(a))}" y="${y}" width="${f((b - a) * per)}" height="${rowH - 4}" fill="${fill}"><title>${esc(what)}</title></rect>`,
          )
        : 0;
    out.push(
      `<text x="${left + 44}" y="${y + rowH - 6}" font-size="10" text-anchor="end">${esc(week && r.date !== undefined ? `${r.vehicle} ${r.date.slice(5)}` : r.vehicle)}</text>`,
    );
    // From t (the end of a visit, or her departure) to `to` (an arrival, or her return): she
    // waits, takes the breaks that fall there, and travels once the last is over (she leaves
    // no earlier than her departure): only that leg is travel, the rest is waiting.
    const breaks = [...(r.breaks ?? [])].sort((a, b) => a.start - b.start);
    const gap = (t: number, to: number) => {
      let leave = r.departure <= to ? Math.max(t, r.departure) : t; // (frozen visits come before her departure)
      const inside = breaks.filter((b) => b.start >= t - 1e-9 && b.end <= to + 1e-9);
      for (const b of inside) leave = Math.max(leave, b.end);
      let at = t;
      for (const b of inside) {
        bar(at, b.start, '#f3e3a0', 'waiting');
        at = Math.max(at, b.end);
      }
      bar(at, leave, '#f3e3a0', 'waiting');
      bar(leave, to, '#bbb', 'travel');
    };
    let t = r.departure;
    for (const s of r.stops) {
      gap(t, s.arrival);
      bar(s.arrival, s.start, '#f3e3a0', 'waiting');
      bar(
        s.start,
        s.end,
        colour(hue(r, k)),
        s.startTime !== undefined
          ? `${s.visit} ${s.startTime.slice(11, 16)}–${s.endTime!.slice(11, 16)}`
          : `${s.visit} ${s.start.toFixed(0)}–${s.end.toFixed(0)}`,
      );
      t = s.end;
    }
    gap(t, r.return);
    for (const b of breaks) bar(b.start, b.end, '#333', b.id);
  });
  const ly = 80 + routes.length * rowH;
  [
    ['#bbb', 'travel'],
    ['#f3e3a0', 'waiting'],
    ['#333', 'break'],
    [colour(0), 'care (nurse colour)'],
  ].forEach(([c, label], k) => {
    out.push(`<rect x="${left + 50 + k * 130}" y="${ly}" width="12" height="10" fill="${c}"/>`);
    out.push(`<text x="${left + 66 + k * 130}" y="${ly + 9}" font-size="10">${label}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" viewBox="0 0 ${width} ${height + 20}" font-family="sans-serif">\n${out.join('\n')}\n</svg>\n`;
}
