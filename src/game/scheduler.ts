/**
 * One fixed-rate loop for every room of a server. Each FixedRateLoop wakes early and polls
 * with setImmediate to hit its grid point; a room per loop means a poll per room, so a few
 * hundred rooms keep a core busy polling and their ticks queue behind one another's polls.
 * Shared, there is one wake-up and one poll per tick, and every room ticks on the same grid.
 *
 * A room gets a RoomLoop: the part of FixedRateLoop's surface a room uses, so the room does
 * not care which one it has.
 */
import type { Clock } from '../metrics/clock.js';
import { FixedRateLoop, type LoopTimers, type TickErrorSummary, type TickInfo } from './loop.js';

export interface RoomLoop {
  start(): void;
  stop(): void;
  readonly running: boolean;
  errorSummary(): TickErrorSummary;
}

export interface TickSchedulerOptions {
  clock: Clock;
  fps?: number;
  timers?: LoopTimers;
  spinMs?: number;
}

type TickHandler = (tick: TickInfo) => void;

export class TickScheduler {
  private readonly loop: FixedRateLoop;
  /** Insertion order is tick order: rooms tick in the order they started. */
  private readonly active = new Set<TickHandler>();
  private readonly errorListeners = new Set<(errorMs: number) => void>();

  constructor(options: TickSchedulerOptions) {
    this.loop = new FixedRateLoop({
      clock: options.clock,
      ...(options.fps !== undefined ? { fps: options.fps } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      ...(options.spinMs !== undefined ? { spinMs: options.spinMs } : {}),
      onTick: (tick) => {
        for (const handler of this.active) handler(tick);
      },
      onTickError: (errorMs) => {
        for (const listener of this.errorListeners) listener(errorMs);
      },
    });
  }

  /** A loop for one room: it ticks with the others while started. */
  ticker(onTick: TickHandler): RoomLoop {
    // A handler of its own, so the same callback given twice is still two members.
    const handler: TickHandler = (tick) => onTick(tick);
    const scheduler = this;
    return {
      start() {
        scheduler.add(handler);
      },
      stop() {
        scheduler.remove(handler);
      },
      get running() {
        return scheduler.active.has(handler);
      },
      errorSummary: () => this.loop.errorSummary(),
    };
  }

  /** Rooms ticking now. */
  get size(): number {
    return this.active.size;
  }

  get running(): boolean {
    return this.loop.running;
  }

  get ticks(): number {
    return this.loop.ticks;
  }

  errorSummary(): TickErrorSummary {
    return this.loop.errorSummary();
  }

  /** Every tick's lateness against the grid (ms), as it happens. */
  onTickError(listener: (errorMs: number) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private add(handler: TickHandler): void {
    this.active.add(handler);
    if (!this.loop.running) this.loop.start();
  }

  private remove(handler: TickHandler): void {
    this.active.delete(handler);
    // Nothing to tick: no wake-ups, so an idle server sleeps.
    if (this.active.size === 0) this.loop.stop();
  }
}
