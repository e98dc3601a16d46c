/**
 * Fuzzing the API (issue 11, "Prove it"): generated and mutated requests to every /v1 route,
 * sent through `app.inject()` against a real-Redis test service, with three invariants checked
 * on every answer:
 *
 *   1. no 5xx, ever;
 *   2. every 400 names a field: a JSON body whose `issues` is a non-empty array of
 *      `{ pointer: string, code: string, message: string }`;
 *   3. a refused request (any 4xx) leaves nothing behind: the Redis keys under the service's
 *      prefix and of its BullMQ queue (key set, type and value, or a SHA-1 of a long value) and
 *      the queue's job counts are the same after it as before. Left out: rate-limit and
 *      failed-authentication counters (`:rate:`), the queue's event stream, and members a
 *      tenant's `queued` set forgets (jobs that ended or were removed: service/tenant-slots.ts).
 *
 * (HEAD answers have no body: their 400s are not checked for issues.)
 * Accepted requests are checked for 1 and 2 only, and a 202 submission's plan must be readable
 * with GET /v1/plans/:id. Requests are fast-check values (a fixed seed replays a run); ids that
 * exist only at run time (plans, jobs, keys) are symbolic in the values and resolved when sent.
 * No test framework here: api/fuzz.test.ts (the CI slice) and bench/fuzz-api.ts (the long run)
 * call runFuzz.
 */
export * from './service.ts';
export * from './specs.ts';
export * from './arbitraries.ts';
export * from './body-arbitraries.ts';
export * from './request-arbitraries.ts';
export * from './regressions.ts';
export * from './render.ts';
export * from './report.ts';
export * from './invariants.ts';
export * from './run.ts';
