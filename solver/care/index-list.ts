/**
 * A list of integer indices that is emptied far more often than it is read (the re-timing's
 * worklist and the visits and routes a trial changed, reset before every insertion tried):
 * emptying it is setting a count, where `array.length = 0` is a call into the engine
 * (3% of a home-care step in a profile). It grows by doubling.
 */
export class IndexList {
  items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(4, capacity));
  }

  push(x: number): void {
    if (this.size === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.size++] = x;
  }

  clear(): void {
    this.size = 0;
  }
}
