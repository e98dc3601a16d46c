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
 * When the service fails, they are refused (503 E_ROUTING) rather than timed on coordinates
 * against a plan timed on roads.
 */
export class RoadTravelService {
  private readonly recent = new Map<string, Promise<RoadOutcome>>();
  private readonly failedAt = new Map<string, { at: number; why: string }>();

  constructor(
    readonly table: OsrmTable,
    readonly cache: RoadCache,
    /** How long a failure is remembered (ms): meanwhile, asking again answers at once. */
    private readonly failureMemoryMs = 30_000,
  ) {}

  /**
   * The road matrices of a problem given as JSON text, with the places of `request` (its new
   * visit, patient or care) among them: `road` (undefined for a problem not by lon/lat), or
   * `failed` with why when the routing service fails: the caller refuses rather than mix road
   * times with coordinate ones. Two requests for one problem share one computation.
   */
  async forProblemText(text: string, request?: unknown): Promise<{ road?: ThreadRoad; failed?: string }> {
    const extra = lonLatsIn(request);
    const key = createHash('sha1').update(text).update(JSON.stringify(extra)).digest('base64url');
    const failed = this.failedAt.get(key);
    if (failed !== undefined && Date.now() - failed.at < this.failureMemoryMs) return { failed: failed.why };
    let pending = this.recent.get(key);
    if (pending === undefined) {
      pending = roadMatrices(JSON.parse(text) as ProblemInput, this.table, this.cache, undefined, extra);
      this.recent.set(key, pending);
      if (this.recent.size > 2) this.recent.delete(this.recent.keys().next().value!);
    }
    const outcome = await pending;
    if (outcome.kind === 'fallback') {
      // A failure is not kept as a result: after a while the service is asked again.
      this.recent.delete(key);
      const why = outcome.warnings[0]?.message ?? 'the routing service failed';
      this.failedAt.set(key, { at: Date.now(), why });
      return { failed: why };
    }
    this.failedAt.delete(key);
    return outcome.kind === 'road' ? { road: { places: outcome.places, matrices: outcome.matrices } } : {};
  }
}
