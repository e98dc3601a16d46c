type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export interface Window {
  start: number;
  end: number;
}

/**
 * Answers, for a visit, whether a nurse who could do it (has all its skills; is its required
 * nurse when it names one) works at a time one of its windows allows: her span runs from her
 * shift start to her shift end plus overtime (unbounded without a valid shift), and a window
 * [start, end] fits a span when `end >= span start && start <= span end`.
 *
 * Indexed so that a problem with many nurses and many distinct skill sets costs little: nurses
 * (those with a string id) are numbered by span start; a skill held by at least N/32 nurses gets
 * a bitset over them (so these bitsets hold no more words than the input has skills), a rarer one
 * a sorted list. A visit's candidates are the AND of its skills' bitsets, O(needs × N/32), or, when
 * one skill is rare, its short list filtered by the others. A window then tests only the nurses
 * starting by its end (a prefix of the numbering): per 32-nurse word, her end-sorted masks give
 * those still at work at its start in 5 comparisons, so one window costs O(N/32) at worst.
 */
export class ShiftReach {
  private readonly n: number;
  private readonly words: number;
  private readonly ids: string[] = [];
  private readonly skillSets: (ReadonlySet<string> | undefined)[] = [];
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  /** Per word: its nurses' span ends, largest first (padded with -Infinity). */
  private readonly wordEnds: Float64Array;
  /** Per word, 33 masks: the first j nurses of `wordEnds` order. */
  private readonly wordMasks: Uint32Array;
  private readonly skillNumber = new Map<string, number>();
  private readonly holders: number[][] = [];
  private readonly bitsets: (Uint32Array | null)[] = [];
  private readonly byId = new Map<string, number[]>();
  private readonly all: Uint32Array;
  private readonly scratch: Uint32Array;

  /** `skillsOf` gives the skills of the nurse with an id (the last one given, for a duplicate id). */
  constructor(nurses: readonly Obj[], skillsOf: ReadonlyMap<string, ReadonlySet<string>>) {
    const spans: { id: string; start: number; end: number }[] = [];
    for (const nurse of nurses) {
      if (typeof nurse.id !== 'string') continue;
      const overtime = isObj(nurse.overtime) && isNum(nurse.overtime.max) ? nurse.overtime.max : 0;
      // A nurse with several shifts has one span per shift (none without any).
      const shifts: unknown[] = Array.isArray(nurse.shifts) ? nurse.shifts : [nurse.shift];
      for (const shift of shifts) {
        const valid = isObj(shift) && isNum(shift.start) && isNum(shift.end);
        spans.push({
          id: nurse.id,
          start: valid ? (shift.start as number) : -Infinity,
          end: (valid ? (shift.end as number) : Infinity) + overtime,
        });
      }
    }
    spans.sort((a, b) => a.start - b.start);
    const n = spans.length;
    const words = Math.ceil(n / 32);
    this.n = n;
    this.words = words;
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    spans.forEach((s, r) => {
      this.starts[r] = s.start;
      this.ends[r] = s.end;
      this.ids.push(s.id);
      const skills = skillsOf.get(s.id);
      this.skillSets.push(skills);
      const same = this.byId.get(s.id);
      if (same === undefined) this.byId.set(s.id, [r]);
      else same.push(r);
      for (const skill of skills ?? []) {
        let k = this.skillNumber.get(skill);
        if (k === undefined) {
          k = this.holders.length;
          this.skillNumber.set(skill, k);
          this.holders.push([]);
        }
        this.holders[k].push(r);
      }
    });
    for (const list of this.holders) {
      if (list.length < words) {
        this.bitsets.push(null);
        continue;
      }
      const bits = new Uint32Array(words);
      for (const r of list) bits[r >>> 5] |= 1 << (r & 31);
      this.bitsets.push(bits);
    }
    this.all = new Uint32Array(words);
    for (let r = 0; r < n; r++) this.all[r >>> 5] |= 1 << (r & 31);
    this.scratch = new Uint32Array(words);
    this.wordEnds = new Float64Array(words * 32).fill(-Infinity);
    this.wordMasks = new Uint32Array(words * 33);
    for (let w = 0; w < words; w++) {
      const members: number[] = [];
      for (let r = w * 32; r < Math.min(n, w * 32 + 32); r++) members.push(r);
      members.sort((a, b) => this.ends[b] - this.ends[a]);
      let mask = 0;
      members.forEach((r, j) => {
        this.wordEnds[w * 32 + j] = this.ends[r];
        mask |= 1 << (r & 31);
        this.wordMasks[w * 33 + j + 1] = mask;
      });
    }
  }

