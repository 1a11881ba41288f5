/**
 * Interarrival jitter as RFC 3550 (section 6.4.1) defines it for RTP: a running mean of the
 * absolute difference between consecutive values, with gain 1/16 so one outlier moves it a
 * little and a sustained change moves it within a few dozen samples. O(1) per value.
 */
export class Jitter {
  #previous: number | null = null;
  #jitter: number | null = null;

  /** Feeds the next value (ms); returns the jitter so far, null until two values were seen. */
  update(value: number): number | null {
    if (!Number.isFinite(value)) return this.#jitter;
    if (this.#previous !== null) {
      const d = Math.abs(value - this.#previous);
      // Starting from 0 (as RFC 3550 does) would report near-zero jitter for the first dozens of frames.
      this.#jitter = this.#jitter === null ? d : this.#jitter + (d - this.#jitter) / 16;
    }
    this.#previous = value;
    return this.#jitter;
  }

  get value(): number | null {
    return this.#jitter;
  }

  reset(): void {
    this.#previous = null;
    this.#jitter = null;
  }
}
