/**
 * A player's paddle on its way to the server: at most one message per server tick, always the
 * latest position. A held key or the bot may move the paddle more often than the server
 * simulates, and every extra message would only cost bandwidth and count against the gateways'
 * per-client rate limit. Timers are injected, so its pacing is tested without waiting.
 */
import type { Clock } from '../metrics/clock.js';

export interface OutboxTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The platform's own timers (Node's or the browser's). */
export const systemTimers: OutboxTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One server tick at 60 Hz, a little less so a send never slips a whole tick behind. */
export const PADDLE_INTERVAL_MS = 15;

export class PaddleOutbox {
  private lastSentAt = -Infinity;
  private timer: unknown = null;
  private sequence = 0;

  constructor(
    /** Sends the position with the next seq. */
    private readonly send: (y: number, seq: number) => void,
    /** Where the paddle is wanted now. */
    private readonly position: () => number,
    private readonly clock: Clock,
    private readonly timers: OutboxTimers = systemTimers,
    private readonly intervalMs = PADDLE_INTERVAL_MS,
  ) {}

  /** The position changed: sent now if a tick has passed since the last send, else at the next. */
  schedule(): void {
    if (this.timer !== null) return;
    const wait = this.lastSentAt + this.intervalMs - this.clock();
    if (wait <= 0) return this.flush();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** Sends the position at once (after a grant, or a re-join). */
  flush(): void {
    this.lastSentAt = this.clock();
    this.sequence += 1;
    this.send(this.position(), this.sequence);
  }

  close(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
