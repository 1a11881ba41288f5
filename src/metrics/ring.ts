/** Fixed-capacity window of the latest numbers, O(1) per push, read back oldest first. */
export class NumberRing {
  readonly #values: Float64Array;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1) || !Number.isInteger(capacity)) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.#values = new Float64Array(capacity);
  }

  push(value: number): void {
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#values.length;
    if (this.#size < this.#values.length) this.#size += 1;
  }

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#values.length;
  }

  /** i-th value, 0 being the oldest still held. */
  at(i: number): number | undefined {
    if (i < 0 || i >= this.#size) return undefined;
    const start = (this.#next - this.#size + this.#values.length) % this.#values.length;
    return this.#values[(start + i) % this.#values.length];
  }

  toArray(): number[] {
    const out = new Array<number>(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = this.at(i)!;
    return out;
  }

  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}
