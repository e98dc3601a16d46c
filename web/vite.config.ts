import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The web app (docs/web.md): Preact through esbuild's JSX, built into web/dist, which the API
 * serves at `/`. vite-plugin-pwa (Workbox) writes the service worker: the app's files are
 * precached, so that a nurse's page reloads without a network; her last day is kept by the page.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  plugins: [
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null,
      manifest: {
        name: 'hhc: home care planning',
        short_name: 'hhc',
        lang: 'fr',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1d4ed8',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/v1\//, /^\/docs/, /^\/openapi\.json/, /^\/healthz/, /^\/readyz/],
      },
    }),
  ],
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
