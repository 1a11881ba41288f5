/**
 * Server side: what one acking client (a player or a watcher) experiences. Round trip per frame
 * = ack arrival − ball timestamp, both on the server's clock, so it needs no clock sync; the
 * client's clock offset comes from the same acks (see clock-offset.ts) and is published so the
 * client can turn its receive times into one-way latencies.
 *
 * Frames lost: frames the server sent this peer's way (onFrameSent) and never got an ack for,
 * counting only from the peer's first ack (before that it may not have subscribed yet) and
 * leaving the last `ackGraceFrames` alone as still in flight. An ack that arrives late un-counts
 * its frame until the frame falls out of the `sentWindow`. If onFrameSent is never called, loss
 * falls back to gaps in the acked seqs.
 */
import type { AckMessage, PeerLatencyStats } from '../protocol/messages.js';
import { ClockOffsetEstimator } from './clock-offset.js';
import { LatencyHistogram } from './histogram.js';
import { Jitter } from './jitter.js';
import { roundMs } from '../protocol/round.js';
import { SeqTracker } from './seq-tracker.js';

export interface PeerLatencyOptions {
  /** Ack samples the clock offset estimate looks back over. Default 256. */
  offsetWindow?: number;
  /** Fastest samples of that window the estimate uses. Default 8. */
  offsetFastest?: number;
  /** Sent frames remembered for matching acks. Default 1024 (17 s at 60 Hz). */
  sentWindow?: number;
  /** Newest sent frames not yet counted lost when unacked. Default 60 (1 s at 60 Hz). */
  ackGraceFrames?: number;
}

export class PeerLatency {
  readonly #rtt = new LatencyHistogram();
  readonly #jitter = new Jitter();
  readonly #clock: ClockOffsetEstimator;
  readonly #ackSeqs = new SeqTracker();
  readonly #sentSeq: Float64Array;
  readonly #sentAcked: Uint8Array;
  readonly #grace: number;
  #sending = false;
  #lastSent: number | null = null;
  /** Seq of the first ack since sending (re)started; frames before it are not counted. */
  #firstAcked: number | null = null;
  /** Unacked frames pushed out of the sent window: final losses. */
  #evictedLost = 0;
  #lastRtt: number | null = null;

  constructor(options: PeerLatencyOptions = {}) {
    this.#clock = new ClockOffsetEstimator({ window: options.offsetWindow ?? 256, fastest: options.offsetFastest ?? 8 });
    const sentWindow = options.sentWindow ?? 1024;
    this.#sentSeq = new Float64Array(sentWindow).fill(-1);
    this.#sentAcked = new Uint8Array(sentWindow);
    this.#grace = options.ackGraceFrames ?? 60;
  }

  onFrameSent(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 0) return;
    const w = this.#sentSeq.length;
    this.#sending = true;
    if (this.#lastSent !== null && (seq + w <= this.#lastSent || seq > this.#lastSent + w)) {
      // The room's seq started over (or leapt): old entries can no longer be matched to acks,
      // so whatever is still unacked is lost for good.
      this.#evictedLost += this.#unacked(Number.POSITIVE_INFINITY);
      this.#sentSeq.fill(-1);
      this.#sentAcked.fill(0);
      this.#firstAcked = null;
      this.#lastSent = null;
    }
    const slot = seq % w;
    const old = this.#sentSeq[slot]!;
    if (old >= 0 && old !== seq && this.#counts(old) && this.#sentAcked[slot] === 0) this.#evictedLost += 1;
    this.#sentSeq[slot] = seq;
    this.#sentAcked[slot] = 0;
    if (this.#lastSent === null || seq > this.#lastSent) this.#lastSent = seq;
  }

  #counts(seq: number): boolean {
    return this.#firstAcked !== null && seq >= this.#firstAcked;
  }

  /** `arrival` is the server's clock when the ack came in. */
  onAck(ack: AckMessage, arrival: number): void {
    const slot = ack.seq % this.#sentSeq.length;
    if (this.#sentSeq[slot] === ack.seq) {
      if (this.#sentAcked[slot] === 1) return;
      this.#sentAcked[slot] = 1;
      if (this.#firstAcked === null) this.#firstAcked = ack.seq;
    }
    this.#ackSeqs.observe(ack.seq);
    const rtt = arrival - ack.timestamp;
    if (!Number.isFinite(rtt)) return;
    this.#rtt.record(rtt);
    this.#jitter.update(rtt);
    this.#lastRtt = Math.max(0, rtt);
    this.#clock.add(ack.timestamp, ack.rx, arrival);
  }

  /** Client clock − server clock, ms; 0 until the first ack. */
  get offset(): number {
    return this.#clock.offset ?? 0;
  }

  get offsetKnown(): boolean {
    return this.#clock.samples > 0;
  }

  get samples(): number {
    return this.#rtt.count;
  }

  /** Acks whose round trip came out negative: a client echoing a timestamp the server never sent. */
  get negativeRtts(): number {
    return this.#rtt.negativeCount;
  }

  /** O(sentWindow): meant for the stats publisher's pace (about 2 Hz), not per frame. */
  get framesLost(): number {
    if (!this.#sending) return Math.max(0, this.#ackSeqs.lost);
    const pending = this.#lastSent === null ? 0 : this.#unacked(this.#lastSent - this.#grace);
    return this.#evictedLost + pending;
  }

  /** Counted frames below `cutoff` still in the sent window without an ack. */
  #unacked(cutoff: number): number {
    if (this.#firstAcked === null) return 0;
    let n = 0;
    for (let i = 0; i < this.#sentSeq.length; i++) {
      const seq = this.#sentSeq[i]!;
      if (seq >= this.#firstAcked && seq < cutoff && this.#sentAcked[i] === 0) n += 1;
    }
    return n;
  }

  summary(transport?: string): PeerLatencyStats {
    const h = this.#rtt;
    const [p50, p95, p99] = h.percentiles([50, 95, 99]);
    const stats: PeerLatencyStats = {
      samples: h.count,
      rtt: {
        last: roundMs(this.#lastRtt ?? 0),
        min: roundMs(h.min ?? 0),
        mean: roundMs(h.mean ?? 0),
        p50: roundMs(p50 ?? 0),
        p95: roundMs(p95 ?? 0),
        p99: roundMs(p99 ?? 0),
        max: roundMs(h.max ?? 0),
      },
      jitter: roundMs(this.#jitter.value ?? 0),
      offset: roundMs(this.offset),
      framesLost: this.framesLost,
    };
    if (transport !== undefined) stats.transport = transport;
    return stats;
  }

  reset(): void {
    this.#rtt.reset();
    this.#jitter.reset();
    this.#clock.reset();
    this.#ackSeqs.reset();
    this.#sentSeq.fill(-1);
    this.#sentAcked.fill(0);
    this.#sending = false;
    this.#lastSent = null;
    this.#firstAcked = null;
    this.#evictedLost = 0;
    this.#lastRtt = null;
  }
}
