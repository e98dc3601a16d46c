import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOsrmServer, type OsrmServer } from '../fixtures/osrm/osrm-server.ts';

const HHC = new URL('./hhc.js', import.meta.url).pathname;
const DAY = new URL('../fixtures/care/example-day.json', import.meta.url).pathname;
const env = { ...process.env, HHC_FROM_SOURCE: '1' };

/** The CLI run without blocking this process's loop: the routing server answers from it. */
function hhc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [HHC, ...args],
      { encoding: 'utf8', timeout: 60_000, env },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

let osrm: OsrmServer;
const dir = mkdtempSync(join(tmpdir(), 'hhc-road-'));
beforeAll(async () => {
  osrm = await startOsrmServer();
});
afterAll(() => osrm.close());

describe('hhc with a routing service (--osrm)', () => {
  it('solves on road times, says so in the plan, and checks against the same service', async () => {
    const plan = join(dir, 'day.plan.json');
    const solved = await hhc('solve', DAY, '--iterations', '200', '--osrm', osrm.url, '--out', plan);
    expect(solved.code).toBe(0);
    expect(solved.stderr).toMatch(
      /road travel from http:\/\/127\.0\.0\.1:\d+: \d+ places, \d+ table requests/,
    );
    const written = JSON.parse(readFileSync(plan, 'utf8'));
    expect(written.travel).toEqual({ source: 'osrm' });
    const checked = await hhc('check', DAY, plan, '--osrm', osrm.url);
    expect(checked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^feasible/) });
    // Against the coordinate model the times do not hold: the checker says so, with the hint.
    const crow = await hhc('check', DAY, plan);
    expect(crow.code).toBe(1);
    expect(crow.stderr).toMatch(/check it against the same one \(--osrm URL\)/);
  });

  it('a service that fails gives a plan on coordinates, with the warning on stderr and in the plan', async () => {
    osrm.failNext(100);
    try {
      const out = await hhc('solve', DAY, '--iterations', '50', '--osrm', osrm.url, '--quiet');
      expect(out.code).toBe(0);
      expect(out.stderr).toMatch(/warning: the routing service failed .* \[W_ROAD_FALLBACK\]/);
      const plan = JSON.parse(out.stdout);
      expect(plan.travel).toEqual({ source: 'coordinates' });
      expect(plan.warnings[0].code).toBe('W_ROAD_FALLBACK');
    } finally {
      osrm.failNext(0);
    }
  });

  it('refuses a URL that is not http(s), and a table size without a service (exit 2)', async () => {
    const bad = await hhc('solve', DAY, '--osrm', 'ftp://osrm');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--osrm must be an http\(s\) URL, got 'ftp:\/\/osrm'/);
    const size = await hhc('solve', DAY, '--osrm-table-size', '50');
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/--osrm-table-size needs --osrm/);
    const small = await hhc('solve', DAY, '--osrm', osrm.url, '--osrm-table-size', '1');
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/--osrm-table-size must be an integer >= 2/);
  });
});
