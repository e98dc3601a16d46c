/**
 * Summary of a paired screen (bench/paired.ts): the same instances and seeds solved by two
 * codes, A and B, side by side. Gaps are in percent above the best known value, lower is
 * better; each pair's difference is B − A, so a negative mean says B is better.
 */
export interface PairedSummary {
  n: number;
  meanA: number;
  meanB: number;
  /** Mean of B − A over the pairs. */
  meanDiff: number;
  /** Standard error of that mean (sample standard deviation / √n; NaN for a single pair: no spread to read). */
  standardError: number;
  /** Pairs where B's gap is lower, higher (equal to within `tie` counts as neither). */
  better: number;
  worse: number;
}

export function pairedSummary(pairs: readonly { a: number; b: number }[], tie = 1e-9): PairedSummary {
  const n = pairs.length;
  if (n === 0) return { n, meanA: NaN, meanB: NaN, meanDiff: NaN, standardError: NaN, better: 0, worse: 0 };
  let sumA = 0;
  let sumB = 0;
  let better = 0;
  let worse = 0;
  for (const { a, b } of pairs) {
    sumA += a;
    sumB += b;
    if (b < a - tie) better++;
    else if (b > a + tie) worse++;
  }
  const meanDiff = (sumB - sumA) / n;
  let squares = 0;
  for (const { a, b } of pairs) squares += (b - a - meanDiff) ** 2;
  const standardError = n > 1 ? Math.sqrt(squares / (n - 1) / n) : NaN;
  return { n, meanA: sumA / n, meanB: sumB / n, meanDiff, standardError, better, worse };
}
