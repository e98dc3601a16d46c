import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HHC = fileURLToPath(new URL('./hhc.js', import.meta.url));
const WEEK = fileURLToPath(new URL('../fixtures/care/example-week.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hhc-week-'));
const hhc = (...args: string[]) => {
  const r = spawnSync(process.execPath, [HHC, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe('a week through the CLI', () => {
  it('solves, checks every rule of the week and renders one timeline row per nurse-day', () => {
    const planFile = join(dir, 'plan.json');
    expect(hhc('solve', WEEK, '--iterations', '500', '--quiet', '--out', planFile).code).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(plan.calendar.timeZone).toBe('Europe/Paris');
    expect(plan.routes[0].stops[0].startTime).toMatch(/^2026-12-\d\dT\d\d:\d\d:\d\d\+01:00$/);
    const check = hhc('check', WEEK, planFile);
    expect(check.stdout).toMatch(/^feasible/);
    expect(check.code).toBe(0);
    // A hand-made break of a rule of the week: claire's day off made a working day.
    const problem = JSON.parse(readFileSync(WEEK, 'utf8'));
    const worked = plan.routes.find((r: { vehicle: string }) => r.vehicle === 'claire').date;
    problem.nurses[0].contract.daysOff = [worked];
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify(problem));
    const caught = hhc('check', edited, planFile);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain('day_off [vehicle claire]');
    const svg = hhc('render', WEEK, planFile);
    expect(svg.code).toBe(0);
    const rows = [...svg.stdout.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(rows.length).toBe(plan.routes.length);
    expect(rows[0]).toMatch(/^\S+ 12-\d\d$/);
  });

  it('names a bad calendar field and exits 2', () => {
    const problem = JSON.parse(readFileSync(WEEK, 'utf8'));
    problem.timeZone = 'Europe/Lile';
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(problem));
    const r = hhc('solve', bad, '--iterations', '10');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/timeZone');
  });
});
