import { describe, expect, it } from 'vitest';
import { ShiftReach, type Window } from './shift-reach.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The former check, nurse by nurse: the reference the index must agree with. */
function reference(
  nurses: Obj[],
  skillsOf: Map<string, Set<string>>,
  needs: string[],
  requiredNurse: unknown,
  windows: Window[],
): boolean | null {
  const spans: [number, number][] = [];
  for (const n of nurses) {
    if (typeof n.id !== 'string' || !needs.every((s) => skillsOf.get(n.id as string)?.has(s))) continue;
    if (requiredNurse !== undefined && requiredNurse !== n.id) continue;
    const shift =
      isObj(n.shift) && isNum(n.shift.start) && isNum(n.shift.end)
        ? n.shift
        : { start: -Infinity, end: Infinity };
    const overtime = isObj(n.overtime) && isNum(n.overtime.max) ? n.overtime.max : 0;
    spans.push([shift.start as number, (shift.end as number) + overtime]);
  }
  if (spans.length === 0) return null;
  return spans.some(([start, end]) => windows.some((w) => w.end >= start && w.start <= end));
}

function randomCase(seed: number) {
  let s = seed * 7919 + 17;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const int = (n: number) => Math.floor(rnd() * n);
  const pool = 2 + int(40);
  const perNurse = int(Math.min(pool, 12));
  const count = 1 + int(400);
  const nurses: Obj[] = Array.from({ length: count }, (_, i) => {
    const n: Obj = { id: rnd() < 0.03 ? `n${int(i + 1)}` : `n${i}` };
    if (rnd() < 0.03) n.id = 42;
    const start = 300 + int(600);
    const r = rnd();
    if (r < 0.85) n.shift = { start, end: start + int(500) };
    else if (r < 0.92) n.shift = { start: 'x', end: 3 };
    if (rnd() < 0.3) n.overtime = { max: int(120) - (rnd() < 0.1 ? 200 : 0) };
    n.skills = Array.from({ length: int(perNurse + 1) }, () => `s${int(pool)}`);
    return n;
  });
  const skillsOf = new Map<string, Set<string>>();
  for (const n of nurses) if (typeof n.id === 'string') skillsOf.set(n.id, new Set(n.skills as string[]));
  const visits = Array.from({ length: 300 }, () => {
    const needs = Array.from({ length: int(4) }, () => `s${int(pool + 2)}`);
    const windows = Array.from({ length: 1 + int(3) }, () => {
      const a = int(1600) - 100;
      return { start: a, end: a + int(150) };
    });
    const r = rnd();
    const requiredNurse = r < 0.1 ? `n${int(count + 5)}` : r < 0.12 ? 42 : undefined;
    return { needs, windows, requiredNurse };
  });
  return { nurses, skillsOf, visits };
}

describe('ShiftReach', () => {
  it('agrees with the nurse-by-nurse check on random days (bitset and list paths, bad shifts, duplicate ids)', () => {
    const outcomes = new Map<string, number>();
    for (let seed = 0; seed < 60; seed++) {
      const { nurses, skillsOf, visits } = randomCase(seed);
      const reach = new ShiftReach(nurses, skillsOf);
      for (const v of visits) {
        const want = reference(nurses, skillsOf, v.needs, v.requiredNurse, v.windows);
        const got = reach.fits(v.needs, v.requiredNurse, v.windows);
        if (got !== want) expect({ seed, ...v, got }).toEqual({ seed, ...v, got: want });
        outcomes.set(String(want), (outcomes.get(String(want)) ?? 0) + 1);
      }
    }
    // Every answer occurs often enough for the agreement to mean something.
    for (const answer of ['true', 'false', 'null']) expect(outcomes.get(answer) ?? 0).toBeGreaterThan(500);
  });

  it('has no nurse for a problem without nurses, and every nurse for a visit without skills', () => {
    expect(new ShiftReach([], new Map()).fits([], undefined, [{ start: 0, end: 1 }])).toBeNull();
    const nurses = [{ id: 'A', shift: { start: 480, end: 600 }, overtime: { max: 30 } }];
    const reach = new ShiftReach(nurses, new Map([['A', new Set<string>()]]));
    expect(reach.fits([], undefined, [{ start: 630, end: 700 }])).toBe(true);
    expect(reach.fits([], undefined, [{ start: 631, end: 700 }])).toBe(false);
    expect(reach.fits(['RN'], undefined, [{ start: 500, end: 700 }])).toBeNull();
  });
});
