import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** End-to-end: the real `hhc` command in a child process, as users' scripts run it. */
const HHC = fileURLToPath(new URL('./hhc.js', import.meta.url));
const C101 = fileURLToPath(new URL('../fixtures/solomon/c101.txt', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hhc-cli-'));

function hhc(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [HHC, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A small native problem with geographic coordinates around Guéret (Creuse), in minutes. */
const geoProblem = {
  name: 'creuse-morning',
  nurses: [
    { id: 'anne', start: { lon: 1.8717, lat: 46.1714 }, shift: { start: 480, end: 780 }, capacity: 10 },
    {
      id: 'marc',
      start: { lon: 1.87, lat: 46.17 },
      end: null,
      shift: { start: 480, end: 720 },
      profile: 'car',
    },
  ],
  visits: [
    {
      id: 'p1',
      location: { lon: 1.95, lat: 46.2 },
      duration: 30,
      timeWindows: [{ start: 480, end: 600 }],
      demand: 1,
    },
    { id: 'p2', location: { lon: 1.8, lat: 46.1 }, duration: 20 },
    { id: 'p3', location: { lon: 2.02, lat: 46.25 }, duration: 45, timeWindows: [{ start: 540, end: 660 }] },
    { id: 'p4', location: { lon: 1.75, lat: 46.22 }, duration: 15, timeWindows: [{ start: 600, end: 700 }] },
  ],
};

describe('hhc solve and check', () => {
  it('solves a Solomon file: visit ids are customer numbers, the checker accepts the plan', () => {
    const out = join(dir, 'c101.plan.json');
    const r = hhc('solve', C101, '--iterations', '300', '--seed', '3', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/hhc: done in .* 300 iterations/);
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    expect(plan.summary).toMatchObject({ objective: 'distance', unassigned: 0 });
    expect(plan.summary.distance).toBeGreaterThan(828.9);
    expect(plan.solver).toEqual({ seed: 3, iterations: 300 });
    const ids = plan.routes.flatMap((rt: { stops: { visit: string }[] }) => rt.stops.map((s) => s.visit));
    expect(ids.sort((a: string, b: string) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 100 }, (_, i) => String(i + 1)),
    );
    const check = hhc('check', C101, out);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^feasible/);
  });

  it('gives byte-identical output for the same seed and iteration count', () => {
    const a = hhc('solve', C101, '--iterations', '150', '--seed', '7', '--quiet');
    const b = hhc('solve', C101, '--iterations', '150', '--seed', '7', '--quiet');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe('');
  });

  it('solves a native JSON problem with longitude/latitude, and reports violations of a tampered plan', () => {
    const problem = file('geo.json', JSON.stringify(geoProblem));
    const r = hhc('solve', problem, '--iterations', '200', '--quiet', '--objective', 'duration');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.summary.objective).toBe('duration');
    expect(plan.summary.unassigned).toBe(0);
    expect(plan.summary.distance).toBeGreaterThan(1000); // metres
    const good = file('geo.plan.json', r.stdout);
    expect(hhc('check', problem, good).code).toBe(0);

    plan.routes[0].stops[0].start -= 1000;
    plan.summary.distance += 5;
    const bad = hhc('check', problem, file('geo.bad.json', JSON.stringify(plan)));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/start_before_arrival/);
    expect(bad.stdout).toMatch(/summary/);
  });

  it('stops on the time limit', () => {
    const t0 = performance.now();
    const r = hhc('solve', C101, '--time-limit', '0.5', '--quiet');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.unassigned).toBe(0);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});

describe('hhc errors: exit 2 naming the file, the line or field, and the reason', () => {
  const solomon = readFileSync(C101, 'utf8');
  const lines = solomon.split('\n');
  const withLine = (n: number, text: string) => lines.map((l, i) => (i === n - 1 ? text : l)).join('\n');

  const cases: [string, () => string[], RegExp][] = [
    ['unknown format', () => ['solve', file('notes.txt', 'hello\nworld\n')], /notes\.txt: unknown format/],
    ['missing file', () => ['solve', join(dir, 'nope.txt')], /nope\.txt: no such file/],
    [
      'malformed number (Solomon)',
      () => [
        'solve',
        file('bad-number.txt', withLine(12, '    2      45         7x0        30  825  870  90')),
      ],
      /line 12: malformed number/,
    ],
    [
      'missing number (Solomon)',
      () => [
        'solve',
        file('short-row.txt', withLine(13, '    3      42         66         10         65        146')),
      ],
      /line 13: expected 7 numbers/,
    ],
    [
      'window ending before it starts (Solomon)',
      () => [
        'solve',
        file(
          'window.txt',
          withLine(14, '    4      42         68         10        782        727         90'),
        ),
      ],
      /line 14: due date 727 is before ready time 782/,
    ],
    [
      'negative service time (Solomon)',
      () => [
        'solve',
        file('neg.txt', withLine(15, '    5      42         65         10         15         67        -90')),
      ],
      /line 15: service time must be non-negative/,
    ],
    [
      'matrix of the wrong size (JSON)',
      () => [
        'solve',
        file(
          'matrix.json',
          JSON.stringify({
            profiles: {
              car: {
                durations: [
                  [0, 1],
                  [1, 0],
                ],
              },
            },
            nurses: [{ id: 'n', start: { index: 0 } }],
            visits: [{ id: 'v', location: { index: 2 } }],
          }),
        ),
      ],
      /matrix\.json: \/visits\/0\/location\/index: .*\[E_/,
    ],
    [
      'negative duration (JSON)',
      () => [
        'solve',
        file(
          'negdur.json',
          JSON.stringify({
            nurses: [{ id: 'n', start: { x: 0, y: 0 } }],
            visits: [{ id: 'v', location: { x: 1, y: 1 }, duration: -5 }],
          }),
        ),
      ],
      /negdur\.json: \/visits\/0\/duration: .*\[E_RANGE\]/,
    ],
    [
      'time window ending before it starts (JSON)',
      () => [
        'solve',
        file(
          'tw.json',
          JSON.stringify({
            nurses: [{ id: 'n', start: { x: 0, y: 0 } }],
            visits: [{ id: 'v', location: { x: 1, y: 1 }, timeWindows: [{ start: 50, end: 10 }] }],
          }),
        ),
      ],
      /tw\.json: \/visits\/0\/timeWindows\/0.*\[E_WINDOW_ORDER\]/,
    ],
    [
      'invalid JSON syntax',
      () => ['solve', file('syntax.json', '{\n  "nurses": [,\n}')],
      /syntax\.json: line 2, column \d+: invalid JSON/,
    ],
    ['unknown flag', () => ['solve', C101, '--fast'], /Unknown option '--fast'/],
    ['bad objective', () => ['solve', C101, '--objective', 'cheap'], /--objective must be one of/],
    ['bad time limit', () => ['solve', C101, '--time-limit', '0'], /--time-limit must be a positive number/],
    ['bad iterations', () => ['solve', C101, '--iterations', '2.5'], /--iterations must be an integer/],
    ['unknown command', () => ['plan', C101], /unknown command 'plan'/],
    [
      'plan file of the wrong shape',
      () => [
        'check',
        C101,
        file('plan.json', JSON.stringify({ summary: {}, routes: [{ vehicle: 1, stops: [] }] })),
      ],
      /plan\.json: \/routes\/0\/vehicle: must be a nurse id/,
    ],
  ];

  it.each(cases)('%s', (_name, args, message) => {
    const r = hhc(...args());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('hhc replan', () => {
  it('writes the problem of a re-plan; changes naming an unknown nurse exit 2 with the field', () => {
    const problem = file('replan-day.json', JSON.stringify(geoProblem));
    const plan = join(dir, 'replan-plan.json');
    expect(hhc('solve', problem, '--iterations', '50', '--quiet', '--out', plan).code).toBe(0);
    const ok = hhc(
      'replan',
      problem,
      plan,
      file('ok-changes.json', JSON.stringify({ now: 560, absentNurses: [{ nurse: 'marc' }] })),
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).nurses[1]).toMatchObject({ id: 'marc', end: null });
    const changes = file('bad-changes.json', JSON.stringify({ now: 560, absentNurses: [{ nurse: 'bob' }] }));
    const bad = hhc('replan', problem, plan, changes);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${changes}: /absentNurses/0/nurse: no nurse with id 'bob' [E_UNKNOWN_REF]`);
  });
});

describe('hhc recommend, explain and simulate', () => {
  const problem = file('reco-day.json', JSON.stringify({ ...geoProblem, travelSpread: 0.2 }));
  const plan = join(dir, 'reco-plan.json');
  const visit = file(
    'reco-visit.json',
    JSON.stringify({
      id: 'p5',
      location: { lon: 1.9, lat: 46.18 },
      duration: 20,
      timeWindows: [{ start: 540, end: 700 }],
    }),
  );

  it('recommends places, applies one into a plan the checker accepts, offers slots; bad input exits 2 naming it', () => {
    expect(hhc('solve', problem, '--iterations', '50', '--quiet', '--out', plan).code).toBe(0);
    const r = hhc('recommend', problem, plan, visit, '--count', '2');
    expect(r.code).toBe(0);
    const found = JSON.parse(r.stdout);
    expect(found.options).toHaveLength(2);
    expect(r.stderr).toMatch(/2 places for 'p5'/);
    const next = join(dir, 'reco-next.json');
    const nextPlan = join(dir, 'reco-next.plan.json');
    const applied = hhc(
      'recommend',
      problem,
      plan,
      visit,
      '--apply',
      '1',
      '--out-problem',
      next,
      '--out',
      nextPlan,
      '--quiet',
    );
    expect(applied.code).toBe(0);
    expect(hhc('check', next, nextPlan).code).toBe(0);
    const slots = hhc('recommend', problem, plan, visit, '--slots', '60', '--quiet');
    expect(slots.code).toBe(0);
    expect(JSON.parse(slots.stdout).slots.length).toBeGreaterThan(0);

    const bad = file(
      'reco-bad.json',
      JSON.stringify({ id: 'p1', location: { lon: 1.9, lat: 46.18 }, duration: -1 }),
    );
    const refused = hhc('recommend', problem, plan, bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}: /duration: must be a non-negative number [E_RANGE]`);
    expect(refused.stderr).toContain(`${bad}: /id: 'p1' is already used`);
    expect(hhc('recommend', problem, plan, '--visit', 'p1').stderr).toContain(
      "--visit: visit 'p1' is already in the plan",
    );
    expect(hhc('recommend', problem, plan).code).toBe(2); // neither a visit file nor --visit
    expect(hhc('recommend', problem, plan, visit, '--apply', '1').code).toBe(2); // --out-problem missing
  });

  it('explains a plan and simulates it', () => {
    const ex = hhc('explain', problem, plan);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/every visit is in the plan|left out/);
    const sim = hhc('simulate', problem, plan, '--scenarios', '200', '--json');
    expect(sim.code).toBe(0);
    const report = JSON.parse(sim.stdout);
    expect(report).toMatchObject({ scenarios: 200, seed: 1 });
    expect(report.onTimeRate).toBeGreaterThan(0);
    expect(hhc('simulate', problem, plan, '--scenarios', '0').code).toBe(2);
  });
});

describe('hhc import and export', () => {
  it('spreadsheets in, a plan out as CSV and GeoJSON, the CSV back in as the same visits; errors name row and column', () => {
    const visits = file(
      'import-visits.csv',
      'id,patient,lon,lat,duration,window_start,window_end,skills\n' +
        'a,pa,1.95,46.2,30,480,600,\n' +
        'b,pb,1.8,46.1,20,,,\n' +
        'c,pc,2.02,46.25,45,540,660,\n',
    );
    const nurses = file(
      'import-nurses.csv',
      'id,lon,lat,shift_start,shift_end\nanne,1.8717,46.1714,480,780\n',
    );
    const problem = join(dir, 'imported.json');
    expect(hhc('import', '--visits', visits, '--nurses', nurses, '--out', problem).code).toBe(0);
    const plan = join(dir, 'imported.plan.json');
    expect(hhc('solve', problem, '--iterations', '50', '--quiet', '--out', plan).code).toBe(0);
    const csv = join(dir, 'imported.plan.csv');
    expect(hhc('export', problem, plan, '--format', 'csv', '--out', csv).code).toBe(0);
    const again = join(dir, 'reimported.json');
    expect(hhc('import', '--visits', csv, '--nurses', nurses, '--out', again).code).toBe(0);
    const sorted = (f: string) =>
      (JSON.parse(readFileSync(f, 'utf8')).visits as { id: string }[]).sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(sorted(again)).toEqual(sorted(problem));
    const geo = hhc('export', problem, plan, '--format', 'geojson');
    expect(geo.code).toBe(0);
    expect(JSON.parse(geo.stdout).type).toBe('FeatureCollection');

    const bad = file('import-bad.csv', 'id,lon,lat,duration\nx,1.9,abc,10\n');
    const refused = hhc('import', '--visits', bad, '--nurses', nurses);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}: row 2, column lat: 'abc' is not a number [E_TYPE]`);
    expect(hhc('export', problem, plan, '--format', 'xml').code).toBe(2);
    // FHIR needs clock times: this problem has no date (exit 2, naming the problem file).
    const fhir = hhc('export', problem, plan, '--format', 'fhir');
    expect(fhir.code).toBe(2);
    expect(fhir.stderr).toContain(`${problem}: /date`);
  });
});
