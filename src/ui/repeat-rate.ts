/**
 * The keyboard's auto-repeat, as observed: the delay from a press to its first repeat and the
 * interval between repeats, each the median of the last few seen. A hold detector without
 * key-up events can only end a hold when a repeat is overdue; the sooner it knows when the next
 * one is due, the less a paddle overshoots after the key is let go. Until enough is seen, the
 * defaults cover the slowest common settings (600 ms delay, 15 Hz).
 */
export interface RepeatTimeouts {
  /** After a press, the hold ends if no repeat came within this. */
  initialMs: number;
  /** After a repeat, the hold ends if no further one came within this. */
  repeatMs: number;
}

export const DEFAULT_TIMEOUTS: RepeatTimeouts = { initialMs: 650, repeatMs: 100 };

/** Observations outside these are something else (two taps, a stalled event loop). */
const DELAY_RANGE = [120, 900] as const;
const INTERVAL_RANGE = [8, 120] as const;
const SAMPLES = 9;
/** Enough of each before the defaults are replaced. */
const MIN_DELAYS = 2;
const MIN_INTERVALS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function push(list: number[], value: number, [lo, hi]: readonly [number, number]): void {
  if (value < lo || value > hi) return;
  list.push(value);
  if (list.length > SAMPLES) list.shift();
}

export class RepeatRate {
  private readonly delays: number[] = [];
  private readonly intervals: number[] = [];

  constructor(private readonly defaults: RepeatTimeouts = DEFAULT_TIMEOUTS) {}

  observeDelay(ms: number): void {
    push(this.delays, ms, DELAY_RANGE);
  }

  observeInterval(ms: number): void {
    push(this.intervals, ms, INTERVAL_RANGE);
  }

  /** Median delay and interval seen so far, or null for each not yet known. */
  get observed(): { delayMs: number | null; intervalMs: number | null } {
    return {
      delayMs: this.delays.length >= MIN_DELAYS ? median(this.delays) : null,
      intervalMs: this.intervals.length >= MIN_INTERVALS ? median(this.intervals) : null,
    };
  }

  /**
   * Timeouts with margin for the spread of a busy event loop: 1.25x + 40 ms for the first
   * repeat, 1.6x + 12 ms between repeats (a missed deadline ends a hold the key still holds).
   */
  get timeouts(): RepeatTimeouts {
    const { delayMs, intervalMs } = this.observed;
    return {
      initialMs: delayMs === null ? this.defaults.initialMs : Math.min(this.defaults.initialMs, delayMs * 1.25 + 40),
      repeatMs: intervalMs === null ? this.defaults.repeatMs : Math.min(this.defaults.repeatMs, intervalMs * 1.6 + 12),
    };
  }
}
