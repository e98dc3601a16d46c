import { fileURLToPath } from 'node:url';
import AjvCompiler from '@fastify/ajv-compiler';
import autoload from '@fastify/autoload';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { PlanStoreApi } from '../service/plan-store.ts';
import type { JobQueue } from '../service/solve-queue.ts';
import { type TenantSlots, unlimitedSlots } from '../service/tenant-slots.ts';
import { type Principal, principalOf } from '../service/api-keys.ts';
import type { ServiceDeps } from '../service/deps.ts';
import type { RoadTravelService } from '../service/road/road-travel-service.ts';
import { serveWebApp } from './web-app.ts';
import { DEFAULT_SERVICE_LIMITS, type ServiceLimits } from './limits.ts';
import type { JobEvents } from '../service/job-events.ts';
import { type ProblemChecker, threadProblemChecker } from '../service/problem-checker.ts';
import { type Persistence, pingWithin, redisPersistence } from '../service/redis-health.ts';

/** What /readyz says: whether the store answers and keeps what it is given. */
export interface Readiness {
  ready: boolean;
  redis: string;
  persistence?: Persistence;
}

/** What the routes use: the service's dependencies, and the HTTP side's own. */
export interface AppDeps extends ServiceDeps {
  /** Who an API key speaks for. */
  principalOf(key: string): Promise<Principal | null>;
  /** Asks the worker running a job to stop it. */
  cancel(jobId: string): Promise<void>;
  readiness(): Promise<Readiness>;
  /** Redis, when the service runs on it (shared rate-limit counters); absent in memory mode. */
  redis?: Redis;
  mode: 'redis' | 'memory';
  /** Key prefix of the store and the API keys (tests use their own). */
  prefix: string;
  /** Base URL of an OSRM-compatible routing service for the nurses' turn-by-turn legs. */
  osrmUrl?: string;
  /** The web app's map tiles (HHC_TILE_URL); none: a plain background with the territory's outline. */
  tiles?: { url?: string; attribution?: string };
  limits: ServiceLimits;
}

export interface AppOptions {
  store: PlanStoreApi;
  queue: JobQueue;
  events: JobEvents;
  prefix: string;
  redis?: Redis;
  slots?: TenantSlots;
  checker?: ProblemChecker;
  osrmUrl?: string;
  /** A routing service for road travel in recommendations and simulations (the workers time solves with it). */
  road?: RoadTravelService;
  tiles?: { url?: string; attribution?: string };
  /** The built web app's folder (web/dist); absent or missing: `/` says how to build it. */
  webRoot?: string;
  limits?: Partial<ServiceLimits>;
  /** Publishes a cancel request where the workers listen (Redis mode). */
  publishCancel?: (jobId: string) => Promise<void>;
  /** Memory mode: keys and cancellation of the in-process backend. */
  principalOf?: (key: string) => Promise<Principal | null>;
  cancel?: (jobId: string) => Promise<void>;
  logger?: boolean;
  /** Fastify's trustProxy: behind a load balancer, the client's address comes from X-Forwarded-For (HHC_TRUST_PROXY). */
  trustProxy?: boolean | string;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/**
 * The API as a Fastify instance: plugins (errors, auth, limits, OpenAPI) and routes are loaded
 * from their folders; `server.ts` listens, tests use `app.inject()`. Nothing here listens or
 * reads the environment.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits: ServiceLimits = { ...DEFAULT_SERVICE_LIMITS, ...options.limits };
  const app = Fastify({
    // Logged URLs never carry a calendar token (`?token=`, docs/service.md "Calendar feeds").
    logger:
      options.logger === true
        ? {
            serializers: {
              req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
                method: req.method,
                url: req.url.replace(/([?&]token=)[^&]*/gi, '$1…'),
                hostname: req.hostname,
                remoteAddress: req.ip,
              }),
            },
          }
        : false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: limits.changesBytes,
    // Unknown fields are refused (never removed silently); `verbose` lets the error name the known ones.
    // The first error of a part only: a body of 300,000 bad items would otherwise make as many
    // error objects on the event loop. Query and path values are coerced from text (strictly:
    // hooks/strict-numbers.ts); bodies never are.
    ajv: { customOptions: { allErrors: false, coerceTypes: true, removeAdditional: false, verbose: true } },
    schemaController: {
      compilersFactory: {
        // Fastify's own Ajv compiler, except for problem bodies (`x-raw-body`): those arrive as
        // bytes and are parsed and validated in the checker's threads (api/views/problem-body.ts).
        buildValidator: (externalSchemas, ajvOptions) => {
          const options = (ajvOptions ?? {}) as { customOptions?: object };
          const compile = AjvCompiler()(externalSchemas as never, options as never);
          const compileBody = AjvCompiler()(
            externalSchemas as never,
            {
              ...options,
              customOptions: { ...options.customOptions, coerceTypes: false },
            } as never,
          );
          const acceptBytes = (() => true) as unknown as ReturnType<typeof compile>;
          return (route) => {
            if (route.httpPart !== 'body') return compile(route as never);
            const raw = (route.schema as { 'x-raw-body'?: boolean })['x-raw-body'] === true;
            return raw ? acceptBytes : compileBody(route as never);
          };
        },
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const { redis, store, queue, prefix, osrmUrl, events } = options;
  const checker =
    options.checker ?? threadProblemChecker({ limits: limits.problem, maxDepth: limits.maxDepth });
  let persistence: { at: number; value: Persistence } | null = null;
  const common = {
    store,
    queue,
    events,
    checker,
    prefix,
    osrmUrl,
    limits,
    slots: options.slots ?? unlimitedSlots,
    ...(options.road !== undefined && { road: options.road }),
    ...(options.tiles !== undefined && { tiles: options.tiles }),
  };
  const deps: AppDeps =
    redis !== undefined
      ? {
          ...common,
          redis,
          mode: 'redis',
          principalOf: (key) => principalOf(redis, key, prefix),
          cancel: options.publishCancel ?? (async () => undefined),
          readiness: async () => {
            if (!(await pingWithin(redis, 800)))
              return { ready: false, redis: 'down: no answer within 0.8 s' };
            if (persistence === null || Date.now() - persistence.at > 10_000) {
              const value = await redisPersistence(redis).catch((e: Error): Persistence => ({
                appendOnly: false,
                evictionPolicy: 'unknown',
                safe: false,
                problems: [`Redis does not tell its settings (INFO: ${e.message})`],
              }));
              persistence = { at: Date.now(), value };
            }
            return { ready: true, redis: 'up', persistence: persistence.value };
          },
        }
      : {
          ...common,
          mode: 'memory',
          principalOf: options.principalOf ?? (async () => null),
          cancel: options.cancel ?? (async () => undefined),
          readiness: async () => ({
            ready: true,
            redis: 'absent: in-memory mode, for trying the service (plans are lost when it stops)',
          }),
        };
  app.decorate('deps', deps);
  app.addHook('onClose', async () => {
    if (options.checker === undefined) await checker.close();
  });
  await app.register(autoload, { dir: fileURLToPath(new URL('./plugins', import.meta.url)), forceESM: true });
  await app.register(autoload, {
    dir: fileURLToPath(new URL('./routes', import.meta.url)),
    forceESM: true,
    ignorePattern: /\.test\.ts$/,
    autoHooks: true,
    cascadeHooks: true,
  });
  await serveWebApp(app, options.webRoot);
  return app;
}
