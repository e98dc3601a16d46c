import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RunningService, startService } from './service.ts';

/**
 * The web app in headless Chromium against `hhc serve` in memory mode: what a coordinator and a
 * nurse do. Screenshots go to web/e2e/output/ (not committed).
 */
const OUT = fileURLToPath(new URL('./output/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../fixtures/care/demo-day.json', import.meta.url));
/** The demo's visits on a day to come: a re-plan of it freezes nothing, whatever the hour of the test. */
const DAY = `${OUT}day-to-come.json`;
let svc: RunningService;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(DAY, JSON.stringify({ ...JSON.parse(readFileSync(DEMO, 'utf8')), date: '2030-01-07' }));
  [svc, browser] = await Promise.all([startService(), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/** axe-core's serious and critical findings on the page (WCAG 2 A and AA rules). */
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Through the debugging protocol: the app's Content-Security-Policy refuses inline scripts, rightly.
  await page.evaluate(axe.source);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }),
  )) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`);
}

describe('the web app in a real browser', () => {
  it('a coordinator signs in, submits a day, watches it solve, reads the board, marks a nurse absent and sees the new version', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(svc.url);
    await page.getByLabel('Access key').fill(svc.coordinatorKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Plans' }).count(), { timeout: 15_000 })
      .toBe(1);
    // The demo day is listed; a new day is uploaded as a file and planned.
    await page.getByLabel(/Upload a day/).setInputFiles(DAY);
    await page.getByRole('button', { name: 'Plan it' }).click();
    await page.getByRole('status').filter({ hasText: 'Solving' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('best-cost').waitFor({ timeout: 15_000 });
    await page.getByTestId('version').filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
    // The board: a row per working nurse, every visit a labelled control, the figures.
    const rows = page.locator('.timeline .row');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.seg.care').count()).toBe(
      40 - Number(await page.getByTestId('fig-left-out').textContent()),
    );
    expect(await page.locator('.seg.care').first().getAttribute('aria-label')).toMatch(
      /Visit .* · Patient .* · \d\d:\d\d–\d\d:\d\d · Window/,
    );
    await page.screenshot({ path: `${OUT}board.png` });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Hugo falls ill at noon: re-plan, a new version, what moved.
    await page.locator('#absent-nurse').selectOption('hugo');
    await page.locator('#absent-from').fill('12:00');
    await page
      .getByRole('form', { name: 'Nurse absent' })
      .getByRole('button', { name: 'Re-plan now' })
      .click();
    await page.getByTestId('version').filter({ hasText: '2' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('changes').textContent()).toMatch(/\d+ moved/);
    const afterNoon = await page
      .locator('.row[data-nurse="hugo"] .seg.care')
      .evaluateAll((els) => els.length);
    expect(afterNoon).toBeGreaterThanOrEqual(0);
    await page.screenshot({ path: `${OUT}board-v2.png` });
    // Version 1 beside it: the figures side by side, and its rows.
    await page.getByLabel('Compare with').selectOption('1');
    await page.locator('table.compare').waitFor();
    expect(await page.locator('table.compare tbody tr').count()).toBe(5);
    await page.getByLabel('Compare with').selectOption('');

    // A visit of Claire's dragged onto Ines's row is pinned there; the re-plan keeps it there.
    const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as {
      nurses: { id: string; skills?: string[] }[];
      visits: { id: string; skills?: string[] }[];
    };
    const inesSkills = new Set(demo.nurses.find((n) => n.id === 'ines')!.skills);
    const hers = await page
      .locator('.board-main > .timeline .row[data-nurse="claire"] .seg.care')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-visit')!));
    const visit = hers.reverse().find((id) => {
      const v = demo.visits.find((x) => x.id === id)!;
      return (v.skills ?? []).every((k) => inesSkills.has(k)) && !/^p000[12]-/.test(id); // not tied to another visit
    })!;
    // One Ines cannot do is refused at once, saying why.
    const palliative = hers.find((id) =>
      (demo.visits.find((x) => x.id === id)!.skills ?? []).includes('palliative'),
    );
    if (palliative !== undefined) {
      await page
        .locator(`.board-main > .timeline .row[data-nurse="claire"] .seg.care[data-visit="${palliative}"]`)
        .dragTo(page.locator('.board-main > .timeline .row[data-nurse="ines"] .track'));
      await page
        .getByRole('alert')
        .filter({ hasText: /palliative/ })
        .waitFor();
    }
    await page
      .locator(`.board-main > .timeline .row[data-nurse="claire"] .seg.care[data-visit="${visit}"]`)
      .dragTo(page.locator('.board-main > .timeline .row[data-nurse="ines"] .track'));
    await page.locator('.pins').getByText(`${visit} → ines`).waitFor();
    await page.locator('.pins').getByRole('button', { name: 'Re-plan now' }).click();
    await page
      .getByTestId('version')
      .filter({ hasText: '3' })
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await page.screenshot({ path: `${OUT}failed-v3.png`, fullPage: true });
        throw new Error(
          `${String(e)}\npage says: ${await page.locator('[role=alert], [role=status]').allTextContents()}`,
        );
      });
    await page
      .locator(`.board-main > .timeline .row[data-nurse="ines"] .seg.care[data-visit="${visit}"]`)
      .waitFor();

    // In Spanish, the same board.
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: /Tablero/ }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('a nurse opens her day on her phone, goes offline, reloads, and still sees it', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'fr-FR',
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${svc.url}/#key=${svc.nurseKey}`);
    await page.getByRole('heading', { name: /Ma journée · claire/ }).waitFor({ timeout: 30_000 });
    const stops = await page.locator('.stop').count();
    expect(stops).toBeGreaterThan(0);
    expect(await page.getByTestId('updated').textContent()).toMatch(/Mis à jour/);
    await page.screenshot({ path: `${OUT}nurse.png` });
    expect(await accessibilityViolations(page)).toEqual([]);
    // The service worker holds the app's files once it is active.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.getByRole('heading', { name: /Ma journée/ }).waitFor();
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: /Ma journée · claire/ }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.stop').count()).toBe(stops);
    await page.getByTestId('offline').waitFor();
    await page.screenshot({ path: `${OUT}nurse-offline.png` });
    await context.close();
  }, 90_000);

  it('the app is served with its service worker and weighs little for a phone', async () => {
    const index = await fetch(svc.url + '/');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const sizes = await Promise.all(
      scripts.map(async (s) => (await (await fetch(svc.url + s)).arrayBuffer()).byteLength),
    );
    // The phone's page: its script and style, without the board's map library.
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(80_000);
    expect((await fetch(svc.url + '/sw.js')).status).toBe(200);
    expect(readFileSync(fileURLToPath(new URL('../dist/sw.js', import.meta.url)), 'utf8')).toMatch(
      /precache/,
    );
  });
});
