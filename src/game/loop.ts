/**
 * A fixed-rate loop that stays on the absolute grid t0 + n * period. A bare setInterval (or a
 * chain of relative setTimeouts) accumulates every wake-up's lateness: the classic demo's
 * setInterval(1000/60) ran at 61.5 Hz. Here each wake-up is aimed at the next grid point, so
 * lateness never compounds.
 *
 * One timer per tick and nothing else: no polling. Node's timers fire 0–2 ms late, so the
 * timer is aimed early by the lateness the loop has observed (TimerLateness): the wakes then
 * straddle the grid point instead of all trailing it. A wake up to `earlyMs` before its grid
 * point ticks at once (the tick is early by that much); an earlier one sleeps again. Polling
 * to the exact point (setImmediate until it is due, as this loop once did) cost a server
 * twice the CPU of a plain setInterval for one game, for a tick error a player cannot see.
 * While stopped the loop holds no timer at all.
 */
import type { Clock } from '../metrics/clock.js';
import { DEFAULT_FPS } from '../protocol/constants.js';
import { TimerLateness } from './timer-lateness.js';

/** setImmediate is the scheduler's, to let the event loop turn between slices of a long tick. */
export interface LoopTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate(callback: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

export const nodeTimers: LoopTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (callback) => setImmediate(callback),
  clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
};

/** Node's shortest timer: setTimeout(fn, 0.3) fires after 1 ms at the soonest. */
const MIN_TIMER_MS = 1;

export interface TickInfo {
  /** Grid index: tick n is due at t0 + n * period. */
  index: number;
  scheduled: number;
  actual: number;
  /** actual − scheduled, ms: negative when the tick ran early, by at most the loop's earlyMs. */
  error: number;
}

export interface FixedRateLoopOptions {
  clock: Clock;
  onTick: (tick: TickInfo) => void;
  fps?: number;
  timers?: LoopTimers;
  /**
   * How early a wake may run its tick rather than sleep again, ms. A timer cannot be re-armed
   * for less than a millisecond, so sleeping again over a shorter gap would wake later than
   * the tick is early now.
   */
  earlyMs?: number;
  /** The timers' lateness assumed until wakes have been observed, ms. */
  timerLatenessMs?: number;
  /**
   * Most ticks run back to back in one wake-up (the one due included). After a longer stall
   * the loop skips the rest and rejoins the grid, so a pause does not replay as a burst.
   */
  maxBurst?: number;
  /** How many recent tick errors (their size, early or late) are kept for percentiles. */
  errorWindow?: number;
  /** Every tick error as it happens, for a histogram elsewhere. */
  onTickError?: (errorMs: number) => void;
}

export interface TickErrorSummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export class FixedRateLoop {
  readonly period: number;
  private readonly clock: Clock;
  private readonly onTick: (tick: TickInfo) => void;
  private readonly timers: LoopTimers;
  private readonly earlyMs: number;
  private readonly lateness: TimerLateness;
  /** When the pending timer was asked to fire: its wake's lateness is measured against it. */
  private aimedAt = 0;
  private readonly maxBurst: number;
  private readonly onTickError: ((errorMs: number) => void) | undefined;
  private readonly errors: Float64Array;
  private errorCount = 0;
  private summary: TickErrorSummary | null = null;
  private summaryAt = -1;
  private t0 = 0;
  private nextIndex = 1;
  private pending: unknown = null;
  private active = false;
  /** Bumped by start(), so a wake-up from before a stop/start inside onTick goes quiet. */
  private generation = 0;
  private ran = 0;
  private missed = 0;
  private resynced = 0;

