import { InputError } from '../model/errors.ts';
import type { DependencyInput, ProblemInput, SyncGroupInput, VisitInput } from '../model/input.ts';

/** The paper has no upper bound on a service start (lateness is soft): a far horizon stands for it. */
export const MANKOWSKA_HORIZON = 1e7;

/** True when the text has the section keywords of a Mankowska et al. (2014) instance. */
export function looksLikeMankowska(text: string): boolean {
  return /^\s*nbNodes\s*$/m.test(text) && /^\s*nbVehi\s*$/m.test(text) && /^\s*mind\s*$/m.test(text);
}

/**
 * Reads a Mankowska, Meisel & Bierwirth (2014) home health care instance (format: the README of
 * ../shared/benchmarks/hhc/mankowska2014) into the native model: nurses `c1` … `cV` with the
 * services they are qualified for as skills `s1` … `sS`; one visit `p<node>-s<service>` per
 * required service (1-based service), a hard earliest start `e`, a preferred latest start `l`;
 * two services of one patient become a sync group (mind = maxd = 0) or a dependency of the
 * second on the first by service index, done by two nurses; weights make the objective the
 * paper's Z = (distance + total tardiness + largest tardiness) / 3.
 */
export function parseMankowska(text: string): ProblemInput {
  const sections = new Map<string, { line: number; values: number[] }>();
  let current: { line: number; values: number[] } | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (/^[A-Za-z]+$/.test(line)) {
      current = { line: i + 1, values: [] };
      sections.set(line, current);
      return;
    }
    if (current === null) fail(i + 1, `numbers before any section keyword: '${line.slice(0, 40)}'`);
    for (const tok of line.split(/\s+/)) {
      const x = Number(tok);
      if (!Number.isFinite(x)) fail(i + 1, `'${tok}' is not a number`);
      current.values.push(x);
    }
  });
  const get = (key: string, count: number): number[] => {
    const s = sections.get(key);
    if (s === undefined) fail(0, `section '${key}' is missing`);
    if (s.values.length < count)
      fail(s.line, `section '${key}' has ${s.values.length} numbers, expected ${count}`);
    return s.values;
  };
  const N = get('nbNodes', 1)[0];
  const V = get('nbVehi', 1)[0];
  const S = get('nbServi', 1)[0];
  for (const [k, x] of [['nbNodes', N] as const, ['nbVehi', V] as const, ['nbServi', S] as const])
    if (!Number.isInteger(x) || x < 1 || (k === 'nbNodes' && x < 3))
      fail(sections.get(k)!.line, `${k} must be a positive integer`);
  const r = get('r', N * S);
  const a = get('a', V * S);
  const d = get('d', N * N);
  const p = get('p', N * V * S);
  const mind = get('mind', N);
  const maxd = get('maxd', N);
  const e = get('e', N);
  const l = get('l', N);
  const ds = new Set((sections.get('DS')?.values ?? []).map((k) => k - 1));

  const durations = Array.from({ length: N }, (_, i) => d.slice(i * N, (i + 1) * N));
  const nurses = Array.from({ length: V }, (_, v) => ({
    id: `c${v + 1}`,
    start: { index: 0 },
    end: { index: N - 1 },
    skills: Array.from({ length: S }, (_, s) => s)
      .filter((s) => a[v * S + s] === 1)
      .map((s) => `s${s + 1}`),
  }));
  const visits: VisitInput[] = [];
  const syncGroups: SyncGroupInput[] = [];
  const dependencies: DependencyInput[] = [];
  for (let i = 1; i <= N - 2; i++) {
    const services = Array.from({ length: S }, (_, s) => s).filter((s) => r[i * S + s] === 1);
    if (services.length === 0) fail(sections.get('r')!.line + i, `patient ${i} needs no service`);
    const ids = services.map((s) => `p${i}-s${s + 1}`);
    services.forEach((s, k) =>
      visits.push({
        id: ids[k],
        patient: `p${i}`,
        location: { index: i },
        duration: p[i * V * S + s],
        skills: [`s${s + 1}`],
        timeWindows: [{ start: e[i], end: MANKOWSKA_HORIZON }],
        preferredWindow: { end: l[i] },
      }),
    );
    if (services.length > 2)
      fail(sections.get('r')!.line + i, `patient ${i} needs ${services.length} services (at most 2)`);
    if (services.length === 2) {
      if (!ds.has(i)) fail(sections.get('DS')?.line ?? 0, `patient ${i} needs two services but is not in DS`);
      if (mind[i] === 0 && maxd[i] === 0) syncGroups.push({ id: `p${i}`, visits: ids, tolerance: 0 });
      else
        dependencies.push({
          before: ids[0],
          after: ids[1],
          minDelay: mind[i],
          maxDelay: maxd[i],
          nurse: 'different',
        });
    }
  }
  return {
    name: 'mankowska',
    profiles: { car: { durations } },
    nurses,
    visits,
    syncGroups,
    dependencies,
    weights: {
      distance: 1 / 3,
      travelTime: 0,
      lateness: 1 / 3,
      maxLateness: 1 / 3,
      overtime: 0,
      continuity: 0,
    },
  };
}

function fail(line: number, message: string): never {
  throw new InputError([{ code: 'E_FORMAT', where: line > 0 ? `line ${line}` : '', message }]);
}
