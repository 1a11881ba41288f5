/**
 * The display's own frame rate: one callback round per frame, scheduled against absolute times
 * on a fixed grid so the rate does not drift (setInterval(1000/60) runs fast or slow by whole
 * milliseconds per frame). Timers are injected so tests drive frames by hand.
 */
export interface FrameTicker {
  /** Runs `callback` at the start of every display frame until the returned function is called. */
  onFrame(callback: (now: number) => void): () => void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class FrameClock {
  private handle: unknown = null;
  private next = 0;

  constructor(
    private readonly tick: (now: number) => void,
    private readonly periodMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly timers: Timers = realTimers,
  ) {}

  start(): void {
    if (this.handle !== null) return;
    this.next = this.now() + this.periodMs;
    this.schedule();
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private schedule(): void {
    this.handle = this.timers.setTimeout(() => this.fire(), Math.max(0, this.next - this.now()));
  }

  private fire(): void {
    const now = this.now();
    this.tick(now);
    if (this.handle === null) return;
    this.next += this.periodMs;
    // Far behind (a stalled event loop): skip the missed frames instead of bursting them out.
    if (this.next < now) this.next = now + this.periodMs;
    this.schedule();
  }
}
