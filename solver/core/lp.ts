import lpSolver from 'javascript-lp-solver';

/** A javascript-lp-solver model: minimize or maximize `optimize` under named constraints. */
export interface LpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, { equal?: number; max?: number; min?: number }>;
  variables: Record<string, Record<string, number>>;
  binaries?: Record<string, 1>;
}

export type LpResult = { feasible: boolean; result: number } & Record<string, number>;

/**
 * The package's ESM build exports the solver as its default; its type declarations are read as
 * CommonJS under NodeNext resolution, hence the cast to the one method used.
 */
const solver = lpSolver as unknown as { Solve(model: LpModel): LpResult };

/** Solves a (mixed-integer) linear model exactly (branch and bound, no time limit). */
export function solveLp(model: LpModel): LpResult {
  return solver.Solve(model);
}
