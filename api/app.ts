import { fileURLToPath } from 'node:url';
import autoload from '@fastify/autoload';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { PlanStore } from '../workers/plan-store.ts';
import type { SolveQueue } from '../workers/solve-queue.ts';

export interface AppDeps {
  redis: Redis;
  store: PlanStore;
  queue: SolveQueue;
  /** Key prefix of the store and the API keys (tests use their own). */
  prefix: string;
  /** Base URL of an OSRM-compatible routing service for the nurses' turn-by-turn legs. */
  osrmUrl?: string;
  /** Requests per minute and API key (default 600). */
  rateLimit?: number;
}

export interface AppOptions extends AppDeps {
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
  app.decorate('deps', { redis, store, queue, prefix, osrmUrl, rateLimit });
  await app.register(autoload, { dir: fileURLToPath(new URL('./plugins', import.meta.url)), forceESM: true });
  await app.register(autoload, {
    dir: fileURLToPath(new URL('./routes', import.meta.url)),
    forceESM: true,
    ignorePattern: /\.test\.ts$/,
  });
  return app;
}
