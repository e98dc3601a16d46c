import { createHash } from 'node:crypto';
import { fnv1a } from '../../solver/search/fnv1a.ts';

/**
 * Places cut into chunks by their content, so that the cache of road matrices (one entry per
 * pair of chunks) survives a change of the day: places are ordered by a hash of their key, and
 * the hash range is halved until each part holds at most `max` places. A place added to the day
 * (an urgent visit) changes only the chunk its hash falls in, so a re-plan fetches that chunk's
 * row and column of the matrix, not the whole matrix again.
 */
export interface PlaceChunk {
  /** Positions into the place list, in hash order. */
  places: number[];
  /** Identifies the chunk's content: a hash of its keys. */
  id: string;
}

export function chunkPlaces(keys: string[], max: number): PlaceChunk[] {
  if (!(max >= 1)) throw new RangeError('a chunk holds at least one place');
  const order = keys
    .map((key, i) => ({ key, i, h: fnv1a(key) }))
    .sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const chunks: PlaceChunk[] = [];
  const emit = (from: number, to: number) => {
    if (to <= from) return;
    const part = order.slice(from, to);
    const id = createHash('sha1')
      .update(part.map((p) => p.key).join(';'))
      .digest('base64url')
      .slice(0, 20);
    chunks.push({ places: part.map((p) => p.i), id });
  };
  const split = (lo: number, hi: number, from: number, to: number) => {
    if (to - from <= max) return emit(from, to);
    if (hi - lo <= 1) {
      // One hash for more than `max` places: cut by count.
      for (let i = from; i < to; i += max) emit(i, Math.min(to, i + max));
      return;
    }
    const mid = Math.floor((lo + hi) / 2);
    let k = from;
    let end = to;
    while (k < end) {
      const m = (k + end) >>> 1;
      if (order[m].h < mid) k = m + 1;
      else end = m;
    }
    split(lo, mid, from, k);
    split(mid, hi, k, to);
  };
  split(0, 2 ** 32, 0, order.length);
  return chunks;
}
