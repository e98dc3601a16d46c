import type { WarmStart } from '../search/improvement.ts';
import type { CareData } from './care-data.ts';
import type { Schedule } from './schedule.ts';

/**
 * Tasks per nurse (index = nurse) of a warm start: visit and break ids mapped to task indices;
 * unknown ids, frozen visits (outside the search), a nurse listed again and a task listed again
 * (the first listing counts) are left out.
 */
export function careWarmStartTasks(data: CareData, start: WarmStart): number[][] {
  // A route by nurse id and shift index (a nurse with one shift: her only route).
  const route = new Map<string, number>();
  for (let r = 0; r < data.V; r++)
    route.set(`${data.input.nurses[data.routeNurse[r]].id}\u0000${data.routeShift[r]}`, r);
  // Tasks by id: breaks of different nurses may share one ('lunch'), each goes to its own nurse's route.
  const task = new Map<string, number[]>();
  data.taskId.forEach((id, x) => {
    const same = task.get(id);
    if (same === undefined) task.set(id, [x]);
    else same.push(x);
  });
  const out: number[][] = Array.from({ length: data.V }, () => []);
  const seenNurse = new Uint8Array(data.V);
  const seen = new Uint8Array(data.n);
  for (const given of start.routes) {
    const r = route.get(`${given.vehicle}\u0000${given.shift ?? 0}`);
    if (r === undefined || seenNurse[r] === 1) continue;
    seenNurse[r] = 1;
    for (const id of given.visits) {
      const same = task.get(id);
      const x =
        same === undefined
          ? undefined
          : same.length === 1
            ? same[0]
            : (same.find((y) => data.canDo[y * data.V + r] === 1) ?? same[0]);
      if (x === undefined || seen[x] === 1 || data.frozen[x] === 1) continue;
      seen[x] = 1;
      out[r].push(x);
    }
  }
  return out;
}

/** Routes of tasks by ids, breaks included where they are taken (nurses with no visit left out, as in the plan). */
export function careWarmStart(data: CareData, routes: readonly (readonly number[])[]): WarmStart {
  const out: WarmStart['routes'] = [];
  routes.forEach((route, r) => {
    if (route.some((x) => data.isBreak[x] === 0))
      out.push({
        vehicle: data.input.nurses[data.routeNurse[r]].id,
        ...(data.input.nurses[data.routeNurse[r]].shifts !== undefined && { shift: data.routeShift[r] }),
        visits: route.map((x) => data.taskId[x]),
      });
  });
  return { routes: out };
}

/**
 * Puts each nurse's tasks into the schedule in the given order, each where it fits (the checks of
 * the construction: the nurse may do it, her limits, nurse relations, capacity, and a schedule
 * keeping every window, shift and timing rule), right after the last task of her list already
 * in: passes repeat while one adds a task, so a task that did not fit before a partner was
 * placed gets another chance. Tasks that never fit stay out (the construction places them).
 */
export function seedSchedule(data: CareData, sched: Schedule, initial: readonly (readonly number[])[]): void {
  const lists: number[][] = [];
  const listed = new Uint8Array(data.n);
  for (let r = 0; r < data.V; r++) {
    const list: number[] = [];
    for (const x of initial[r] ?? []) {
      if (!Number.isInteger(x) || x < 0 || x >= data.n || listed[x] === 1) continue;
      listed[x] = 1;
      list.push(x);
    }
    lists.push(list);
  }
  for (let progress = true; progress;) {
    progress = false;
    lists.forEach((list, r) => {
      let p = 0; // where the next task of the list goes: after the last one already in
      for (const x of list) {
        if (sched.routeOf[x] === r) p = sched.pos[x] + 1;
        else if (sched.routeOf[x] < 0 && sched.evaluateInsert(x, r, p) < Infinity) {
          sched.insert(x, r, p++);
          progress = true;
        }
      }
    });
  }
}
