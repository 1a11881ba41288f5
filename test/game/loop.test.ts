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
  it('keeps 600 ticks on the absolute grid although every timer fires late, centred once it has learned how late', () => {
    // Node's timers fire about a millisecond late; chaining relative delays would add that up.
    const time = new FakeTime(T0, 1.3);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks);
    loop.start();
    time.runUntil(T0 + 600 * PERIOD + 2);
    loop.stop();

    expect(ticks).toHaveLength(600);
    ticks.forEach((tick, i) => {
      expect(tick.index).toBe(i + 1);
      expect(tick.scheduled).toBeCloseTo(T0 + (i + 1) * PERIOD, 3);
    });
    // The first wake assumes 1 ms of lateness and is 0.3 ms late; from the second on the timer
    // is aimed 1.3 ms early and the tick lands on its grid point.
    expect(ticks[0]!.error).toBeCloseTo(0.3, 3);
    for (const tick of ticks.slice(1)) expect(Math.abs(tick.error)).toBeLessThan(1e-6);
    expect(loop.timerLateness).toBeCloseTo(1.3, 3);
    expect(loop.errorSummary().count).toBe(600);
    expect(loop.errorSummary().p99).toBeLessThan(1e-6);
    expect(time.pending).toBe(0);
  });

  it('sets one timer per tick and never polls', () => {
    const time = new FakeTime(T0, 0.8, 0.05);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks);
    loop.start();
    time.runUntil(T0 + 60 * PERIOD + 2);
    loop.stop();
    expect(ticks).toHaveLength(60);
    expect(time.immediatesSet).toBe(0);
    expect(time.timeoutsSet).toBe(61);
  });

  it('with lateness that varies from wake to wake, straddles the grid: every tick within half the spread of it, and no drift', () => {
    // Lateness spread evenly over 0.2..1.8 ms, in a fixed shuffled order (deterministic).
    const spread = Array.from({ length: 17 }, (_, i) => 0.2 + (((i * 7) % 17) / 16) * 1.6);
    let n = 0;
    const time = new FakeTime(T0, () => spread[n++ % spread.length]!);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks);
    loop.start();
    const count = 36_000; // ten minutes at 60 Hz
    time.runUntil(T0 + count * PERIOD + 3);
    loop.stop();
    expect(ticks).toHaveLength(count);
    expect(ticks.at(-1)!.scheduled).toBeCloseTo(T0 + count * PERIOD, 3);
    // The median lateness is 1.0 ms: aimed 1 ms early, a wake lands within ±0.8 ms of its point.
    for (const tick of ticks.slice(40)) expect(Math.abs(tick.error)).toBeLessThanOrEqual(0.8 + 1e-3);
    const early = ticks.filter((t) => t.error < 0).length;
    const late = ticks.filter((t) => t.error > 0).length;
    expect(Math.abs(early - late) / count).toBeLessThan(0.1);
    expect(loop.skipped).toBe(0);
  });

  it('a wake more than earlyMs before its grid point sleeps again instead of ticking early', () => {
    // A loop told to expect its timers 3 ms late, with timers that are on time: its first wake
    // comes 3 ms early, more than earlyMs (1), so it sleeps again, to the grid point itself.
    const time = new FakeTime(T0, 0);
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks, { timerLatenessMs: 3 });
    loop.start();
    time.runUntil(T0 + 30 * PERIOD + 5);
    loop.stop();
    expect(ticks).toHaveLength(30);
    expect(ticks[0]!.error).toBeCloseTo(0, 6);
    for (const tick of ticks) expect(Math.abs(tick.error)).toBeLessThan(1e-6);
    expect(time.timeoutsSet).toBe(32);
    expect(loop.timerLateness).toBe(0);
  });

  it('does not let one stalled wake move later aims', () => {
    let n = 0;
    // Every 50th timer fires 30 ms late (a garbage collection, a busy machine).
    const time = new FakeTime(T0, () => (++n % 50 === 0 ? 30 : 1));
    const ticks: TickInfo[] = [];
    const loop = loopOn(time, ticks);
    loop.start();
    time.runUntil(T0 + 600 * PERIOD + 40);
    loop.stop();
    expect(loop.timerLateness).toBe(1);
    const onTime = ticks.filter((t) => Math.abs(t.error) < 1e-6).length;
    expect(onTime / ticks.length).toBeGreaterThan(0.9);
  });

  it('holds no timer while stopped', () => {
    const time = new FakeTime(T0, 1);
    const loop = loopOn(time, []);
    loop.start();
    time.runUntil(T0 + 5 * PERIOD);
    loop.stop();
    expect(time.pending).toBe(0);
    const set = time.timeoutsSet;
    time.runUntil(T0 + 60_000);
    expect(time.timeoutsSet).toBe(set);
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
