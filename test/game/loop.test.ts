import { describe, expect, it } from 'vitest';
import { FixedRateLoop, type FixedRateLoopOptions, type TickInfo } from '../../src/game/loop.js';
import { FakeTime } from './fake-time.js';

const T0 = 1_700_000_000_000;
const PERIOD = 1000 / 60;

function loopOn(time: FakeTime, ticks: TickInfo[], extra: Partial<FixedRateLoopOptions> = {}) {
  return new FixedRateLoop({
    clock: time.clock,
    timers: time.timers,
    onTick: (tick) => ticks.push(tick),
    ...extra,
  });
}

describe('FixedRateLoop', () => {
  it('keeps 600 ticks on the absolute grid although every timer fires late', () => {
    // Node's timers fire about a millisecond late; chaining relative delays would add that up.
    const time = new FakeTime(T0, 1.3);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks);
    loop.start();
    time.runUntil(T0 + 600 * PERIOD + 0.5);
    loop.stop();

    expect(ticks).toHaveLength(600);
    ticks.forEach((tick, i) => {
      expect(tick.index).toBe(i + 1);
      expect(tick.scheduled).toBeCloseTo(T0 + (i + 1) * PERIOD, 3);
      expect(tick.error).toBeGreaterThanOrEqual(0);
      expect(tick.error).toBeLessThan(0.35);
    });
    expect(loop.errorSummary().count).toBe(600);
    expect(loop.errorSummary().p99).toBeLessThan(0.35);
    expect(time.pending).toBe(0);
  });

  it('without polling stays on the grid too, late by the timer lateness but not drifting', () => {
    const time = new FakeTime(T0, 1.3);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks, { spinMs: 0 });
    loop.start();
    time.runUntil(T0 + 600 * PERIOD + 2);
    loop.stop();
    expect(ticks).toHaveLength(600);
    expect(ticks.at(-1)!.actual - (T0 + 600 * PERIOD)).toBeCloseTo(1.3, 3);
    expect(Math.max(...ticks.map((t) => t.error))).toBeCloseTo(1.3, 3);
    expect(time.immediatesSet).toBe(0);
  });

  it('sleeps on a timer for most of the period instead of polling', () => {
    const time = new FakeTime(T0, 0.2, 0.05);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks);
    loop.start();
    time.runUntil(T0 + 60 * PERIOD + 0.5);
    loop.stop();
    expect(ticks).toHaveLength(60);
    // About 1 ms of polling per tick at 0.05 ms per poll: well under 30 polls per tick.
    expect(time.immediatesSet / ticks.length).toBeLessThan(30);
    expect(time.timeoutsSet).toBeGreaterThanOrEqual(60);
  });

  it('catches up a bounded number of missed ticks after a stall, then rejoins the grid', () => {
    const time = new FakeTime(T0);
    const ticks: TickInfo[] = [];
    const loop = new FixedRateLoop({
      clock: time.clock,
      timers: time.timers,
      maxBurst: 4,
      onTick: (tick) => {
        ticks.push(tick);
        // The process stalls for 200 ms (12 periods) during tick 10.
        if (tick.index === 10) time.now += 200;
      },
    });
    loop.start();
    time.runUntil(T0 + 40 * PERIOD + 0.5);
    loop.stop();

    const indices = ticks.map((t) => t.index);
    // Tick 10 began a burst of 4: ticks 11..13 run back to back at the stall's end, then the
    // loop skips to the first grid point after it.
    expect(indices.slice(0, 13)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const stallEnd = ticks[9]!.actual + 200;
    for (const t of ticks.slice(10, 13)) expect(t.actual).toBeCloseTo(stallEnd, 3);
    const rejoin = Math.floor((stallEnd - T0) / PERIOD) + 1;
    expect(rejoin).toBe(23);
    expect(indices[13]).toBe(rejoin);
    expect(loop.skipped).toBe(rejoin - 14);
    expect(loop.resyncs).toBe(1);
    for (const t of ticks.slice(13)) {
      expect(t.scheduled).toBeCloseTo(T0 + t.index * PERIOD, 3);
      expect(t.error).toBeLessThan(0.1);
    }
    expect(indices.at(-1)).toBe(40);
  });

  it('stops cleanly, also from inside a tick, and restarts on a fresh grid', () => {
    const time = new FakeTime(T0);
    const ticks: TickInfo[] = [];
    let loop!: FixedRateLoop;
    loop = new FixedRateLoop({
      clock: time.clock,
      timers: time.timers,
      onTick: (tick) => {
        ticks.push(tick);
        if (tick.index === 3) loop.stop();
      },
    });
    loop.start();
    time.runUntil(T0 + 10 * PERIOD);
    expect(ticks).toHaveLength(3);
    expect(loop.running).toBe(false);
    expect(time.pending).toBe(0);

    loop.start();
    const restartedAt = time.now;
    time.runUntil(restartedAt + 2 * PERIOD + 0.5);
    loop.stop();
    expect(ticks).toHaveLength(5);
    expect(ticks[4]!.scheduled).toBeCloseTo(restartedAt + 2 * PERIOD, 3);
  });

  it('keeps a bounded window of recent errors, oldest first', () => {
    const time = new FakeTime(T0, 0.5);
    const seen: number[] = [];
    const loop = new FixedRateLoop({
      clock: time.clock,
      timers: time.timers,
      spinMs: 0,
      errorWindow: 8,
      onTick: () => {},
      onTickError: (error) => seen.push(error),
    });
    loop.start();
    time.runUntil(T0 + 20 * PERIOD + 1);
    loop.stop();
    expect(seen).toHaveLength(20);
    expect(loop.recentErrors()).toEqual(seen.slice(-8));
  });
});
