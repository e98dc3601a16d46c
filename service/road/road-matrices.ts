import { createHash } from 'node:crypto';
import type { ProblemInput } from '../../solver/index.ts';
import type { Plan, PlanTravel, PlanWarning } from '../../solver/model/plan.ts';
import {
  type PlaceMatrices,
  type RoadPlaces,
  roadPlaces,
  withPlaceMatrices,
} from '../../solver/model/road-places.ts';
import { Travel } from '../../solver/model/travel.ts';
import { chunkPlaces, type PlaceChunk } from './place-chunks.ts';
import type { RoadCache } from './road-cache.ts';
import { OsrmError, type OsrmTable, type TableAnswer } from './osrm-table.ts';

export interface RoadStats {
  places: number;
  /** Table requests sent (retries not counted) and chunk-pair blocks fetched or found in the cache. */
  requests: number;
  fetchedBlocks: number;
  cachedBlocks: number;
  ms: number;
}

/** Road travel for a problem: its places and, per profile, matrices over SharedArrayBuffers (free to hand to a thread). */
export interface RoadMatrices {
  places: RoadPlaces;
  matrices: Record<string, PlaceMatrices>;
  warnings: PlanWarning[];
  stats: RoadStats;
}

export type RoadOutcome =
  /** Not a problem for a routing service (x/y, matrices of its own) or no place at all. */
  | { kind: 'none' }
  | ({ kind: 'road' } & RoadMatrices)
  /** The service failed: the problem keeps the coordinate model, and the plan says so. */
  | { kind: 'fallback'; warnings: PlanWarning[]; stats: RoadStats };

const shared = (n: number) => new Float64Array(new SharedArrayBuffer(n * 8));

/**
 * The road matrices of a problem given by lon/lat, from an OSRM table service: the places are cut
 * into chunks by content (place-chunks.ts), each pair of chunks is one cache entry (Float32 times
 * and distances), and what the cache lacks is asked in requests of at most `maxTableSize`² pairs
 * (chunks packed into bins of at most `maxTableSize` places), `concurrency` at a time. A day
 * solved again fetches nothing; a day with one more place fetches that place's chunk row and
 * column. Values pass through Float32 whether fetched or cached, so both give the same plan.
 * Pairs no road joins are estimated from coordinates, with a warning; a service that fails after
 * its retries leaves the coordinate model for the whole problem, with a warning. `extra` places
 * (a request's new visit) are measured with the problem's.
 */
export async function roadMatrices(
  input: ProblemInput,
  table: OsrmTable,
  cache: RoadCache,
  signal?: AbortSignal,
  extra: { lon: number; lat: number }[] = [],
): Promise<RoadOutcome> {
  const places = roadPlaces(input, extra);
  if (places === null) return { kind: 'none' };
  const started = performance.now();
  const P = places.keys.length;
  const stats: RoadStats = { places: P, requests: 0, fetchedBlocks: 0, cachedBlocks: 0, ms: 0 };
  const secondsPerUnit = input.timeUnit === 'second' ? 1 : 60;
  const matrices: Record<string, PlaceMatrices> = {};
  const warnings: PlanWarning[] = [];
  try {
    for (const profile of places.profiles) {
      const m = { durations: shared(P * P), distances: shared(P * P) };
      await fillProfile(profile, places, m, table, cache, stats, signal);
      const missing = estimateUnroutable(input, places, profile, m);
      if (missing.pairs > 0)
        warnings.push({
          code: 'W_ROAD_UNROUTABLE',
          message: `the routing service found no road for ${missing.pairs} pair(s) of places of profile '${profile}' (first: ${missing.first}): their travel is estimated from coordinates`,
        });
      if (secondsPerUnit !== 1) for (let i = 0; i < P * P; i++) m.durations[i] /= secondsPerUnit;
      matrices[profile] = m;
    }
  } catch (e) {
    stats.ms = performance.now() - started;
    if (signal?.aborted === true)
      return {
        kind: 'fallback',
        stats,
        warnings: [
          {
            code: 'W_ROAD_CANCELLED',
            message: 'cancelled before road travel times were fetched: travel is estimated from coordinates',
          },
        ],
      };
    const why = e instanceof OsrmError ? e.message : String(e);
    return {
      kind: 'fallback',
      stats,
      warnings: [
        {
          code: 'W_ROAD_FALLBACK',
          message: `the routing service failed (${why}): travel is estimated from coordinates (great circle × circuity at the profile's speed), not from roads`,
        },
      ],
    };
  }
  stats.ms = performance.now() - started;
  return { kind: 'road', places, matrices, warnings, stats };
}

