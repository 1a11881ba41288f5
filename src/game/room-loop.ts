/**
 * Which loop a room ticks on, chosen by whoever makes the room: the server's shared scheduler
 * (every room on one grid, see scheduler.ts), or a FixedRateLoop of the room's own (a room on
 * its own in a test or a tool), with its timers injectable.
 */
import type { Clock } from '../metrics/clock.js';
import { FixedRateLoop, type LoopTimers, type TickInfo } from './loop.js';
import type { RoomLoop, TickScheduler } from './scheduler.js';

export type LoopFactory = (onTick: (tick: TickInfo) => void) => RoomLoop;

export interface RoomLoopOptions {
  clock: Clock;
  fps: number;
  /** Tick on the server's shared loop instead of a loop of the room's own. */
  scheduler?: TickScheduler | undefined;
  /** The room's own loop's timing, see FixedRateLoop. */
  timers?: LoopTimers | undefined;
}

export function roomLoopFactory(options: RoomLoopOptions): LoopFactory {
  const { scheduler } = options;
  if (scheduler !== undefined) return (onTick) => scheduler.ticker(onTick);
  return (onTick) =>
    new FixedRateLoop({
      clock: options.clock,
      fps: options.fps,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      onTick,
    });
}
