import { Calendar, floatingTimeOfDay, isDateTime, isTimeOfDay } from '../calendar/calendar.ts';
import type { InputIssue } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { DayChanges } from './apply-changes.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The changes of a re-plan with their times as numbers on the problem's time axis: `now`,
 * an absence's `from` and `to`, an overrun's `end`, a position's `time`, a pin's `start` may be
 * given as local date-times (`2026-12-08T14:30`) or, in a one-day problem, times of day, like
 * the problem's own times (docs/calendar.md). Issues point into the changes.
 */
export function resolveChangeTimes(
  problem: ProblemInput,
  changes: DayChanges,
): { changes: DayChanges<number>; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const calendar = Calendar.of(problem);
  const bad = (x: string, at: string, message: string): string => {
    issues.push({ code: 'E_FORMAT', where: at, message: `'${x.slice(0, 40)}' ${message}` });
    return x;
  };
  const time = (x: unknown, at: string): unknown => {
    if (typeof x !== 'string') return x;
    if (isDateTime(x)) {
      if (calendar === null) return bad(x, at, 'is a date-time: the problem has no date or horizon');
      return calendar.dateTime(x) ?? bad(x, at, 'is not a real date-time');
    }
    if (isTimeOfDay(x)) {
      if (calendar === null)
        return floatingTimeOfDay(x, problem.timeUnit) ?? bad(x, at, 'is not a real time of day');
      if (calendar.days === 1) return calendar.timeOfDay(0, x) ?? bad(x, at, 'is not a real time of day');
      return bad(x, at, 'is a time of day: in a horizon of several days give a date-time');
    }
    issues.push({
      code: 'E_TYPE',
      where: at,
      message: 'must be a number, a local date-time or a time of day',
    });
    return x;
  };
  const list = (name: keyof DayChanges, keys: string[]): unknown => {
    const x = changes[name];
    if (!Array.isArray(x)) return x;
    return x.map((item: unknown, k: number) => {
      if (!isObj(item)) return item;
      const out: Obj = { ...item };
      for (const key of keys) if (item[key] !== undefined) out[key] = time(item[key], `/${name}/${k}/${key}`);
      return out;
    });
  };
  const out = {
    ...changes,
    ...(changes.now !== undefined && { now: time(changes.now, '/now') }),
    ...(changes.absentNurses !== undefined && { absentNurses: list('absentNurses', ['from', 'to']) }),
    ...(changes.overruns !== undefined && { overruns: list('overruns', ['end']) }),
    ...(changes.positions !== undefined && { positions: list('positions', ['time']) }),
    ...(changes.pins !== undefined && { pins: list('pins', ['start']) }),
  } as DayChanges<number>;
  return { changes: out, issues };
}
