import { describe, expect, it } from 'vitest';
import { InputError } from '../model/errors.ts';
import { issueCodes } from '../model/issue-codes.ts';
import type { ProblemInput } from '../model/input.ts';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { solve } from '../solve.ts';
import { csvIssues, nursesFromCsv, planCsv, visitsFromCsv } from './csv.ts';
import { planGeoJson } from './plan-geojson.ts';

const VISITS = `id,patient,address,lon,lat,duration,window_start,window_end,window2_start,window2_end,skills,preferred_nurses,excluded_nurses,optional,priority,notes
dupont-am,dupont,"3 rue de Paris, Lille",3.0815,50.6361,15,450,540,,,RN,hugo,,,,
dupont-pm,dupont,"3 rue de Paris, Lille",3.0815,50.6361,15,660,780,,,RN,hugo,,,,
martin,martin,12 rue Nationale,3.0066,50.6105,30,540,600,840,900,RN;wound,,ines,,,"code 1234, 2nd floor"
leroy,leroy,,3.12,50.65,20,600,900,,,,,,yes,2,
ehpad,,"EHPAD Les Tilleuls",2.95,50.62,45,480,1000,,,,,,,,`;
const NURSES = `id,lon,lat,end_lon,end_lat,shift_start,shift_end,skills,max_working_time,max_visits,overtime_max,overtime_cost
claire,3.0573,50.6292,,,480,960,RN;wound,450,8,30,1.5
hugo,3.1746,50.6942,3.06,50.63,420,780,RN,,,,
ines,2.9056,50.6371,,,480,900,,,,,`;
const issues = issueCodes;

describe('spreadsheets', () => {
  const problem: ProblemInput = {
    nurses: nursesFromCsv(NURSES, 'nurses.csv'),
    visits: visitsFromCsv(VISITS, 'visits.csv'),
  };

  it('import → solve → export → re-import gives the same problem', () => {
    const valid = validateProblem(problem);
    expect(valid.visits).toHaveLength(5);
    expect(problem.visits[2]).toMatchObject({
      timeWindows: [
        { start: 540, end: 600 },
        { start: 840, end: 900 },
      ],
      skills: ['RN', 'wound'],
      excludedNurses: ['ines'],
      notes: 'code 1234, 2nd floor',
    });
    expect(problem.nurses[0]).toMatchObject({ overtime: { max: 30, cost: 1.5 }, maxVisits: 8 });
    const { plan } = solve(valid, { seed: 1, stop: createStop({ iterations: 200 }) });
    const exported = planCsv(valid, plan);
    expect(exported.split('\n')[0]).toMatch(/^status,nurse,shift,route_date,sequence,arrival,start,end,/);
    // A cell a spreadsheet would run as a formula is written as text.
    const formula = planCsv(
      { ...valid, visits: valid.visits.map((v, k) => (k === 0 ? { ...v, notes: '=HYPERLINK("x")' } : v)) },
      plan,
    );
    expect(formula).toContain(`"'=HYPERLINK(""x"")"`);
    const again = validateProblem({ nurses: problem.nurses, visits: visitsFromCsv(exported, 'plan.csv') });
    const byId = (p: ProblemInput) => [...p.visits].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(again)).toEqual(byId(valid));
  });

  it('names the file, the row and the column of every error', () => {
    expect(issues(() => visitsFromCsv('id,lon,lat,durration\nx,1,2,3\n', 'v.csv'))).toEqual([
      'E_UNKNOWN_FIELD v.csv: row 1, column 4 (durration)',
    ]);
    expect(issues(() => visitsFromCsv('id,lon,lat,duration\nx,1,abc,3\ny,1,2,\n', 'v.csv'))).toEqual([
      'E_TYPE v.csv: row 2, column lat',
    ]);
    expect(issues(() => visitsFromCsv('id,lon,lat,window_start\nx,1,2,600\n', 'v.csv'))).toEqual([
      'E_MISSING v.csv: row 2, column window_end',
    ]);
    expect(issues(() => visitsFromCsv('id,lon,lat\n"x,1,2\n', 'v.csv'))[0]).toMatch(/^E_FORMAT v.csv/);
    expect(issues(() => nursesFromCsv('id,lon\na,1\n', 'n.csv'))).toEqual([
      'E_MISSING n.csv: row 2, column lat',
    ]);
    // What validation finds is named the same way.
    const bad = {
      ...problem,
      visits: visitsFromCsv('id,lon,lat,duration,window_start,window_end\nx,3.1,50.6,-3,600,500\n', 'v.csv'),
    };
    expect(issues(() => validateProblem(bad)).length).toBeGreaterThan(0);
    try {
      validateProblem(bad);
    } catch (e) {
      expect(
        csvIssues((e as InputError).issues, { visits: 'v.csv' }).map((i) => `${i.code} ${i.where}`),
      ).toEqual(['E_RANGE v.csv: row 2, column duration', 'E_WINDOW_ORDER v.csv: row 2, column window_end']);
    }
  });
});

describe('GeoJSON of a plan', () => {
  it('has a line per route, a point per stop with its times, a point per left-out visit', () => {
    const valid = validateProblem({
      nurses: nursesFromCsv(NURSES, 'n.csv'),
      visits: [
        ...visitsFromCsv(VISITS, 'v.csv'),
        {
          id: 'night',
          location: { lon: 3, lat: 50.6 },
          duration: 10,
          timeWindows: [{ start: 1300, end: 1320 }],
        },
      ],
    });
    const { plan } = solve(valid, { seed: 1, stop: createStop({ iterations: 100 }) });
    const geo = planGeoJson(valid, plan);
    const kinds = geo.features.map((f) => f.properties?.kind);
    expect(kinds.filter((k) => k === 'route')).toHaveLength(plan.routes.length);
    expect(kinds.filter((k) => k === 'stop')).toHaveLength(
      plan.routes.reduce((n, r) => n + r.stops.length, 0),
    );
    expect(geo.features.find((f) => f.properties?.kind === 'unassigned')?.properties).toMatchObject({
      visit: 'night',
      reason: 'time_window',
    });
    const route = geo.features.find((f) => f.properties?.kind === 'route')!;
    expect(route.geometry.type).toBe('LineString');
    const stop = geo.features.find((f) => f.properties?.kind === 'stop')!;
    expect(stop.properties).toMatchObject({
      nurse: expect.any(String),
      visit: expect.any(String),
      start: expect.any(Number),
    });
    expect(
      issues(() =>
        planGeoJson(
          { nurses: [{ id: 'a', start: { x: 0, y: 0 } }], visits: [] },
          { ...plan, routes: [{ ...plan.routes[0], vehicle: 'a', stops: [] }], unassigned: [] },
        ),
      ),
    ).toEqual(['E_UNSUPPORTED /nurses/0/start']);
  });
});
