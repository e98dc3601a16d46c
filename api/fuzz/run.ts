/** The run: what exists, sending each request, and checking the invariants on every answer. */
import fc from 'fast-check';

import { SNAPSHOT_LUA, type Snapshot, type StoreState, stateDiff } from './invariants.ts';
import { renderBody } from './render.ts';
import {
  type FuzzFailure,
  type FuzzOptions,
  type FuzzReport,
  type Known,
  type SentRequest,
  type World,
} from './report.ts';
import { requestArbitrary } from './request-arbitraries.ts';
import { BASES, DAY_TEXT, solvedPlan } from './service.ts';
import { type AuthSpec, type JobRef, type PlanRef, type RequestSpec, type Who } from './specs.ts';

export const ROUTES_202 = new Set([
  'POST /v1/plans',
  'PUT /v1/days/:date',
  'POST /v1/plans/:id/reoptimize',
  'POST /v1/plans/:id/recommendations/apply',
  'POST /v1/vroom',
]);

/** Checks invariant 2 on a 400's body; the problem, or null. */
export function issuesProblem(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const issues = (json as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return 'no issues array';
  if (issues.length === 0) return 'issues is empty';
  for (const [k, i] of issues.entries()) {
    const issue = i as Record<string, unknown> | null;
    for (const field of ['pointer', 'code', 'message'])
      if (typeof issue?.[field] !== 'string') return `issues[${k}].${field} is not a string`;
  }
  return null;
}

/** A failure as text: the invariant, the request (method, url, headers, first 500 characters of body) and the response. */
export function formatFailure(f: FuzzFailure): string {
  const body =
    f.request.body === undefined
      ? '(none)'
      : JSON.stringify(
          (Buffer.isBuffer(f.request.body) ? f.request.body.toString('latin1') : f.request.body).slice(
            0,
            500,
          ),
        );
  return [
    `[${f.invariant}] ${f.route} → ${f.status ?? '-'} (run ${f.run}): ${f.detail}`,
    `  ${f.request.method} ${f.request.url.slice(0, 1000)}`,
    `  headers: ${JSON.stringify(f.request.headers).slice(0, 1000)}`,
    `  body (${f.request.body === undefined ? 0 : Buffer.byteLength(f.request.body)} bytes): ${body}`,
    `  response: ${f.response.slice(0, 500)}`,
  ].join('\n');
}

export const uuid = (n: number) => {
  const h = (n >>> 0).toString(16).padStart(8, '0');
  return `${h}-0000-4000-8000-${h}0000`;
};

/**
 * Sends `runs` generated requests (fast-check, `seed`) through `app.inject()` and checks the three
 * invariants on each; returns counts by status and route and every failure. Never throws on a
 * failed invariant: the caller asserts `failures` is empty.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { runs, seed, app, svc, keys } = options;
  const resetEvery = options.resetEvery ?? 1000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxFailures = options.maxFailures ?? 200;
  const slowMs = options.slowMs ?? 1000;
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
  const progressEvery = options.progressEvery ?? 5000;
  const redis = svc.redis.duplicate({
    commandTimeout: 30_000,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 3,
  });
  const queueKeys = svc.queue.toKey('');
  const patterns = [`${svc.prefix}:*`, '', `${queueKeys}*`, `${queueKeys}events`];
  const keyOf: Record<Who, string> = { coordinator: keys.coordinator, nurse: keys.nurse, other: keys.other };
  const tenantOf: Record<Who, string> = {
    coordinator: keys.tenant,
    nurse: keys.tenant,
    other: keys.otherTenant,
  };

  const report: FuzzReport = {
    seed,
    requests: 0,
    byStatus: {},
    byRoute: {},
    failures: [],
    failureCount: 0,
    failureKinds: [],
    resets: 0,
    slow: [],
    durationMs: 0,
    requestsPerSecond: 0,
  };
  const kinds = new Map<string, { key: string; count: number; first: FuzzFailure }>();
  const fail = (f: FuzzFailure) => {
    report.failureCount++;
    if (report.failures.length < maxFailures) report.failures.push(f);
    const key = `${f.invariant} | ${f.route} | ${f.status ?? '-'}`;
    const kind = kinds.get(key);
    if (kind === undefined) {
      kinds.set(key, { key, count: 1, first: f });
      log?.(formatFailure(f));
    } else kind.count++;
  };

  const snapshot = async (): Promise<StoreState> => {
    const flat = (await redis.eval(SNAPSHOT_LUA, 0, ...patterns)) as string[];
    const map: Snapshot = new Map();
    for (let k = 0; k < flat.length; k += 3) map.set(flat[k], `${flat[k + 1]} ${flat[k + 2]}`);
    const counts = (await svc.queue.getJobCounts()) as Record<string, number>;
    return { keys: map, counts };
  };

  const auth = (who: Who) => ({ authorization: `Bearer ${keyOf[who]}` });
  const submit = async (who: Who, url: string, method: 'POST' | 'PUT', payload: string): Promise<Known> => {
    const res = await app.inject({
      method,
      url,
      payload,
      headers: { ...auth(who), 'content-type': 'application/json' },
    });
    if (res.statusCode !== 202)
      throw new Error(`fuzz setup: ${method} ${url} answered ${res.statusCode}: ${res.body}`);
    const { planId, jobId } = res.json() as { planId: string; jobId: string };
    return { tenant: tenantOf[who], planId, jobId };
  };
  const solvedOne = async (who: Who): Promise<Known> => {
    const known = await submit(who, '/v1/plans?timeLimit=1', 'POST', DAY_TEXT);
    const write = await svc.store.addVersion(known.tenant, known.planId, {
      status: 'solved',
      jobId: known.jobId,
      plan: solvedPlan(),
      problem: 1,
    });
    if (write.status !== 'written') throw new Error(`fuzz setup: version not written (${write.status})`);
    return known;
  };
  /** Empties the store (keys and rate counters stay) and the queue, and seeds them again. */
  const reset = async (): Promise<World> => {
    await svc.queue.obliterate({ force: true });
    const stale = (await redis.keys(`${svc.prefix}:*`)).filter(
      (k) => !k.includes(':rate:') && !k.startsWith(`${svc.prefix}:key:`),
    );
    if (stale.length > 0) await redis.del(...stale);
    const day = '2099-01-05';
    const world: World = {
      solved: await solvedOne('coordinator'),
      pending: await submit(
        'coordinator',
        '/v1/plans?timeLimit=1',
        'POST',
        JSON.stringify(BASES['had-5n-40v']),
      ),
      otherSolved: await solvedOne('other'),
      day,
      recent: [],
    };
    await submit('coordinator', `/v1/days/${day}?timeLimit=1`, 'PUT', DAY_TEXT);
    return world;
  };

  let world = await reset();
  let n = 0; // counter for random ids
  const whoOf = (a: AuthSpec): Who | null => (a.kind === 'key' || a.kind === 'twice' ? a.who : null);

  const planId = (ref: PlanRef, who: Who | null): string => {
    switch (ref.kind) {
      case 'solved':
        return (who === 'other' ? world.otherSolved : world.solved).planId;
      case 'pending':
        return world.pending.planId;
      case 'recent':
        return (world.recent[n % Math.max(1, world.recent.length)] ?? world.pending).planId;
      case 'otherSolved':
        return (who === 'other' ? world.solved : world.otherSolved).planId;
      case 'random':
        return uuid(++n * 2654435761);
      case 'bad':
        return ref.text;
    }
  };
  const jobId = (ref: JobRef, who: Who | null): string => {
    switch (ref.kind) {
      case 'waiting':
        return (who === 'other' ? world.otherSolved : world.pending).jobId;
      case 'recent':
        return (world.recent[n % Math.max(1, world.recent.length)] ?? world.pending).jobId;
      case 'cross':
        // A job of a tenant other than the caller's (never the caller's own: see foreignJobRefArb).
        return (who === 'other' ? world.solved : world.otherSolved).jobId;
      case 'random':
        return `${uuid(++n * 2654435761)}.1`;
      case 'numeric':
        return String(ref.n);
      case 'bad':
        return ref.text;
    }
  };

  const encodeAll = (s: string) =>
    [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

  const resolve = (spec: RequestSpec): SentRequest => {
    const who = whoOf(spec.auth);
    const parts = spec.segments.map((s) => {
      if (typeof s === 'string') {
        if (s === 'SEEDED') return world.day;
        if (s === 'SELF') return keys.nurseId;
        return spec.route === 'other' ? s : encodeURIComponent(s);
      }
      const id = 'plan' in s ? planId(s.plan, who) : jobId(s.job, who);
      return spec.pathStyle === 'encode-ids' ? encodeAll(id) : encodeURIComponent(id);
    });
    let path = `/${parts.join('/')}`;
    switch (spec.pathStyle) {
      case 'encode-v1':
        path = path.replace(/^\/v1\//, '/%761/');
        break;
      case 'upper':
        path = path.replace(/^\/v1\//, '/V1/');
        break;
      case 'double-slash':
        path = path.replace(/^\/v1\//, '/v1//');
        break;
      case 'trailing-slash':
        path = `${path}/`;
        break;
      case 'dot-segment':
        path = path.replace(/^\/v1\//, '/v1/./');
        break;
      case 'encoded-slash':
        path = `/${parts.join('%2F')}`;
        break;
      case 'semicolon':
        path = `${path};x=1`;
        break;
      default:
        break;
    }
    const headers: Record<string, string | string[]> = { ...spec.headers };
    const a = spec.auth;
    if (a.kind === 'key') headers.authorization = a.style.replaceAll('KEY', keyOf[a.who]);
    else if (a.kind === 'revoked') headers.authorization = `Bearer ${keys.revoked}`;
    else if (a.kind === 'garbage') headers.authorization = a.text;
    else if (a.kind === 'twice') headers.authorization = [`Bearer ${keyOf[a.who]}`, `Bearer ${keyOf[a.who]}`];
    if (spec.contentType !== null) headers['content-type'] = spec.contentType;
    const body = renderBody(spec.body);
    return { method: spec.method, url: spec.query === '' ? path : `${path}?${spec.query}`, headers, body };
  };

  const inject = async (req: SentRequest) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((ok) => {
      timer = setTimeout(() => ok('timeout'), timeoutMs);
    });
    try {
      return await Promise.race([
        app.inject({
          method: req.method as 'GET',
          url: req.url,
          headers: req.headers,
          ...(req.body !== undefined && { payload: req.body }),
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const t0 = performance.now();
  let before: StoreState | null = null;
  let run = 0;

  const one = async (spec: RequestSpec): Promise<void> => {
    run++;
    if (run > 1 && (run - 1) % resetEvery === 0) {
      world = await reset();
      report.resets++;
      before = null;
    }
    const req = resolve(spec);
    before ??= await snapshot();
    const failure = (
      invariant: FuzzFailure['invariant'],
      status: number | null,
      response: string,
      detail: string,
    ) => fail({ invariant, route: spec.route, request: req, status, response, detail, spec, run });
    let res: Awaited<ReturnType<typeof inject>>;
    const sent = performance.now();
    try {
      res = await inject(req);
    } catch (e) {
      // light-my-request refuses some requests before the app sees them (e.g. bad header characters).
      failure('inject-error', null, '', (e as Error).message);
      before = null;
      return;
    }
    report.requests++;
    if (res === 'timeout') {
      failure('timeout', null, '', `no answer within ${timeoutMs} ms`);
      before = null;
      return;
    }
    const status = res.statusCode;
    const ms = performance.now() - sent;
    if (ms > slowMs && report.slow.length < maxFailures)
      report.slow.push({ route: spec.route, ms, status, request: req });
    options.onResponse?.(spec, req, status, res.body);
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    const byRoute = (report.byRoute[spec.route] ??= {});
    byRoute[status] = (byRoute[status] ?? 0) + 1;
    if (status >= 500) failure('no-5xx', status, res.body, 'a 5xx answer');
    // A HEAD answer has no body (HTTP): its 400 is the GET's, which is checked on its own.
    if (status === 400 && req.method !== 'HEAD') {
      const problem = issuesProblem(res.body);
      if (problem !== null) failure('issues-on-400', status, res.body, problem);
    }
    if (status >= 400 && status < 500) {
      const after = await snapshot();
      const diff = stateDiff(before, after);
      if (diff.length > 0)
        failure(
          'nothing-left-behind',
          status,
          res.body,
          `the store changed: ${diff.slice(0, 10).join('; ')}`,
        );
      before = after;
      return;
    }
    before = null;
    if (status === 202 && ROUTES_202.has(spec.route)) {
      const who = whoOf(spec.auth) ?? 'coordinator';
      let id: string | undefined;
      let job: string | undefined;
      try {
        ({ planId: id, jobId: job } = res.json() as { planId?: string; jobId?: string });
      } catch {
        // not JSON: the readback below fails and says so
      }
      const got = await app.inject({
        url: `/v1/plans/${encodeURIComponent(String(id))}`,
        headers: auth(who),
      });
      if (got.statusCode !== 200 || (got.json() as { planId?: string }).planId !== id)
        failure('readable-after-202', got.statusCode, got.body, `GET /v1/plans/${id} after the 202`);
      else if (typeof job === 'string') {
        world.recent.unshift({ tenant: tenantOf[who], planId: String(id), jobId: job, who });
        world.recent.length = Math.min(world.recent.length, 20);
      }
    }
  };
  const progress = () => {
    if (options.onProgress !== undefined && run % progressEvery === 0) {
      finish();
      options.onProgress(run, report);
    }
  };

  const finish = () => {
    report.durationMs = performance.now() - t0;
    report.requestsPerSecond = report.requests / (report.durationMs / 1000);
    report.failureKinds = [...kinds.values()].sort((a, b) => b.count - a.count);
  };

  try {
    if (options.replay !== undefined) {
      for (const spec of options.replay) {
        await one(spec);
        progress();
      }
      finish();
      return report;
    }
    // Every value is checked by `one`; the property never fails, so fast-check neither stops nor shrinks.
    const details = await fc.check(
      fc.asyncProperty(options.arbitrary ?? requestArbitrary, async (spec) => {
        await one(spec);
        progress();
        return true;
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // Only the harness itself can fail the property (Redis gone, setup refused): say so.
    if (details.failed)
      throw new Error(`the fuzz run stopped at request ${run}`, { cause: details.errorInstance });
  } finally {
    redis.disconnect();
  }
  finish();
  return report;
}
