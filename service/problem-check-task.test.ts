import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateProblem } from '../solver/index.ts';
import check from './problem-check-task.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/care/${name}`, import.meta.url));
const submission = (body: Buffer) => check({ kind: 'submission', body, limits: {}, maxDepth: 32 });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the problem checker (one validation per submission)', () => {
  it('a problem validation leaves as it is: accepted, the body is what is stored', () => {
    const body = fixture('example-day.json');
    const result = submission(body);
    expect(result).toEqual({ ok: true, fingerprint: sha256(JSON.stringify(JSON.parse(body.toString()))) });
  });

  it('a problem validation resolves (calendar notation, recurring care): the resolved problem is what is stored, the fingerprint is still the body', () => {
    const body = fixture('example-week.json');
    const raw = JSON.parse(body.toString());
    const result = submission(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fingerprint).toBe(sha256(JSON.stringify(raw)));
    const stored = JSON.parse(result.text!);
    expect(stored).toEqual(JSON.parse(JSON.stringify(validateProblem(raw))));
    // What is stored resolves to itself: solved as it is, re-planned as the body would be.
    expect(JSON.parse(JSON.stringify(validateProblem(stored)))).toEqual(stored);
    expect(stored.visits.length).toBeGreaterThan(raw.visits.length);
  });

  it('an invalid problem is refused with its issues', () => {
    const result = submission(Buffer.from(JSON.stringify({ nurses: [], visits: [] })));
    expect(result).toMatchObject({ ok: false, message: 'the problem is invalid', issueCount: 1 });
  });

  it("a re-plan's problem is stored as validation returns it", () => {
    const raw = JSON.parse(fixture('example-week.json').toString());
    const plan = { routes: [], unassigned: [], summary: {} } as never;
    const result = check({
      kind: 'replan',
      problem: JSON.stringify(raw),
      plan,
      changes: { newVisits: [] },
      limits: {},
      maxDepth: 32,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = JSON.parse(result.text!);
    expect(JSON.parse(JSON.stringify(validateProblem(stored)))).toEqual(stored);
  });
});
