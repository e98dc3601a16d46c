/// <reference lib="dom" />
/**
 * Web app benchmark: how long the board of a big day takes to show in a real browser, and what
 * the pages weigh. `hhc serve` in memory mode (as `npm start` runs without Redis) and headless
 * Chromium (Debian's, through playwright-core).
 *
 * For each day: the problem is submitted and solved through the API (fixed seed and time), then
 * the board is opened `--runs` times in a fresh page: the time from navigation to every nurse's
 * row drawn (with the map), measured in the page. Page weight: the bytes the browser received
 * (compressed as served) for the coordinator's board and for a nurse's phone page.
 *
 *   npm run bench:web [-- --runs 5]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium, startService } from '../web/e2e/service.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const DAYS = ['had-60n-600v', 'had-300n-3000v'];

const svc = await startService();
const browser = await launchChromium();
try {
  const auth = { authorization: `Bearer ${svc.coordinatorKey}` };
  console.log('| day | routes | stops | board shown: median | min | max | board page weight |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const name of DAYS) {
    const body = readFileSync(new URL(`../fixtures/care/${name}.json`, import.meta.url), 'utf8');
    const res = await fetch(`${svc.url}/v1/plans?timeLimit=5&seed=1&wait=60`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body,
    });
    const solved = (await res.json()) as { planId: string; plan: { routes: { stops: unknown[] }[] } };
    const routes = solved.plan.routes.filter((r) => r.stops.length > 0).length;
    const stops = solved.plan.routes.reduce((n, r) => n + r.stops.length, 0);
    const times: number[] = [];
    let weight = 0;
    for (let k = 0; k < runs; k++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      await page.goto(`${svc.url}/#key=${svc.coordinatorKey}`);
      await page
        .getByRole('heading', { name: /Plannings|Plans|Planificaciones/ })
        .waitFor({ timeout: 30_000 });
      const start = await page.evaluate(() => performance.now());
      await page.evaluate((id) => (location.hash = `#/plans/${id}`), solved.planId);
      await page.waitForFunction((n) => document.querySelectorAll('.timeline .row').length >= n, routes, {
        timeout: 120_000,
      });
      await page.locator('.leaflet-interactive').first().waitFor();
      const shown = await page.evaluate(() => performance.now());
      times.push(shown - start);
      if (k === 0)
        weight = await page.evaluate(() =>
          [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
            .map(
              (e) =>
                (e as PerformanceResourceTiming).transferSize ||
                (e as PerformanceResourceTiming).encodedBodySize ||
                0,
            )
            .reduce((a, b) => a + b, 0),
        );
      await context.close();
    }
    times.sort((a, b) => a - b);
    const ms = (x: number) => `${Math.round(x)} ms`;
    console.log(
      `| ${name} | ${routes} | ${stops} | ${ms(times[Math.floor(times.length / 2)])} | ${ms(times[0])} | ${ms(times[times.length - 1])} | ${(weight / 1024).toFixed(0)} KiB |`,
    );
  }
  // A nurse's phone page: what it downloads (the app shell and her day, not the board's map library).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${svc.url}/#key=${svc.nurseKey}`);
  await page.locator('.stop').first().waitFor({ timeout: 30_000 });
  const entries = await page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({
      name: e.name.replace(location.origin, ''),
      bytes:
        (e as PerformanceResourceTiming).transferSize ||
        (e as PerformanceResourceTiming).encodedBodySize ||
        0,
    })),
  );
  const total = entries.reduce((a, e) => a + e.bytes, 0);
  console.log(`\nnurse's page (demo day): ${(total / 1024).toFixed(1)} KiB over ${entries.length} requests`);
  for (const e of entries) console.log(`  ${e.name.padEnd(60)} ${(e.bytes / 1024).toFixed(1)} KiB`);
  await context.close();
} finally {
  await browser.close();
  await svc.stop();
}
