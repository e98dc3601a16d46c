import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the shared public benchmarks live: ../shared/benchmarks beside the repository, or $HHC_BENCHMARKS. */
export const BENCHMARKS_DIR =
  process.env.HHC_BENCHMARKS ?? fileURLToPath(new URL('../../shared/benchmarks/', import.meta.url));

export interface BenchInstance {
  suite: string;
  name: string;
  /** Instance class for grouping (c1, r2, rc1, …). */
  group: string;
  file: string;
  /** Best known distance with free vehicle count (the distance objective's reference); Mankowska: best known Z. */
  bestDistance: number | null;
  /** What the gap compares: the plan's distance, or its summary cost (Mankowska's Z). */
  metric: 'distance' | 'cost';
  /**
   * The convention of bestDistance: 'trunc1' (DIMACS: every arc truncated to 1 decimal;
   * Gehring-Homberger) compares the plan's distance under that convention; otherwise double precision.
   */
  bestConvention?: 'trunc1';
  /** Mankowska: the best known value is proven optimal. */
  provenOptimal?: boolean;
  /** Hierarchical best known (vehicles first, then distance). */
  bestVehicles: number | null;
  bestVehiclesDistance: number | null;
}

/** What a result records of its instance, beside the run's own output (bench/run-instance.ts). */
export function resultMeta(inst: BenchInstance, seed: number) {
  return {
    suite: inst.suite,
    name: inst.name,
    group: inst.group,
    seed,
    file: inst.file,
    bestDistance: inst.bestDistance,
    metric: inst.metric,
    bestConvention: inst.bestConvention,
    provenOptimal: inst.provenOptimal,
    bestVehicles: inst.bestVehicles,
    bestVehiclesDistance: inst.bestVehiclesDistance,
  };
}

export const SUITES = ['solomon', 'homberger200', 'homberger400', 'mankowska', 'care'] as const;

/** The generated hospital-at-home days committed in fixtures/care/ (no published best known value). */
export const CARE_DAYS = ['had-5n-40v', 'had-60n-600v', 'had-300n-3000v'];
export type SuiteName = (typeof SUITES)[number];

export function loadSuite(suite: SuiteName): BenchInstance[] {
  if (suite === 'solomon') {
    const dir = `${BENCHMARKS_DIR}solomon/`;
    const bks = readJson(`${dir}bks.json`);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => {
        const name = f.replace('.txt', '');
        const b = bks[name] ?? {};
        return {
          suite,
          name,
          group: /^[a-z]+\d/.exec(name)![0],
          file: `${dir}${f}`,
          bestDistance: b.distance_only?.double_best?.distance ?? null,
          metric: 'distance' as const,
          bestVehicles: b.vehicles ?? null,
          bestVehiclesDistance: b.distance ?? null,
        };
      });
  }
  if (suite === 'care') {
    return CARE_DAYS.map((name) => ({
      suite,
      name,
      group: name.replace(/^had-(\d+)n-(\d+)v$/, '$2 visits'),
      file: fileURLToPath(new URL(`../fixtures/care/${name}.json`, import.meta.url)),
      bestDistance: null,
      metric: 'cost' as const,
      bestVehicles: null,
      bestVehiclesDistance: null,
    }));
  }
  if (suite === 'mankowska') {
    const dir = `${BENCHMARKS_DIR}hhc/mankowska2014/`;
    const results = readJson(`${dir}results.json`);
    return Object.entries(results)
      .map(([name, r]) => ({
        suite,
        name,
        group: r.set as string,
        file: `${dir}${r.file as string}`,
        bestDistance: r.bks as number,
        metric: 'cost' as const,
        provenOptimal: r.proven_optimal === true,
        bestVehicles: null,
        bestVehiclesDistance: null,
      }))
      .filter((i) => existsSync(i.file))
      .sort((a, b) => a.group.localeCompare(b.group) || naturalOrder(a.name, b.name));
  }
  const size = suite === 'homberger200' ? 200 : 400;
  const dir = `${BENCHMARKS_DIR}homberger/`;
  const bks = readJson(`${dir}bks.json`);
  return readdirSync(`${dir}${size}/`)
    .filter((f) => f.endsWith('.txt'))
    .sort(naturalOrder)
    .map((f) => {
      const name = f.replace('.txt', '');
      const b = bks[name] ?? {};
      return {
        suite,
        name,
        group: name.split('_')[0],
        file: `${dir}${size}/${f}`,
        bestDistance: b.distance_only_trunc1?.distance ?? null,
        metric: 'distance' as const,
        bestConvention: 'trunc1' as const,
        bestVehicles: b.vehicles ?? null,
        bestVehiclesDistance: b.distance ?? null,
      };
    });
}

export function suiteAvailable(): boolean {
  return existsSync(`${BENCHMARKS_DIR}solomon/bks.json`);
}

function readJson(path: string): Record<string, any> {
  if (!existsSync(path))
    throw new Error(
      `no ${path}: the public benchmarks are looked for in ../shared/benchmarks beside the repository, or in $HHC_BENCHMARKS`,
    );
  return JSON.parse(readFileSync(path, 'utf8'));
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
