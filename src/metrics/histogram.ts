/**
 * Millisecond latencies counted in microseconds, in HDR's log-linear layout: every microsecond
 * up to 2.048 ms has its own counter, and each power of two above that is split into 1024
 * counters, so a percentile is exact to 1 µs below 2.048 ms and within 0.1% above (16 µs at
 * 20 ms, 60 ms at 60 s). Min, max and mean are kept exactly beside the counts, and percentiles
 * are clamped into [min, max] so p100 is the true maximum.
 *
 * The server keeps one per player and records every ack, so recording is a handful of integer
 * operations; and it reads three percentiles per player twice a second, so the counters are
 * also summed per block of 64, which lets a percentile skip whole blocks instead of walking
 * up to 17 408 counters (an HDR library's recordValue and percentile walk were 2–3% of a busy
 * server's time).
 */

export interface LatencyHistogramOptions {
  /** Largest value tracked, ms; larger ones are recorded as this (and still counted). Default 60 s. */
  highestMs?: number;
}

const US_PER_MS = 1000;
/** Counters per power of two: values below this many µs are counted exactly. */
const EXACT_BELOW = 2048;
const HALF_BITS = 10;
const HALF = 1 << HALF_BITS;
const BLOCK_BITS = 6;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

/** The counter of a whole number of microseconds. */
function indexOf(us: number): number {
  if (us < EXACT_BELOW) return us;
  // us has 32 - clz32 bits; keeping the top 11 leaves `shift` bits of resolution behind.
  const shift = 31 - Math.clz32(us) - HALF_BITS;
  return EXACT_BELOW + (shift - 1) * HALF + ((us >>> shift) - HALF);
}

/** The largest number of microseconds counted by counter `index`. */
function highestIn(index: number): number {
  if (index < EXACT_BELOW) return index;
  const above = index - EXACT_BELOW;
  const shift = (above >>> HALF_BITS) + 1;
  const top = (above & (HALF - 1)) + HALF;
  return (top + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  readonly #counts: Uint32Array;
  /** #counts summed per block of 2^BLOCK_BITS counters. */
  readonly #blocks: Uint32Array;
  readonly #highestUs: number;
  #count = 0;
  #negativeCount = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  constructor(options: LatencyHistogramOptions = {}) {
    this.#highestUs = Math.max(1, Math.round((options.highestMs ?? 60_000) * US_PER_MS));
    const size = indexOf(this.#highestUs) + 1;
    this.#counts = new Uint32Array(size);
    this.#blocks = new Uint32Array((size >>> BLOCK_BITS) + 1);
  }

  /**
   * Negative values are recorded as 0 and counted in negativeCount: a negative one-way latency
   * means the clock offset estimate is off, which the reader must be able to see rather than
   * have it silently pull the mean down. Non-finite values are ignored.
   */
  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    let value = ms;
    if (value < 0) {
      this.#negativeCount += 1;
      value = 0;
    }
    const us = Math.min(this.#highestUs, Math.round(value * US_PER_MS));
    value = Math.min(value, this.#highestUs / US_PER_MS);
    const index = indexOf(us);
    this.#counts[index]! += 1;
    this.#blocks[index >>> BLOCK_BITS]! += 1;
    this.#count += 1;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** Value (ms) at or below which p percent of the recorded values lie; p in [0, 100]. */
  percentile(p: number): number | null {
    return this.percentiles([p])[0] ?? null;
  }

  /**
   * Several percentiles in one walk over the counters (null each when empty). As in HDR, the
   * p-th percentile is the highest value of the counter where the running count reaches
   * p% of all values, rounded to the nearest whole value, and at least one.
   */
  percentiles<const P extends readonly number[]>(ps: P): { -readonly [K in keyof P]: number | null } {
    return this.#percentiles(ps) as { -readonly [K in keyof P]: number | null };
  }

  #percentiles(ps: readonly number[]): Array<number | null> {
    if (this.#count === 0) return ps.map(() => null);
    const order = ps.map((_, i) => i).sort((a, b) => clampP(ps[a]!) - clampP(ps[b]!));
    const answers = new Array<number | null>(ps.length).fill(null);
    let index = 0;
    let below = 0;
    for (const i of order) {
      const p = clampP(ps[i]!);
      if (p === 0) {
        answers[i] = this.#min;
        continue;
      }
      const target = Math.max(1, Math.floor((p / 100) * this.#count + 0.5));
      // `below` counts the values under counter `index`; whole blocks are skipped where they can be.
      for (;;) {
        if ((index & BLOCK_MASK) === 0) {
          const inBlock = this.#blocks[index >>> BLOCK_BITS]!;
          if (below + inBlock < target) {
            below += inBlock;
            index += BLOCK_MASK + 1;
            continue;
          }
        }
        const here = this.#counts[index]!;
        if (below + here >= target) break;
        below += here;
        index += 1;
      }
      // The walk stays put: the next (higher) percentile may end on the same counter.
      const ms = highestIn(index) / US_PER_MS;
      answers[i] = Math.min(this.#max, Math.max(this.#min, ms));
    }
    return answers;
  }

  get count(): number {
    return this.#count;
  }

  get negativeCount(): number {
    return this.#negativeCount;
  }

  get min(): number | null {
    return this.#count === 0 ? null : this.#min;
  }

  get max(): number | null {
    return this.#count === 0 ? null : this.#max;
  }

  get mean(): number | null {
    return this.#count === 0 ? null : this.#sum / this.#count;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#blocks.fill(0);
    this.#count = 0;
    this.#negativeCount = 0;
    this.#sum = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
  }
}

function clampP(p: number): number {
  return Math.min(100, Math.max(0, Number.isFinite(p) ? p : 100));
}