async function fillProfile(
  profile: string,
  places: RoadPlaces,
  m: PlaceMatrices,
  table: OsrmTable,
  cache: RoadCache,
  stats: RoadStats,
  signal?: AbortSignal,
): Promise<void> {
  const P = places.keys.length;
  const L = table.maxTableSize;
  const chunks = chunkPlaces(places.keys, Math.max(1, Math.floor(L / 2)));
  const C = chunks.length;
  const source = createHash('sha1').update(table.sourceOf(profile)).digest('base64url').slice(0, 12);
  const keyOf = (a: number, b: number) => `${source}:${chunks[a].id}:${chunks[b].id}`;
  m.durations.fill(NaN);
  m.distances.fill(NaN);

  const have = new Uint8Array(C * C);
  const keys: string[] = [];
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) keys.push(keyOf(a, b));
  const cached = await cache.get(keys);
  for (let a = 0; a < C; a++)
    for (let b = 0; b < C; b++) {
      const buf = cached[a * C + b];
      const n = chunks[a].places.length * chunks[b].places.length;
      if (buf === null || buf.length !== n * 8) continue;
      const block = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
      scatter(m, P, chunks[a], chunks[b], block);
      have[a * C + b] = 1;
      stats.cachedBlocks++;
    }

  // Chunks packed, in order, into bins of at most L places: a request is (part of) a bin x a bin.
  const bins: number[][] = [];
  let size = Infinity;
  for (let c = 0; c < C; c++) {
    const n = chunks[c].places.length;
    if (size + n > L) {
      bins.push([]);
      size = 0;
    }
    bins[bins.length - 1].push(c);
    size += n;
  }
  const tasks: { A: number[]; B: number[] }[] = [];
  for (const Pbin of bins)
    for (const Qbin of bins) {
      const A = Pbin.filter((a) => Qbin.some((b) => have[a * C + b] === 0));
      if (A.length === 0) continue;
      const B = Qbin.filter((b) => A.some((a) => have[a * C + b] === 0));
      tasks.push({ A, B });
    }

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  if (signal?.aborted === true) throw new OsrmError('cancelled', 'Cancelled', false);
  signal?.addEventListener('abort', onAbort, { once: true });
  const pointsOf = (cs: number[]) => cs.flatMap((c) => chunks[c].places.map((i) => places.points[i]));
  const run = async (A: number[], B: number[]): Promise<void> => {
    const same = A.length === B.length && A.every((a, i) => a === B[i]);
    let answer: TableAnswer;
    try {
      stats.requests++;
      answer = await table.table(profile, pointsOf(A), same ? null : pointsOf(B), abort.signal);
    } catch (e) {
      // Over the server's size limit (OSRM's TooBig, or an HTTP server's limit on the URL's
      // length: 414, 431): ask in halves, down to one chunk by one chunk.
      const tooBig = e instanceof OsrmError && ['TooBig', 'HTTP 414', 'HTTP 431'].includes(e.code);
      if (tooBig && (A.length > 1 || B.length > 1)) {
        if (A.length >= B.length) {
          const h = A.length >> 1;
          await run(A.slice(0, h), B);
          return run(A.slice(h), B);
        }
        const h = B.length >> 1;
        await run(A, B.slice(0, h));
        return run(A, B.slice(h));
      }
      throw e;
    }
    const cols = B.reduce((s, b) => s + chunks[b].places.length, 0);
    const entries: [string, Buffer][] = [];
    let row = 0;
    for (const a of A) {
      const ra = chunks[a].places.length;
      let col = 0;
      for (const b of B) {
        const cb = chunks[b].places.length;
        const block = new Float32Array(2 * ra * cb);
        for (let i = 0; i < ra; i++)
          for (let j = 0; j < cb; j++) {
            block[i * cb + j] = answer.durations[(row + i) * cols + col + j];
            block[ra * cb + i * cb + j] = answer.distances[(row + i) * cols + col + j];
          }
        if (have[a * C + b] === 0) {
          scatter(m, P, chunks[a], chunks[b], block);
          have[a * C + b] = 1;
          stats.fetchedBlocks++;
          entries.push([keyOf(a, b), Buffer.from(block.buffer)]);
        }
        col += cb;
      }
      row += ra;
    }
    await cache.set(entries);
  };
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(table.concurrency, tasks.length) }, async () => {
        while (next < tasks.length && !abort.signal.aborted) {
          const t = tasks[next++];
          await run(t.A, t.B);
        }
      }),
    );
  } catch (e) {
    abort.abort();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  // The caller's signal aborted the runners (onAbort): some blocks were never fetched.
  if (abort.signal.aborted) throw new OsrmError('cancelled', 'Cancelled', false);
}

