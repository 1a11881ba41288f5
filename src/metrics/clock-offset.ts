/**
 * NTP-style clock offset between a client and the server from ack round trips.
 *
 * Each ack gives one sample: the server sent at t0 and got the ack at t3 (server clock), the
 * client received at rx (client clock). If both legs took equally long the client received at
 * server time (t0 + t3) / 2, so offset = rx − (t0 + t3) / 2 (client − server). Queueing makes
 * the legs unequal, and the error of a sample is bounded by half its round trip, so only the
 * fastest samples of a recent window are trusted (NTP's clock filter does the same); the median
 * of those shrugs off the odd fast-but-lopsided one.
 *
 * add() is O(1); the estimate is recomputed lazily (O(window × fastest)) when read after new
 * samples, which the server does about twice a second.
 */
export interface ClockOffsetOptions {
  /** Samples kept, newest win. Default 256 (about 4 s of acks at 60 Hz). */
  window?: number;
  /** How many of the fastest samples the estimate uses. Default 8. */
  fastest?: number;
}

export class ClockOffsetEstimator {
  readonly #rtt: Float64Array;
  readonly #offset: Float64Array;
  readonly #fastest: number;
  #next = 0;
  #size = 0;
  #cached: number | null = null;
  #dirty = false;

  constructor(options: ClockOffsetOptions = {}) {
    const window = options.window ?? 256;
    if (!(window >= 1) || !Number.isInteger(window)) throw new RangeError(`offset window must be a positive integer, got ${window}`);
    this.#rtt = new Float64Array(window);
    this.#offset = new Float64Array(window);
    this.#fastest = Math.max(1, Math.min(window, options.fastest ?? 8));
  }

  /** One exchange: server send time t0, client receive time rx, server receive time t3. */
  add(t0: number, rx: number, t3: number): void {
    const rtt = t3 - t0;
    // A negative or non-finite round trip cannot come from a real exchange and says nothing about the offset.
    if (!(rtt >= 0) || !Number.isFinite(rtt) || !Number.isFinite(rx)) return;
    this.#rtt[this.#next] = rtt;
    this.#offset[this.#next] = rx - (t0 + t3) / 2;
    this.#next = (this.#next + 1) % this.#rtt.length;
    if (this.#size < this.#rtt.length) this.#size += 1;
    this.#dirty = true;
  }

  get samples(): number {
    return this.#size;
  }

  /** Client clock − server clock in ms; null before the first sample. */
  get offset(): number | null {
    if (this.#dirty) {
      this.#cached = this.#estimate();
      this.#dirty = false;
    }
    return this.#cached;
  }

  #estimate(): number | null {
    if (this.#size === 0) return null;
    const k = Math.min(this.#fastest, this.#size);
    // Indices of the k smallest round trips, kept sorted by insertion: k is tiny, so this beats sorting the window.
    const best: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      const rtt = this.#rtt[i]!;
      if (best.length === k && rtt >= this.#rtt[best[k - 1]!]!) continue;
      let j = best.length === k ? k - 1 : best.length;
      while (j > 0 && this.#rtt[best[j - 1]!]! > rtt) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = i;
    }
    const offsets = best.map((i) => this.#offset[i]!).sort((a, b) => a - b);
    const mid = offsets.length >> 1;
    return offsets.length % 2 === 1 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
  }

  reset(): void {
    this.#next = 0;
    this.#size = 0;
    this.#cached = null;
    this.#dirty = false;
  }
}
