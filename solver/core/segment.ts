/**
 * A duration segment (Vidal et al. 2013; PyVRP's DurationSegment): the time profile of a
 * sequence of stops, concatenable in O(1).
 * - `d`: total duration (travel, care, waiting) when started in [e, l];
 * - `tw`: unavoidable time warp (lateness) inside the sequence;
 * - `e`, `l`: earliest and latest start of the first stop that reach duration `d` with time warp `tw`.
 * Mutable on purpose: the search evaluates moves with a few preallocated segments, no allocation.
 */
export class Segment {
  d = 0;
  tw = 0;
  e = 0;
  l = 0;

  set(d: number, tw: number, e: number, l: number): this {
    this.d = d;
    this.tw = tw;
    this.e = e;
    this.l = l;
    return this;
  }

  copy(o: Segment): this {
    return this.set(o.d, o.tw, o.e, o.l);
  }

  /** this := this ⊕ (d2, tw2, e2, l2), with `travel` from this segment's last stop to the other's first. */
  concat(travel: number, d2: number, tw2: number, e2: number, l2: number): this {
    const delta = this.d - this.tw + travel;
    const waitGap = e2 - delta - this.l;
    const deltaWait = waitGap > 0 ? waitGap : 0;
    const warpGap = this.e + delta - l2;
    const deltaWarp = warpGap > 0 ? warpGap : 0;
    const e = e2 - delta > this.e ? e2 - delta : this.e;
    const l = l2 - delta < this.l ? l2 - delta : this.l;
    this.d = this.d + d2 + travel + deltaWait;
    this.tw = this.tw + tw2 + deltaWarp;
    this.e = e - deltaWait;
    this.l = l + deltaWarp;
    return this;
  }

  concatSeg(travel: number, o: Segment): this {
    return this.concat(travel, o.d, o.tw, o.e, o.l);
  }
}