  /**
   * Whether one of `windows` fits the span of a nurse who could do a visit needing `needs`
   * (restricted to `requiredNurse` when defined); null when no nurse could do it at all.
   */
  fits(needs: readonly string[], requiredNurse: unknown, windows: readonly Window[]): boolean | null {
    let list: readonly number[];
    if (requiredNurse !== undefined)
      list = typeof requiredNurse === 'string' ? (this.byId.get(requiredNurse) ?? []) : [];
    else {
      const bits = this.candidateBits(needs);
      if (bits !== null) {
        for (let w = 0; w < this.words; w++)
          if (bits[w] !== 0) return windows.some((win) => this.anyInBits(bits, win));
        return null;
      }
      list = this.rarest(needs) ?? [];
    }
    let any = false;
    for (const r of list) {
      if (!this.hasAll(r, needs)) continue;
      if (windows.some((w) => this.starts[r] <= w.end && this.ends[r] >= w.start)) return true;
      any = true;
    }
    return any ? false : null;
  }

  private hasAll(r: number, needs: readonly string[]): boolean {
    const skills = this.skillSets[r];
    if (skills === undefined) return needs.length === 0;
    for (const s of needs) if (!skills.has(s)) return false;
    return true;
  }

  /** The holders of the visit's rarest skill when one is held by fewer than N/32 nurses (or by none: []). */
  private rarest(needs: readonly string[]): number[] | null {
    let rarest: number[] | null = null;
    for (const s of needs) {
      const k = this.skillNumber.get(s);
      if (k === undefined) return [];
      if (this.bitsets[k] === null && (rarest === null || this.holders[k].length < rarest.length))
        rarest = this.holders[k];
    }
    return rarest;
  }

  /** When every skill of `needs` is common: the nurses with all of them, as a bitset (the scratch one). */
  private candidateBits(needs: readonly string[]): Uint32Array | null {
    if (needs.length === 0) return this.all;
    const numbers: number[] = [];
    for (const s of needs) {
      const k = this.skillNumber.get(s);
      if (k === undefined || this.bitsets[k] === null) return null;
      numbers.push(k);
    }
    const bits = this.scratch;
    bits.set(this.bitsets[numbers[0]]!);
    for (let i = 1; i < numbers.length; i++) {
      const other = this.bitsets[numbers[i]]!;
      for (let w = 0; w < this.words; w++) bits[w] &= other[w];
    }
    return bits;
  }

  /** Whether a nurse of `bits` starts by `w.end` and works until `w.start` or later. */
  private anyInBits(bits: Uint32Array, win: Window): boolean {
    // Nurses 0 .. p-1 start by the window's end.
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= win.end) lo = mid + 1;
      else hi = mid;
    }
    const p = lo;
    for (let w = 0; w * 32 < p; w++) {
      let b = bits[w];
      if (p - w * 32 < 32) b &= (1 << (p - w * 32)) - 1;
      if (b === 0 || this.wordEnds[w * 32] < win.start) continue;
      // j: how many of the word's nurses end at or after the window's start (ends sorted down).
      let a = 1;
      let z = 32;
      while (a < z) {
        const mid = (a + z) >>> 1;
        if (this.wordEnds[w * 32 + mid] >= win.start) a = mid + 1;
        else z = mid;
      }
      if ((b & this.wordMasks[w * 33 + a]) !== 0) return true;
    }
    return false;
  }
}
