/**
 * How evenly the frames arrive: the time between consecutive receive times, its percentiles,
 * and the gaps (intervals in which at least two frames' worth of time passed without a frame).
 * All of it on the receiver's own clock, so it needs no sequence number, no acks and no clock
 * offset: what a client can still measure against a server that gives none of those (the
 * classic demo's). O(1) per frame.
 */
import { LatencyHistogram } from './histogram.js';
import { roundOrNull } from '../protocol/round.js';

/** Three frame periods at 60 Hz: an interval this long means two frames' time went by without one. */
export const GAP_MS = 50;

export interface IntervalSnapshot {
  last: number | null;
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Intervals over GAP_MS. */
  gaps: number;
}

export class ArrivalIntervals {
  readonly #histogram = new LatencyHistogram();
  #previous: number | null = null;
  #last: number | null = null;
  #gaps = 0;

  /** A frame arrived at `rx` (ms, the receiver's clock). */
  observe(rx: number): void {
    if (!Number.isFinite(rx)) return;
    const previous = this.#previous;
    this.#previous = rx;
    if (previous === null) return;
    const interval = Math.max(0, rx - previous);
    this.#last = interval;
    this.#histogram.record(interval);
    if (interval > GAP_MS) this.#gaps += 1;
  }

  snapshot(): IntervalSnapshot {
    const [p50, p99] = this.#histogram.percentiles([50, 99]);
    return {
      last: roundOrNull(this.#last),
      p50: roundOrNull(p50),
      p99: roundOrNull(p99),
      max: roundOrNull(this.#histogram.max),
      gaps: this.#gaps,
    };
  }

  reset(): void {
    this.#histogram.reset();
    this.#previous = null;
    this.#last = null;
    this.#gaps = 0;
  }

  static empty(): IntervalSnapshot {
    return { last: null, p50: null, p99: null, max: null, gaps: 0 };
  }
}
