import { createHash } from 'node:crypto';
import type { ProblemInput } from '../../solver/index.ts';
import { lonLatsIn, type ThreadRoad } from '../../solver/model/road-places.ts';
import type { OsrmTable } from './osrm-table.ts';
import type { RoadCache } from './road-cache.ts';
import { type RoadOutcome, roadMatrices } from './road-matrices.ts';

/**
 * Road travel for the API's own computations on a stored problem (recommendations, applying one,
 * simulation), so that they time legs as the solve did: the cached matrices, and the last two
 * problems' matrices kept in this process (asking again about the same plan reads nothing).
 */
export class RoadTravelService {
  private readonly recent = new Map<string, RoadOutcome>();

  constructor(
    readonly table: OsrmTable,
    readonly cache: RoadCache,
  ) {}

  /**
   * The road matrices of a problem given as JSON text, with the places of `request` (its new
   * visit, patient or care) among them, or undefined (not a problem by lon/lat, or the service failed).
   */
  async forProblemText(text: string, request?: unknown): Promise<ThreadRoad | undefined> {
    const extra = lonLatsIn(request);
    const key = createHash('sha1').update(text).update(JSON.stringify(extra)).digest('base64url');
    let outcome = this.recent.get(key);
    if (outcome === undefined) {
      outcome = await roadMatrices(
        JSON.parse(text) as ProblemInput,
        this.table,
        this.cache,
        undefined,
        extra,
      );
      // A failure is not kept: the next request asks the service again.
      if (outcome.kind !== 'fallback') {
        this.recent.set(key, outcome);
        if (this.recent.size > 2) this.recent.delete(this.recent.keys().next().value!);
      }
    }
    return outcome.kind === 'road' ? { places: outcome.places, matrices: outcome.matrices } : undefined;
  }
}
