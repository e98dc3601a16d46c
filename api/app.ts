import { fileURLToPath } from 'node:url';
import autoload from '@fastify/autoload';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { PlanStoreApi } from '../workers/memory-store.ts';
import { CANCEL_CHANNEL, type JobQueue } from '../workers/solve-queue.ts';
import { type Principal, principalOf } from './auth/api-keys.ts';

export interface AppDeps {
  store: PlanStoreApi;
  queue: JobQueue;
  /** Who an API key speaks for. */
  principalOf(key: string): Promise<Principal | null>;
  /** Asks the worker running a job to stop it. */
  cancel(jobId: string): Promise<void>;
  /** Whether the backing store answers. */
  ping(): Promise<boolean>;
  /** Redis, when the service runs on it (shared rate-limit counters); absent in memory mode. */
  redis?: Redis;
  mode: 'redis' | 'memory';
  /** Key prefix of the store and the API keys (tests use their own). */
  prefix: string;
  /** Base URL of an OSRM-compatible routing service for the nurses' turn-by-turn legs. */
  osrmUrl?: string;
  /** Requests per minute and API key (default 600). */
  rateLimit?: number;
}

export interface AppOptions
  extends
    Omit<AppDeps, 'principalOf' | 'cancel' | 'ping' | 'mode'>,
    Partial<Pick<AppDeps, 'principalOf' | 'cancel' | 'ping'>> {
  logger?: boolean;
  /** Largest body accepted, bytes (default 10 MiB: a 3000-visit day). */
  bodyLimit?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/**
 * The API as a Fastify instance: plugins (errors, auth) and routes are loaded from their
 * folders; `server.ts` listens, tests use `app.inject()`. Nothing here listens or reads env.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const { redis, store, queue, prefix, osrmUrl, rateLimit } = options;
  const deps: AppDeps =
    redis !== undefined
      ? {
          store,
          queue,
          prefix,
          osrmUrl,
          rateLimit,
          redis,
          mode: 'redis',
          principalOf: (key) => principalOf(redis, key, prefix),
          cancel: async (jobId) => {
            await redis.publish(
              CANCEL_CHANNEL,
              JSON.stringify({ jobId, reason: 'cancelled by a coordinator' }),
            );
          },
          ping: () =>
            redis.ping().then(
              () => true,
              () => false,
            ),
        }
      : {
          store,
          queue,
          prefix,
          osrmUrl,
          rateLimit,
          mode: 'memory',
          principalOf: options.principalOf ?? (async () => null),
          cancel: options.cancel ?? (async () => undefined),
          ping: options.ping ?? (async () => true),
        };
  app.decorate('deps', deps);
  await app.register(autoload, { dir: fileURLToPath(new URL('./plugins', import.meta.url)), forceESM: true });
  await app.register(autoload, {
    dir: fileURLToPath(new URL('./routes', import.meta.url)),
    forceESM: true,
    ignorePattern: /\.test\.ts$/,
  });
  return app;
}
