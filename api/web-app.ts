import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The repository's root: up from this file (api/, or dist/api/ once built) to the folder whose
 * package.json is the project's (dist/ has one of its own, saying only that it holds modules);
 * null when this file was copied elsewhere.
 */
export function repositoryRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'hhc-planner'
    )
      return dir;
    dir = dirname(dir);
  }
  return null;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `npm run build:web` (Vite) writes the web app. */
const root = repositoryRoot();
export const DEFAULT_WEB_ROOT = root === null ? null : join(root, 'web', 'dist');

/**
 * The web app at `/` (docs/web.md): the built files through @fastify/static, index.html and the
 * service worker never cached by the browser (a new version shows at the next load), the hashed
 * assets for a year. Without a build, `/` says how to make one.
 */
export async function serveWebApp(
  app: FastifyInstance,
  root: string | null = DEFAULT_WEB_ROOT,
): Promise<void> {
  if (root === null || !existsSync(join(root, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built: run `npm run build:web` (npm install does it), then reload.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    setHeaders: (res, path) => {
      const immutable = /[\\/]assets[\\/]/.test(path);
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      // The app's own scripts only; map tiles from anywhere (HHC_TILE_URL); no framing.
      res.header('content-security-policy', CSP);
      res.header('x-content-type-options', 'nosniff');
    },
  });
}
