import type { ProblemInput } from '../model/input.ts';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { CareData } from './care-data.ts';
import { careSearch } from './care-search.ts';

/** For tests: a schedule worth improving, the best of a short search (seed 1, no local search) on the problem. */
export function startingPoint(problem: ProblemInput, iterations: number) {
  const input = validateProblem(problem);
  const data = new CareData(input);
  const { best: sched } = careSearch(data, { seed: 1, localSearch: false, stop: createStop({ iterations }) });
  return { input, data, sched };
}
