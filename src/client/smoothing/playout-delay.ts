/**
 * How far behind the newest frames to render. Each frame's transit (receive time − send time)
 * is one-way latency plus the clock offset plus jitter; the smallest transit seen lately is the
 * jitter-free part (the base), so `local time − base` is "server time now as the fastest frames
 * see it", and rendering `delay` behind that leaves room for slower frames to arrive before
 * they are needed. The delay is a couple of frame periods plus k·jitter, bounded.
 */
export interface DelayOptions {
  periodMs: number;
  /** Frame periods always kept in hand: interpolation needs the frame after the instant drawn. */
  periods: number;
  /** Multiple of the RFC 3550 jitter added on top. */
  k: number;
  minMs: number;
  maxMs: number;
}

export const DEFAULT_DELAY: DelayOptions = { periodMs: 1000 / 60, periods: 1.5, k: 2, minMs: 20, maxMs: 150 };

export function playoutDelayMs(jitterMs: number, options: DelayOptions = DEFAULT_DELAY): number {
  const wanted = options.periods * options.periodMs + options.k * Math.max(0, jitterMs);
  return Math.min(options.maxMs, Math.max(options.minMs, wanted));
}

/**
 * Tracks the base transit (a minimum over a sliding window, so a changed route or clock drift
 * is followed within `windowMs`) and the RFC 3550 jitter of the transit.
 */
export class TransitTracker {
  private readonly samples: Array<{ rx: number; transit: number }> = [];
  private lastTransit: number | null = null;
  private jitterMs = 0;

  constructor(private readonly windowMs = 2000) {}

  get jitter(): number {
    return this.jitterMs;
  }

  /** The smallest transit in the window; null before the first frame. */
  get base(): number | null {
    let min: number | null = null;
    for (const s of this.samples) if (min === null || s.transit < min) min = s.transit;
    return min;
  }

  observe(ts: number, rx: number): void {
    const transit = rx - ts;
    if (this.lastTransit !== null) this.jitterMs += (Math.abs(transit - this.lastTransit) - this.jitterMs) / 16;
    this.lastTransit = transit;
    // Pruned by arrival, not count, so the window means the same at any frame rate.
    while (this.samples.length > 0 && this.samples[0]!.rx < rx - this.windowMs) this.samples.shift();
    // Samples that can never be the minimum again are dropped: the window stays short.
    while (this.samples.length > 0 && this.samples[this.samples.length - 1]!.transit >= transit) this.samples.pop();
    this.samples.push({ rx, transit });
  }

  reset(): void {
    this.samples.length = 0;
    this.lastTransit = null;
    this.jitterMs = 0;
  }
}
