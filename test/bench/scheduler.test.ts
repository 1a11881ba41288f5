import { describe, expect, it } from 'vitest';
import { TickScheduler } from '../../src/game/scheduler.js';
import { FakeTime } from '../game/fake-time.js';

const T0 = 1_700_000_000_000;
const PERIOD = 1000 / 60;

describe('TickScheduler', () => {
  it('ticks every started room on one grid, with one wake-up per tick however many rooms', () => {
    const time = new FakeTime(T0, 1.3, 0.05);
    const scheduler = new TickScheduler({ clock: time.clock, timers: time.timers });
    const ticks = new Map<string, number[]>();
    const loops = ['a', 'b', 'c'].map((name) => {
      ticks.set(name, []);
      return scheduler.ticker((tick) => ticks.get(name)!.push(tick.index));
    });
    for (const loop of loops) loop.start();
    time.runUntil(T0 + 60 * PERIOD + 0.5);
    expect(ticks.get('a')).toHaveLength(60);
    expect(ticks.get('b')).toEqual(ticks.get('a'));
    expect(ticks.get('c')).toEqual(ticks.get('a'));
    // One poll loop for all three: about 1 ms of polling per tick at 0.05 ms per poll.
    expect(time.immediatesSet).toBeLessThan(60 * 30);
    expect(scheduler.errorSummary().count).toBe(60);
  });

  it('stops waking once no room ticks, and a stopped room misses ticks while the others go on', () => {
    const time = new FakeTime(T0, 0.2, 0.05);
    const scheduler = new TickScheduler({ clock: time.clock, timers: time.timers });
    const a: number[] = [];
    const b: number[] = [];
    const loopA = scheduler.ticker(() => a.push(1));
    const loopB = scheduler.ticker(() => b.push(1));
    loopA.start();
    loopB.start();
    time.runUntil(T0 + 10 * PERIOD + 0.5);
    loopB.stop();
    expect(loopB.running).toBe(false);
    expect(loopA.running).toBe(true);
    time.runUntil(T0 + 20 * PERIOD + 0.5);
    expect(a).toHaveLength(20);
    expect(b).toHaveLength(10);
    loopA.stop();
    expect(scheduler.running).toBe(false);
    expect(time.pending).toBe(0);
  });

  it('reports every tick error to its listeners', () => {
    const time = new FakeTime(T0, 0, 0.05);
    const scheduler = new TickScheduler({ clock: time.clock, timers: time.timers });
    const errors: number[] = [];
    scheduler.onTickError((error) => errors.push(error));
    scheduler.ticker(() => {}).start();
    time.runUntil(T0 + 5 * PERIOD + 0.5);
    expect(errors).toHaveLength(5);
    for (const error of errors) expect(error).toBeGreaterThanOrEqual(0);
  });
});
