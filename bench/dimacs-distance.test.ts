import { describe, expect, it } from 'vitest';
import { dimacsDistance } from './dimacs-distance.ts';
import type { ProblemInput } from '../solver/model/input.ts';

const input: ProblemInput = {
  nurses: [
    { id: '1', start: { x: 0, y: 0 } },
    { id: '2', start: { x: 0, y: 0 }, end: null },
  ],
  visits: [
    { id: 'a', location: { x: 1, y: 1 }, duration: 0 }, // √2 = 1.414… → 1.4
    { id: 'b', location: { x: 1, y: 3 }, duration: 0 }, // 2 from a; √10 = 3.162… → 3.1 back home
  ],
};

describe('dimacsDistance', () => {
  it('truncates every arc to one decimal before summing', () => {
    expect(dimacsDistance(input, [['1', 'a', 'b']])).toBeCloseTo(1.4 + 2 + 3.1, 9);
  });

  it('keeps exact lengths exact and leaves out the return of an open route', () => {
    expect(dimacsDistance(input, [['2', 'b']])).toBeCloseTo(3.1, 9);
    expect(dimacsDistance(input, [['1', 'a'], ['2']])).toBeCloseTo(2.8, 9);
  });

  it('names an unknown vehicle', () => {
    expect(() => dimacsDistance(input, [['9', 'a']])).toThrow(/vehicle 9/);
  });
});
