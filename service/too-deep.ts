/** The first value nested deeper than `max` (objects and arrays), as a JSON pointer, or null; an iterative walk. */
export function tooDeep(value: unknown, max: number): string | null {
  const stack: { v: unknown; depth: number; at: string }[] = [{ v: value, depth: 0, at: '' }];
  while (stack.length > 0) {
    const { v, depth, at } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return at;
    const entries = Array.isArray(v) ? v.map((x, k) => [String(k), x] as const) : Object.entries(v);
    for (const [k, x] of entries)
      if (typeof x === 'object' && x !== null)
        stack.push({ v: x, depth: depth + 1, at: `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return null;
}
