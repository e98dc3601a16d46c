/**
 * The body of the solver thread: solves one problem with the clock, the time limit and a shared
 * abort flag it is given, posting progress, checkpoints of the best solution (at most every
 * `checkpointMs`) and the final plan to its parent. A problem the service validated when it was
 * submitted (`validated`: stored as validation returned it) is solved without validating it
 * again (solveValidated); should the solver still fail on it (a stored problem somehow invalid),
 * validation says why, and the job fails with that. Started through solve-thread.mjs, which
 * registers the TypeScript loader inside the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  createStop,
  InputError,
  solve,
  solveValidated,
  validateProblem,
  type Plan,
  type ProblemInput,
  type SolveOutcome,
  type WarmStart,
} from '../solver/index.ts';
import { type ChosenPlace, placeChosen } from '../solver/explain/apply-recommendation.ts';
import { type PlaceMatrices, type RoadPlaces, withPlaceMatrices } from '../solver/model/road-places.ts';

export interface SolveThreadData {
  problem: ProblemInput;
  seed: number;
  timeLimitMs: number;
  /** Where an earlier run of the job got to: the search starts from it. */
  initial?: WarmStart;
  checkpointMs: number;
  /** The problem is what validateProblem returned (SolveJobData.validated). */
  validated: boolean;
  /** Int32Array over a SharedArrayBuffer: [0] becomes 1 to stop the search at its next iteration. */
  abort: Int32Array;
  /** An applied recommendation: the plan it was chosen on and where the pinned visit goes (no search). */
  apply?: { plan: Plan; places: ChosenPlace[] };
  /** Road travel: the problem's places and their matrices (SharedArrayBuffers), put in before solving. */
  road?: { places: RoadPlaces; matrices: Record<string, PlaceMatrices> };
}

export type SolveThreadMessage =
  | { type: 'progress'; iteration: number; bestCost: number }
  | { type: 'checkpoint'; solution: WarmStart; cost: number; elapsedMs: number }
  | { type: 'done'; plan: unknown; iterations: number; cancelled: boolean }
  | { type: 'input-error'; issues: InputError['issues'] };

const data = workerData as SolveThreadData;
const post = (m: SolveThreadMessage) => parentPort!.postMessage(m);
const abort = {
  get aborted() {
    return Atomics.load(data.abort, 0) === 1;
  },
};
const started = performance.now();
let lastPost = -Infinity;
let lastCheckpoint = started;

const problem =
  data.road === undefined
    ? data.problem
    : withPlaceMatrices(data.problem, data.road.places, data.road.matrices);

function run(): Pick<SolveOutcome, 'plan' | 'iterations'> {
  if (data.apply !== undefined) {
    return { plan: placeChosen(problem, data.apply.plan, data.apply.places), iterations: 0 };
  }
  return (data.validated ? solveValidated : solve)(problem, {
    seed: data.seed,
    ...(data.initial !== undefined && { initial: data.initial }),
    stop: createStop({ timeLimitMs: data.timeLimitMs, signal: abort, now: () => performance.now() }),
    onImprovement: (e) => {
      const t = performance.now();
      if (t - lastCheckpoint >= data.checkpointMs) {
        lastCheckpoint = t;
        post({ type: 'checkpoint', solution: e.solution(), cost: e.cost, elapsedMs: t - started });
      }
      if (t - lastPost < 200) return; // progress at most five times a second
      lastPost = t;
      post({ type: 'progress', iteration: e.iteration, bestCost: e.cost });
    },
  });
}

/** Why the solver failed on a problem taken as validated: its validation's issues, if it has any. */
function invalidity(): InputError | null {
  try {
    validateProblem(problem);
    return null;
  } catch (e) {
    return e instanceof InputError ? e : null;
  }
}

try {
  const { plan, iterations } = run();
  post({ type: 'done', plan, iterations, cancelled: abort.aborted });
} catch (e) {
  const input = e instanceof InputError ? e : data.validated ? invalidity() : null;
  if (input !== null) post({ type: 'input-error', issues: input.issues });
  else throw e;
}
