/**
 * Quality versus time, from the improvement traces a quality run records: for each instance
 * class, the mean gap over its runs at each moment (on a logarithmic time grid). The gap is to
 * the best known value where one is published, otherwise (generated home-care days) to the best
 * final cost any seed reached. A class gets a point only once every one of its runs has a
 * complete plan (every visit placed; a generated day: as many mandatory visits placed as at the
 * end of its run), so the mean never mixes in missing runs.
 */
import type { InstanceResult } from './report.ts';
import type { Series } from './svg-chart.ts';

/** The published best value, or the best final cost among the seeds leaving the fewest mandatory visits out. */
function reference(r: InstanceResult, all: InstanceResult[]): number | null {
  if (r.bestDistance) return r.bestDistance;
  const finals = all
    .filter((o) => o.suite === r.suite && o.name === r.name && !o.error && o.trace?.length)
    .map((o) => o.trace![o.trace!.length - 1]);
  if (finals.length === 0) return null;
  const fewest = Math.min(...finals.map((f) => f[3] ?? 0));
  return Math.min(...finals.filter((f) => (f[3] ?? 0) === fewest).map((f) => f[1]));
}

/** The best value of run `r` known at `ms`, or null before its first complete plan. */
function valueAt(r: InstanceResult, ms: number): number | null {
  const trace = r.trace ?? [];
  const finalOut = trace.length > 0 ? (trace[trace.length - 1][3] ?? 0) : 0;
  let v: number | null = null;
  for (const [t, cost, out, mandatoryOut] of trace) {
    if (t > ms) break;
    // Published references count every visit; a generated day is compared once its plan is
    // as complete as the run's final one.
    const complete = r.bestDistance ? (out ?? 0) === 0 : (mandatoryOut ?? 0) === finalOut;
    if (complete) v = cost;
  }
  return v;
}

export function timeGrid(maxMs: number, points = 48, fromMs = 10): number[] {
  const lo = Math.log10(fromMs);
  const hi = Math.log10(Math.max(maxMs, fromMs * 10));
  return Array.from({ length: points }, (_, k) => 10 ** (lo + ((hi - lo) * k) / (points - 1)));
}

/** One series per class plus one for the whole suite; x in seconds, y in % above the reference. */
export function qualityCurves(results: InstanceResult[]): Series[] {
  const ok = results.filter((r) => !r.error && r.trace && r.trace.length > 0);
  if (ok.length === 0) return [];
  const grid = timeGrid(Math.max(...ok.map((r) => r.timeMs ?? 0)));
  const refs = new Map(ok.map((r) => [r, reference(r, results)]));
  const curve = (name: string, runs: InstanceResult[]): Series => {
    const points: [number, number][] = [];
    for (const ms of grid) {
      const gaps: number[] = [];
      for (const r of runs) {
        const v = valueAt(r, ms);
        const ref = refs.get(r)!;
        if (v === null || ref === null) break;
        gaps.push((v / ref - 1) * 100);
      }
      if (gaps.length === runs.length)
        points.push([ms / 1000, gaps.reduce((a, b) => a + b, 0) / gaps.length]);
    }
    return { name, points };
  };
  const groups = new Map<string, InstanceResult[]>();
  for (const r of ok) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const series = [...groups].map(([g, runs]) => curve(g, runs));
  if (groups.size > 1) series.push(curve('all', ok));
  return series;
}