  constructor(options: FixedRateLoopOptions) {
    const fps = options.fps ?? DEFAULT_FPS;
    if (!(fps > 0)) throw new RangeError(`fps must be positive, got ${fps}`);
    this.period = 1000 / fps;
    this.clock = options.clock;
    this.onTick = options.onTick;
    this.timers = options.timers ?? nodeTimers;
    this.earlyMs = Math.max(0, options.earlyMs ?? 1);
    this.lateness = new TimerLateness(options.timerLatenessMs ?? 1, Math.min(4, this.period / 2));
    this.maxBurst = Math.max(1, options.maxBurst ?? 5);
    this.onTickError = options.onTickError;
    this.errors = new Float64Array(Math.max(1, options.errorWindow ?? 1024));
  }

  get running(): boolean {
    return this.active;
  }

  /** Ticks run since the loop was created. */
  get ticks(): number {
    return this.ran;
  }

  /** Grid points dropped when resyncing after stalls. */
  get skipped(): number {
    return this.missed;
  }

  get resyncs(): number {
    return this.resynced;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.generation += 1;
    this.t0 = this.clock();
    this.nextIndex = 1;
    this.arm(this.t0);
  }

  stop(): void {
    this.active = false;
    if (this.pending === null) return;
    this.timers.clearTimeout(this.pending);
    this.pending = null;
  }

  /** The timers' lateness the loop aims against now, ms (see TimerLateness). */
  get timerLateness(): number {
    return this.lateness.estimate;
  }

  /** Recent tick errors (their size), oldest first. */
  recentErrors(): number[] {
    const size = this.errors.length;
    const kept = Math.min(this.errorCount, size);
    const out = new Array<number>(kept);
    const first = this.errorCount - kept;
    for (let i = 0; i < kept; i++) out[i] = this.errors[(first + i) % size]!;
    return out;
  }

  /** Every room of a server asks for this about twice a second: sorted once per tick at most. */
  errorSummary(): TickErrorSummary {
    if (this.summaryAt === this.errorCount && this.summary !== null) return this.summary;
    this.summary = this.summarize();
    this.summaryAt = this.errorCount;
    return this.summary;
  }

  private summarize(): TickErrorSummary {
    // The kept errors in ring order (order does not matter to a sort), as a typed array: it
    // sorts numerically in native code, no comparator called 10,000 times, no array between.
    const sorted = this.errors.slice(0, Math.min(this.errorCount, this.errors.length)).sort();
    if (sorted.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
  }

  private due(index: number): number {
    return this.t0 + index * this.period;
  }

  private arm(now: number): void {
    const delay = Math.max(0, this.due(this.nextIndex) - this.lateness.estimate - now);
    // Node runs no timer sooner than 1 ms after it was set: that much of a wake's delay is
    // the asking, not lateness.
    this.aimedAt = now + Math.max(delay, MIN_TIMER_MS);
    this.pending = this.timers.setTimeout(this.wake, delay);
  }

  private readonly wake = (): void => {
    this.pending = null;
    if (!this.active) return;
    const generation = this.generation;
    let now = this.clock();
    this.lateness.observe(now - this.aimedAt);
    let burst = 0;
    while (this.generation === generation && this.active && now >= this.due(this.nextIndex) - this.earlyMs && burst < this.maxBurst) {
      const scheduled = this.due(this.nextIndex);
      const tick: TickInfo = { index: this.nextIndex, scheduled, actual: now, error: now - scheduled };
      this.record(tick.error);
      this.nextIndex += 1;
      this.ran += 1;
      burst += 1;
      this.onTick(tick);
      now = this.clock();
    }
    if (this.generation !== generation || !this.active) return;
    if (now >= this.due(this.nextIndex)) {
      const rejoin = Math.floor((now - this.t0) / this.period) + 1;
      this.missed += rejoin - this.nextIndex;
      this.resynced += 1;
      this.nextIndex = rejoin;
    }
    this.arm(now);
  };

  /** The error's size: a tick early by 0.4 ms is as far off the grid as one late by 0.4 ms. */
  private record(error: number): void {
    const size = Math.abs(error);
    this.errors[this.errorCount % this.errors.length] = size;
    this.errorCount += 1;
    this.onTickError?.(size);
  }
}
