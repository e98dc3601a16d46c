import type { Solution } from '../solution.ts';

/**
 * A local-search move on two positions: U at (rU, pU) and V at (rV, pV); position 0 is a
 * route's start depot (for moves that insert after it). `evaluate` returns the exact cost
 * change of the move, or Infinity when it is infeasible, invalid, or cannot improve (early
 * exit); `apply` performs it and returns nothing: the caller re-indexes routes rU and rV.
 */
export interface Operator {
  readonly name: string;
  evaluate(sol: Solution, rU: number, pU: number, rV: number, pV: number): number;
  apply(sol: Solution, rU: number, pU: number, rV: number, pV: number): void;
}
