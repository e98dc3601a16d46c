import { describe, expect, it } from 'vitest';
import { generateHadDay } from '../../fixtures/generator/had-day.ts';
import type { LocationInput, ProblemInput } from './input.ts';
import { Travel } from './travel.ts';

/** fillMatrices must give what duration/distance give pair by pair (up to rounding of the product order). */
function expectMatricesMatchPairs(input: ProblemInput, locs: LocationInput[]) {
  const travel = new Travel(input);
  const L = locs.length;
  for (let p = 0; p < travel.profileNames.length; p++) {
    const time = new Float64Array(L * L);
    const dist = new Float64Array(L * L);
    travel.fillMatrices(p, locs, time, dist);
    for (let i = 0; i < L; i++)
      for (let j = 0; j < L; j++) {
        const t = i === j ? 0 : travel.duration(p, locs[i], locs[j]);
        const d = i === j ? 0 : travel.distance(p, locs[i], locs[j]);
        expect(Math.abs(time[i * L + j] - t)).toBeLessThanOrEqual(1e-9 * Math.max(1, t));
        expect(Math.abs(dist[i * L + j] - d)).toBeLessThanOrEqual(1e-9 * Math.max(1, d));
      }
  }
}

describe('travel matrices', () => {
  it('geographic locations: every pair as Turf gives it, both profiles, same places at 0', () => {
    const day = generateHadDay({ nurses: 6, visits: 60, seed: 4 });
    day.profiles = { car: { speed: 45, circuity: 1.35 }, bike: { speed: 15 } };
    day.nurses[0].profile = 'bike';
    const locs = [
      ...day.visits.map((v) => v.location),
      ...day.nurses.map((n) => n.start),
      day.visits[0].location,
    ];
    expectMatricesMatchPairs(day, locs);
  });

  it('planar and matrix locations', () => {
    const planar: ProblemInput = {
      nurses: [{ id: 'a', start: { x: 0, y: 0 } }],
      visits: [{ id: 'v', location: { x: 3, y: 4 }, duration: 1 }],
      profiles: { car: { speed: 2 } },
    };
    expectMatricesMatchPairs(planar, [
      { x: 0, y: 0 },
      { x: 3, y: 4 },
      { x: -1, y: 7.5 },
    ]);
    const matrix: ProblemInput = {
      nurses: [{ id: 'a', start: { index: 0 } }],
      visits: [{ id: 'v', location: { index: 1 }, duration: 1 }],
      profiles: {
        car: {
          durations: [
            [0, 5],
            [7, 0],
          ],
          distances: [
            [0, 50],
            [70, 0],
          ],
        },
      },
    };
    expectMatricesMatchPairs(matrix, [{ index: 0 }, { index: 1 }]);
  });
});
