import type { JobEvents } from './job-events.ts';
import type { PlanStoreApi } from './plan-store.ts';
import type { ProblemChecker } from './problem-checker.ts';
import type { RoadTravelService } from './road/road-travel-service.ts';
import type { JobQueue } from './solve-queue.ts';
import type { TenantSlots } from './tenant-slots.ts';

/** What the service's operations work on: Redis-backed in production, in memory to try it out. */
export interface ServiceDeps {
  store: PlanStoreApi;
  queue: JobQueue;
  /** Job events (pushed, never polled). */
  events: JobEvents;
  /** Per-tenant caps on open jobs. */
  slots: TenantSlots;
  /** Parses and validates problems in a thread pool. */
  checker: ProblemChecker;
  /** A routing service (OSRM_URL): recommendations and simulations time legs on roads, as solves do. */
  road?: RoadTravelService;
}
