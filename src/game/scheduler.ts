/**
 * One fixed-rate loop for every room of a server: one timer wake-up per tick however many
 * rooms play, every room on the same grid, and no timer at all while no room ticks (an idle
 * server sleeps). A loop per room would cost a wake-up per room per tick.
 *
 * A room gets a RoomLoop: the part of FixedRateLoop's surface a room uses, so the room does
 * not care which one it has.
 *
 * A tick of many rooms is cut into slices of about `sliceMs`, with a turn of the event loop
 * between them: the acks and paddle moves that arrived meanwhile are read then, not after the
 * last room's frame has gone out. Unsliced, every message waited behind the whole tick (10 ms
 * and more at a few hundred games), which is what a player's round trip measured. Rooms of
 * later slices publish a little later in the period, each still exactly once per tick.
 */
import type { Clock } from '../metrics/clock.js';
import { FixedRateLoop, nodeTimers, type LoopTimers, type TickErrorSummary, type TickInfo } from './loop.js';

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
  /** Longest run of room ticks before the event loop gets a turn; Infinity never yields. */
  sliceMs?: number;
}

export const DEFAULT_SLICE_MS = 1;

/** The rooms of one tick still to run, when a slice ran out. */
interface TickInProgress {
  handlers: TickHandler[];
  next: number;
  tick: TickInfo;
}

type TickHandler = (tick: TickInfo) => void;

export class TickScheduler {
  private readonly loop: FixedRateLoop;
  /** Insertion order is tick order: rooms tick in the order they started. */
  private readonly active = new Set<TickHandler>();
  private readonly errorListeners = new Set<(errorMs: number) => void>();
  private readonly clock: Clock;
  private readonly timers: LoopTimers;
  private readonly sliceMs: number;
  private inProgress: TickInProgress | null = null;
  private resume: unknown = null;

  constructor(options: TickSchedulerOptions) {
    this.clock = options.clock;
    this.timers = options.timers ?? nodeTimers;
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.loop = new FixedRateLoop({
      clock: options.clock,
      ...(options.fps !== undefined ? { fps: options.fps } : {}),
      timers: this.timers,
      onTick: (tick) => this.startTick(tick),
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

  private startTick(tick: TickInfo): void {
    // Rooms the last tick has not reached yet run now, before anyone ticks twice.
    if (this.inProgress !== null) this.runSlice(Number.POSITIVE_INFINITY);
    this.inProgress = { handlers: [...this.active], next: 0, tick };
    this.runSlice(this.sliceMs);
  }

  private runSlice(sliceMs: number): void {
    if (this.resume !== null) {
      this.timers.clearImmediate(this.resume);
      this.resume = null;
    }
    const work = this.inProgress;
    if (work === null) return;
    const started = this.clock();
    const tick = work.next === 0 ? work.tick : { ...work.tick, actual: started, error: started - work.tick.scheduled };
    while (work.next < work.handlers.length) {
      const handler = work.handlers[work.next]!;
      work.next += 1;
      // A room stopped earlier in this tick (by another room's tick or a message) is skipped.
      if (this.active.has(handler)) handler(tick);
      if (this.inProgress === work && work.next < work.handlers.length && this.clock() - started >= sliceMs) {
        this.resume = this.timers.setImmediate(() => {
          this.resume = null;
          this.runSlice(this.sliceMs);
        });
        return;
      }
    }
    if (this.inProgress === work) this.inProgress = null;
  }

  private add(handler: TickHandler): void {
    this.active.add(handler);
    if (!this.loop.running) this.loop.start();
  }

  private remove(handler: TickHandler): void {
    this.active.delete(handler);
    // Nothing to tick: no wake-ups, so an idle server sleeps.
    if (this.active.size === 0) {
      this.loop.stop();
      this.inProgress = null;
      if (this.resume !== null) this.timers.clearImmediate(this.resume);
      this.resume = null;
    }
  }
}
