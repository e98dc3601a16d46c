import { InputError, type InputIssue } from '../model/errors.ts';
import type { Plan } from '../model/plan.ts';

/**
 * Checks that a value has the plan's documented shape before the checker reads it, so a
 * truncated or hand-edited plan file gets an error naming the field (a JSON pointer), not a
 * crash. Only the fields the checker reads are required.
 */
export function validatePlanShape(value: unknown): Plan {
  const issues: InputIssue[] = [];
  const need = (ok: boolean, where: string, message: string) => {
    if (!ok) issues.push({ code: 'E_TYPE', where, message });
    return ok;
  };
  const isNum = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (!need(isObject(value), '/', 'a plan must be a JSON object')) throw new InputError(issues);
  const plan = value as Record<string, unknown>;
  if (need(isObject(plan.summary), '/summary', 'must be an object')) {
    const s = plan.summary as Record<string, unknown>;
    for (const k of ['cost', 'distance', 'travelTime', 'routes', 'unassigned'])
      need(isNum(s[k]), `/summary/${k}`, 'must be a finite number');
  }
  if (need(Array.isArray(plan.routes), '/routes', 'must be an array')) {
    (plan.routes as unknown[]).forEach((r, i) => {
      const at = `/routes/${i}`;
      if (!need(isObject(r), at, 'must be an object')) return;
      const route = r as Record<string, unknown>;
      need(typeof route.vehicle === 'string', `${at}/vehicle`, 'must be a nurse id (string)');
      for (const k of ['departure', 'return', 'distance', 'travelTime'])
        need(isNum(route[k]), `${at}/${k}`, 'must be a finite number');
      if (!need(Array.isArray(route.stops), `${at}/stops`, 'must be an array')) return;
      (route.stops as unknown[]).forEach((s, j) => {
        const sat = `${at}/stops/${j}`;
        if (!need(isObject(s), sat, 'must be an object')) return;
        const stop = s as Record<string, unknown>;
        need(typeof stop.visit === 'string', `${sat}/visit`, 'must be a visit id (string)');
        for (const k of ['arrival', 'start', 'end'])
          need(isNum(stop[k]), `${sat}/${k}`, 'must be a finite number');
      });
    });
  }
  if (need(Array.isArray(plan.unassigned), '/unassigned', 'must be an array'))
    (plan.unassigned as unknown[]).forEach((u, i) => {
      if (need(isObject(u), `/unassigned/${i}`, 'must be an object'))
        need(
          typeof (u as Record<string, unknown>).visit === 'string',
          `/unassigned/${i}/visit`,
          'must be a visit id (string)',
        );
    });
  if (issues.length > 0) throw new InputError(issues);
  return value as Plan;
}

function isObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
