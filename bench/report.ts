/** Markdown tables of a quality run: gaps per instance class to the best known values. */

export interface InstanceResult {
  suite: string;
  name: string;
  group: string;
  seed: number;
  /** The instance file, and (home-care suite) the whole plan the run wrote. */
  file?: string;
  planFile?: string;
  bestDistance: number | null;
  metric?: 'distance' | 'cost';
  provenOptimal?: boolean;
  cost?: number;
  bestVehicles: number | null;
  bestVehiclesDistance: number | null;
  /** The plan's distance, on the legs it was solved on (truncated ones under `convention` dimacs). */
  distance?: number;
  /** Solomon-format instances: the plan's distance with every arc truncated to 1 decimal (bench/dimacs-distance.ts). */
  distanceTrunc1?: number;
  /** How a Solomon-format instance was solved and checked: legs in double precision, or truncated to one decimal (bench/dimacs-distance.ts). */
  convention?: 'double' | 'dimacs';
  /** The best known value's convention (BenchInstance.bestConvention). */
  bestConvention?: 'trunc1';
  routes?: number;
  unassigned?: number;
  feasible?: boolean;
  iterations?: number;
  timeMs?: number;
  error?: string;
  plan?: string[][];
  /** Improvements of the best plan: [ms since start, cost, visits left out, mandatory left out] (run-instance.ts). */
  trace?: [number, number, number?, number?][];
  peakRssMb?: number;
  travelTime?: number;
  /** Mandatory visits left out (home-care problems). */
  leftOutMandatory?: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${x.toFixed(2)}%`);

export function gapPercent(r: InstanceResult): number | null {
  const value =
    r.metric === 'cost'
      ? r.cost
      : // A truncated best known value is compared with the truncated distance only (no gap
        // without it); results written before bestConvention existed keep their distance.
        r.bestConvention === 'trunc1'
        ? r.distanceTrunc1
        : r.distance;
  if (value === undefined || !r.bestDistance || r.unassigned) return null;
  return (value / r.bestDistance - 1) * 100;
}

export function markdownReport(
  label: string,
  settings: Record<string, unknown>,
  all: InstanceResult[],
): string {
  let results = all;
  const vehicles = settings.objective === 'vehicles';
  const lines = [`# Quality run: ${label}`, '', '```', JSON.stringify(settings), '```', ''];
  // Suites without a published best known value (generated days): costs, not gaps.
  const unpublished = new Set(
    results.filter((r) => !results.some((o) => o.suite === r.suite && o.bestDistance)).map((r) => r.suite),
  );
  if (unpublished.size > 0) lines.push(...costTable(results.filter((r) => unpublished.has(r.suite))));
  results = results.filter((r) => !unpublished.has(r.suite));
  if (results.length === 0) return lines.join('\n') + timeLimitLine(settings, all) + '\n';
  lines.push(
    vehicles
      ? '| suite | class | runs | routes | best-known routes | distance gap (same routes) | infeasible | mean s |'
      : '| suite | class | runs | mean gap | median gap | worst gap | routes | infeasible | mean s |',
  );
  lines.push(vehicles ? '|---|---|---|---|---|---|---|---|' : '|---|---|---|---|---|---|---|---|---|');
  const groups = new Map<string, InstanceResult[]>();
  for (const r of results) {
    const key = `${r.suite}\u0000${r.group}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const bySuite = new Map<string, InstanceResult[]>();
  for (const r of results) {
    if (!bySuite.has(r.suite)) bySuite.set(r.suite, []);
    bySuite.get(r.suite)!.push(r);
  }
  const row = (suite: string, group: string, rs: InstanceResult[]) => {
    const ok = rs.filter((r) => !r.error);
    const infeasible = rs.filter((r) => r.error || r.feasible === false || (r.unassigned ?? 0) > 0).length;
    const secs = mean(ok.map((r) => (r.timeMs ?? 0) / 1000)).toFixed(2);
    const routes = ok.reduce((a, r) => a + (r.routes ?? 0), 0);
    if (vehicles) {
      const best = ok.reduce((a, r) => a + (r.bestVehicles ?? 0), 0);
      const same = ok.filter((r) => r.routes === r.bestVehicles && r.bestVehiclesDistance);
      const gap = mean(same.map((r) => (r.distance! / r.bestVehiclesDistance! - 1) * 100));
      return `| ${suite} | ${group} | ${rs.length} | ${routes} | ${best} | ${pct(gap)} (${same.length}) | ${infeasible} | ${secs} |`;
    }
    const gaps = ok.map(gapPercent).filter((g): g is number => g !== null);
    return `| ${suite} | ${group} | ${rs.length} | ${pct(mean(gaps))} | ${pct(median(gaps))} | ${pct(Math.max(...gaps))} | ${routes} | ${infeasible} | ${secs} |`;
  };
  for (const [key, rs] of groups) {
    const [suite, group] = key.split('\u0000');
    lines.push(row(suite, group, rs));
  }
  for (const [suite, rs] of bySuite) lines.push(row(`**${suite}**`, '**all**', rs));
  lines.push('');
  const proven = results.filter((r) => r.provenOptimal && !r.error);
  if (proven.length > 0) {
    const matched = proven.filter((r) => (gapPercent(r) ?? Infinity) <= 0.01);
    const missed = proven
      .filter((r) => !matched.includes(r))
      .map((r) => `${r.name} ${pct(gapPercent(r) ?? NaN)}`);
    lines.push(
      `Proven optima matched within 0.01%: ${matched.length} of ${proven.length}` +
        (missed.length > 0 ? ` (missed: ${missed.join(', ')})` : '') +
        '.',
    );
    lines.push('');
  }
  lines.push(timeLimitLine(settings, results));
  lines.push(
    vehicles
      ? 'Routes are summed over the runs; the distance gap is to the hierarchical best known distance, over the runs that reach the best known route count.'
      : 'Gap = distance / best known distance-only value − 1 (Solomon: `distance_only.double_best`; Gehring-Homberger: `distance_only_trunc1`, against the plan distance with every arc truncated to 1 decimal, as in that convention, the plans solved and checked with every leg truncated so by default, `--convention dimacs`); Mankowska: summary.cost (Z) / `bks` in results.json − 1.',
  );
  lines.push('');
  return lines.join('\n');
}

function timeLimitLine(settings: Record<string, unknown>, results: InstanceResult[]): string {
  const limitMs = typeof settings.timeLimit === 'number' ? settings.timeLimit * 1000 : null;
  const times = results.filter((r) => r.timeMs !== undefined).map((r) => r.timeMs!);
  if (limitMs === null || times.length === 0) return '';
  const worst = Math.max(...times);
  const over = Math.max(0, worst - limitMs);
  return (
    `Time limit ${limitMs / 1000} s: longest solve ${(worst / 1000).toFixed(3)} s, overrun ${over} ms ` +
    `(${((over / limitMs) * 100).toFixed(1)}%; allowed: 5% or 100 ms).\n`
  );
}

/** Generated days: cost per instance over the seeds, what the plan leaves out, time and memory. */
function costTable(results: InstanceResult[]): string[] {
  const lines = [
    '| suite | instance | runs | mean cost | best cost | seed spread | travel (time units) | mandatory left out (all runs) | nurses working | checker | mean s | peak MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const byName = new Map<string, InstanceResult[]>();
  for (const r of results)
    byName.set(`${r.suite}\u0000${r.name}`, [...(byName.get(`${r.suite}\u0000${r.name}`) ?? []), r]);
  for (const [key, rs] of byName) {
    const [suite, name] = key.split('\u0000');
    const ok = rs.filter((r) => !r.error && r.cost !== undefined);
    if (ok.length === 0) {
      lines.push(
        `| ${suite} | ${name} | ${rs.length} | error: ${rs[0].error?.split('\n')[0] ?? 'no result'} |`,
      );
      continue;
    }
    const costs = ok.map((r) => r.cost!);
    const best = Math.min(...costs);
    const spread = costs.length > 1 ? `${((Math.max(...costs) / best - 1) * 100).toFixed(2)}%` : '–';
    const broken = rs.filter((r) => r.error || r.feasible === false).length;
    lines.push(
      `| ${suite} | ${name} | ${rs.length} | ${mean(costs).toFixed(1)} | ${best.toFixed(1)} | ${spread} | ${mean(ok.map((r) => r.travelTime ?? NaN)).toFixed(0)} | ` +
        `${ok.reduce((a, r) => a + (r.leftOutMandatory ?? 0), 0)} | ${mean(ok.map((r) => r.routes ?? 0)).toFixed(1)} | ${broken === 0 ? 'ok' : `${broken} failed`} | ` +
        `${mean(ok.map((r) => (r.timeMs ?? 0) / 1000)).toFixed(2)} | ${Math.max(...ok.map((r) => r.peakRssMb ?? 0))} |`,
    );
  }
  lines.push('');
  return lines;
}
