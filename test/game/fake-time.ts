import type { LoopTimers } from '../../src/game/loop.js';

interface Pending {
  id: number;
  due: number;
  callback: () => void;
}

/**
 * Virtual time with Node-like timers: a setTimeout fires `timeoutLateMs` after it was due (as
 * Node's do, roughly; a function gives each timer its own lateness), never sooner than 1 ms
 * after it was set (as Node's never do), and a setImmediate costs `immediateCostMs` of time to
 * come round.
 */
export class FakeTime {
  now: number;
  readonly timers: LoopTimers;
  private queue: Pending[] = [];
  private nextId = 1;
  timeoutsSet = 0;
  immediatesSet = 0;

  constructor(
    start: number,
    private readonly timeoutLateMs: number | (() => number) = 0,
    private readonly immediateCostMs = 0.02,
  ) {
    this.now = start;
    this.timers = {
      setTimeout: (callback, ms) => {
        this.timeoutsSet += 1;
        const late = typeof this.timeoutLateMs === 'number' ? this.timeoutLateMs : this.timeoutLateMs();
        return this.add(this.now + Math.max(ms, 1) + late, callback);
      },
      clearTimeout: (handle) => this.remove(handle as number),
      setImmediate: (callback) => {
        this.immediatesSet += 1;
        return this.add(this.now + this.immediateCostMs, callback);
      },
      clearImmediate: (handle) => this.remove(handle as number),
    };
  }

  readonly clock = (): number => this.now;

  get pending(): number {
    return this.queue.length;
  }

  /** Runs every callback due up to `until`, in time order, moving the clock to each. */
  runUntil(until: number): void {
    for (;;) {
      this.queue.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.queue[0];
      if (next === undefined || next.due > until) break;
      this.queue.shift();
      this.now = Math.max(this.now, next.due);
      next.callback();
    }
    this.now = Math.max(this.now, until);
  }

  private add(due: number, callback: () => void): number {
    const id = this.nextId++;
    this.queue.push({ id, due, callback });
    return id;
  }

  private remove(id: number): void {
    this.queue = this.queue.filter((p) => p.id !== id);
  }
}