/** A block (Float32: times then distances, rows of chunk a, columns of chunk b) into the full matrices. */
function scatter(m: PlaceMatrices, P: number, a: PlaceChunk, b: PlaceChunk, block: Float32Array): void {
  const n = a.places.length * b.places.length;
  const cb = b.places.length;
  for (let i = 0; i < a.places.length; i++) {
    const base = a.places[i] * P;
    for (let j = 0; j < cb; j++) {
      m.durations[base + b.places[j]] = block[i * cb + j];
      m.distances[base + b.places[j]] = block[n + i * cb + j];
    }
  }
}

/** Pairs no road joins (NaN) get the coordinate model's figures, in seconds and metres like the rest. */
function estimateUnroutable(
  input: ProblemInput,
  places: RoadPlaces,
  profile: string,
  m: PlaceMatrices,
): { pairs: number; first: string } {
  const P = places.keys.length;
  const travel = new Travel({ ...input, timeUnit: 'second' });
  const p = travel.profileIndex(profile);
  let pairs = 0;
  let first = '';
  for (let i = 0; i < P; i++)
    for (let j = 0; j < P; j++) {
      const k = i * P + j;
      if (!Number.isNaN(m.durations[k]) && !Number.isNaN(m.distances[k])) continue;
      const [a, b] = [places.points[i], places.points[j]];
      const from = { lon: a[0], lat: a[1] };
      const to = { lon: b[0], lat: b[1] };
      m.durations[k] = i === j ? 0 : travel.duration(p, from, to);
      m.distances[k] = i === j ? 0 : travel.distance(p, from, to);
      if (i !== j && pairs++ === 0) first = `${places.keys[i]} → ${places.keys[j]}`;
    }
  return { pairs, first };
}

/** A problem with road travel put in (or kept as it is), and what its plan should say about its travel. */
export interface RoadProblem {
  problem: ProblemInput;
  /** Absent when the problem was not one for the routing service (x/y, its own matrices). */
  travel?: PlanTravel;
  warnings: PlanWarning[];
  stats?: RoadStats;
}

/** What a plan made from `outcome` says about its travel: `travel`, and `warnings` when there are any. */
export function travelNote(outcome: RoadOutcome): Pick<RoadProblem, 'travel' | 'warnings'> {
  if (outcome.kind === 'none') return { warnings: [] };
  return { travel: { source: outcome.kind === 'road' ? 'osrm' : 'coordinates' }, warnings: outcome.warnings };
}

/** roadMatrices, then the problem with them in place (withPlaceMatrices), in this thread. */
export async function withRoadTravel(
  input: ProblemInput,
  table: OsrmTable,
  cache: RoadCache,
  signal?: AbortSignal,
): Promise<RoadProblem> {
  const outcome = await roadMatrices(input, table, cache, signal);
  const note = travelNote(outcome);
  if (outcome.kind !== 'road')
    return { problem: input, ...note, ...(outcome.kind !== 'none' && { stats: outcome.stats }) };
  return {
    problem: withPlaceMatrices(input, outcome.places, outcome.matrices),
    ...note,
    stats: outcome.stats,
  };
}

/** The plan with its travel note: `travel`, and the warnings after any it has. */
export function notePlan<T extends Plan>(plan: T, note: Pick<RoadProblem, 'travel' | 'warnings'>): T {
  if (note.travel === undefined && note.warnings.length === 0) return plan;
  const warnings = [...(plan.warnings ?? []), ...note.warnings];
  return {
    ...plan,
    ...(note.travel !== undefined && { travel: note.travel }),
    ...(warnings.length > 0 && { warnings }),
  };
}
