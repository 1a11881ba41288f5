/**
 * One transport's one-way latency over the frames every observer received, fed in seq order:
 * the histogram gives the percentiles, RFC 3550 jitter needs consecutive frames, and a ring
 * keeps the recent values for the sparkline.
 */
import { LatencyHistogram } from '../metrics/histogram.js';
import { Jitter } from '../metrics/jitter.js';
import { NumberRing } from '../metrics/ring.js';
import { roundOrNull } from '../protocol/round.js';

export interface OneWaySummary {
  last: number | null;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Recent values kept for the sparkline: 4 s at 60 Hz. */
export const RECENT_FRAMES = 240;

export class LatencyFigures {
  readonly #histogram = new LatencyHistogram();
  readonly #jitter = new Jitter();
  readonly #recent = new NumberRing(RECENT_FRAMES);
  #last: number | null = null;

  record(oneWay: number): void {
    const shown = Math.max(0, oneWay);
    this.#histogram.record(oneWay);
    this.#jitter.update(oneWay);
    this.#recent.push(shown);
    this.#last = shown;
  }

  get count(): number {
    return this.#histogram.count;
  }

  /** Frames whose one-way came out below 0 (recorded as 0): the offset estimate was off. */
  get negative(): number {
    return this.#histogram.negativeCount;
  }

  get jitter(): number | null {
    return roundOrNull(this.#jitter.value);
  }

  oneWay(): OneWaySummary {
    const h = this.#histogram;
    const [p50, p95, p99] = h.percentiles([50, 95, 99]);
    return {
      last: roundOrNull(this.#last),
      min: roundOrNull(h.min),
      mean: roundOrNull(h.mean),
      p50: roundOrNull(p50),
      p95: roundOrNull(p95),
      p99: roundOrNull(p99),
      max: roundOrNull(h.max),
    };
  }

  recent(): number[] {
    return this.#recent.toArray();
  }
}
