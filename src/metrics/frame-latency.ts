/**
 * Client side: one-way latency of every ball frame, rx − timestamp − offset, where offset
 * (client clock − server clock) comes from the server's NTP-style estimate in the stats topic.
 * Per frame the work is O(1): a histogram increment, the jitter update, the loss bitmap and a
 * ring slot; sorting and copying happen only in snapshot(), which a UI calls a few times a second.
 *
 * Against a classic server some of it cannot be known: its frames carry no seq (numbered on
 * arrival, so no loss can be seen) and it sends no stats (no acks are read, so no round trip and
 * no clock offset). What still holds is the receiver's own: the intervals between frames, the
 * jitter (RFC 3550's, which compares intervals to the sender's own spacing and needs no offset),
 * and the gaps; `unnumbered` says which case the figures are in.
 */
import { LatencyHistogram } from './histogram.js';
import { Jitter } from './jitter.js';
import { NumberRing } from './ring.js';
import { roundMs, roundOrNull } from '../protocol/round.js';
import { SeqTracker } from './seq-tracker.js';
import { ArrivalIntervals, type IntervalSnapshot } from './arrival-intervals.js';

export interface LatencySnapshot {
  frames: number;
  last: number | null;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  jitter: number | null;
  framesLost: number;
  /** The last ~120 one-way values, oldest first, for a sparkline. */
  recent: readonly number[];
  offsetKnown: boolean;
  /** Frames whose one-way latency came out negative (recorded as 0): the offset estimate is off. */
  negative?: number;
  /** Time between consecutive frames on this client's clock, and the gaps. */
  interval: IntervalSnapshot;
  /** The latest frame had no seq (a classic server's, numbered on arrival): loss is unknown. */
  unnumbered: boolean;
}

export interface FrameLatencyOptions {
  /** Values kept for the sparkline. Default 120 (2 s at 60 Hz). */
  recent?: number;
}

export class FrameLatency {
  readonly #histogram = new LatencyHistogram();
  readonly #jitter = new Jitter();
  readonly #seq = new SeqTracker();
  readonly #intervals = new ArrivalIntervals();
  readonly #recent: NumberRing;
  #unnumbered = false;
  #offset = 0;
  #offsetKnown = false;
  #frames = 0;
  #last: number | null = null;

  constructor(options: FrameLatencyOptions = {}) {
    this.#recent = new NumberRing(options.recent ?? 120);
  }

  /**
   * The first known offset discards the latency figures gathered so far: they were computed
   * against an assumed offset of 0, which across machines can be off by seconds. Later updates
   * (the estimate refining or drifting) apply from the next frame on.
   */
  setOffset(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) return;
    if (!this.#offsetKnown) {
      this.#histogram.reset();
      this.#jitter.reset();
      this.#recent.clear();
      this.#last = null;
      this.#offsetKnown = true;
    }
    this.#offset = offsetMs;
  }

  get offset(): number {
    return this.#offset;
  }

  /** `seq` null: the frame had none (a classic server's), so it says nothing about loss. */
  onFrame(seq: number | null, timestamp: number, rx: number): void {
    this.#frames += 1;
    this.#unnumbered = seq === null;
    if (seq !== null) this.#seq.observe(seq);
    this.#intervals.observe(rx);
    const oneWay = rx - timestamp - this.#offset;
    if (!Number.isFinite(oneWay)) return;
    // Shown clamped like the histogram records them; negativeCount says how many were below 0.
    const shown = Math.max(0, oneWay);
    this.#last = shown;
    this.#histogram.record(oneWay);
    this.#jitter.update(oneWay);
    this.#recent.push(shown);
  }

  snapshot(): LatencySnapshot {
    const h = this.#histogram;
    const [p50, p95, p99] = h.percentiles([50, 95, 99]);
    return {
      frames: this.#frames,
      last: roundOrNull(this.#last),
      min: roundOrNull(h.min),
      mean: roundOrNull(h.mean),
      p50: roundOrNull(p50),
      p95: roundOrNull(p95),
      p99: roundOrNull(p99),
      max: roundOrNull(h.max),
      jitter: roundOrNull(this.#jitter.value),
      framesLost: Math.max(0, this.#seq.lost),
      recent: this.#recent.toArray().map(roundMs),
      offsetKnown: this.#offsetKnown,
      negative: h.negativeCount,
      interval: this.#intervals.snapshot(),
      unnumbered: this.#unnumbered,
    };
  }

  /** Forgets every figure and the offset, as for a new game or a reconnect to another server. */
  reset(): void {
    this.#histogram.reset();
    this.#jitter.reset();
    this.#seq.reset();
    this.#intervals.reset();
    this.#unnumbered = false;
    this.#recent.clear();
    this.#offset = 0;
    this.#offsetKnown = false;
    this.#frames = 0;
    this.#last = null;
  }

  static empty(): LatencySnapshot {
    return {
      frames: 0,
      last: null,
      min: null,
      mean: null,
      p50: null,
      p95: null,
      p99: null,
      max: null,
      jitter: null,
      framesLost: 0,
      recent: [],
      offsetKnown: false,
      negative: 0,
      interval: ArrivalIntervals.empty(),
      unnumbered: false,
    };
  }
}
