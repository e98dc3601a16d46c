import { describe, expect, it } from 'vitest';
import { CareData } from './care-data.ts';
import { careWarmStartTasks } from './warm-start.ts';

describe('careWarmStartTasks', () => {
  it("maps a break id two nurses share to each nurse's own break", () => {
    const data = new CareData({
      nurses: ['A', 'B'].map((id) => ({
        id,
        start: { x: 0, y: 0 },
        shift: { start: 480, end: 1080 },
        breaks: [{ id: 'lunch', duration: 30, window: { start: 720, end: 840 } }],
      })),
      visits: [
        { id: 'a', location: { x: 1, y: 0 }, duration: 10 },
        { id: 'b', location: { x: 2, y: 0 }, duration: 10 },
      ],
    });
    const routes = careWarmStartTasks(data, {
      routes: [
        { vehicle: 'A', visits: ['a', 'lunch'] },
        { vehicle: 'B', visits: ['lunch', 'b'] },
      ],
    });
    const breakOf = (r: number) => routes[r].find((x) => data.isBreak[x] === 1)!;
    expect(breakOf(0)).not.toBe(breakOf(1));
    expect(data.canDo[breakOf(0) * data.V + 0]).toBe(1);
    expect(data.canDo[breakOf(1) * data.V + 1]).toBe(1);
    expect(routes.map((r) => r.map((x) => data.taskId[x]))).toEqual([
      ['a', 'lunch'],
      ['lunch', 'b'],
    ]);
  });
});
