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
    // One timer for all three, and no polling.
    expect(time.immediatesSet).toBe(0);
    expect(time.timeoutsSet).toBe(61);
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

describe('TickScheduler slices', () => {
  it('cuts a long tick into slices with a turn of the event loop between them, every room once per tick', () => {
    const time = new FakeTime(T0, 0.2, 0.01);
    const scheduler = new TickScheduler({ clock: time.clock, timers: time.timers, sliceMs: 1 });
    const order: string[] = [];
    const perRoom = new Map<number, number[]>();
    for (let room = 0; room < 10; room++) {
      perRoom.set(room, []);
      scheduler
        .ticker((tick) => {
          perRoom.get(room)!.push(tick.index);
          order.push(`room${room}`);
          // Each room's tick costs 0.4 ms; a message "arrives" for the event loop meanwhile.
          time.now += 0.4;
          if (room === 0) time.timers.setImmediate(() => order.push('io'));
        })
        .start();
    }
    time.runUntil(T0 + 3 * PERIOD + 5);
    for (const ticks of perRoom.values()) expect(ticks).toEqual([1, 2, 3]);
    const firstTick = order.slice(0, order.indexOf('room9') + 1);
    // 0.4 ms a room and 1 ms slices: the I/O queued by room 0 runs after room 2, not after room 9.
    expect(firstTick.indexOf('io')).toBeGreaterThan(0);
    expect(firstTick.indexOf('io')).toBeLessThan(firstTick.indexOf('room3') + 1);
  });

  it('finishes a tick that ran over before starting the next, so no room ticks twice in a row or skips', () => {
    const time = new FakeTime(T0, 0, 0.01);
    const scheduler = new TickScheduler({ clock: time.clock, timers: time.timers, sliceMs: 1 });
    const seen: Array<[room: number, index: number]> = [];
    for (let room = 0; room < 4; room++) {
      scheduler
        .ticker((tick) => {
          seen.push([room, tick.index]);
          time.now += 6; // four rooms at 6 ms each: a tick takes 24 ms, longer than its period
        })
        .start();
    }
    time.runUntil(T0 + 6 * PERIOD);
    const byRoom = [0, 1, 2, 3].map((room) => seen.filter(([r]) => r === room).map(([, index]) => index));
    for (const indexes of byRoom) {
      expect(indexes.length).toBeGreaterThanOrEqual(3);
      // Strictly increasing: never the same tick twice.
      for (let i = 1; i < indexes.length; i++) expect(indexes[i]).toBeGreaterThan(indexes[i - 1]!);
    }
    // Rooms tick in their order within each tick.
    const firstTick = seen.filter(([, index]) => index === seen[0]![1]).map(([room]) => room);
    expect(firstTick).toEqual([0, 1, 2, 3]);
  });

  it('a room stopped by another during a tick is skipped, and no wake-up is left once all stop', () => {
    const time = new FakeTime(T0, 0, 0.01);
    const scheduler = new TickScheduler({ clock: time.clock, timers: time.timers, sliceMs: 1 });
    const ran: string[] = [];
    const b = scheduler.ticker(() => ran.push('b'));
    const a = scheduler.ticker(() => {
      ran.push('a');
      time.now += 2;
      b.stop();
      a.stop();
    });
    a.start();
    b.start();
    time.runUntil(T0 + 3 * PERIOD);
    expect(ran).toEqual(['a']);
    expect(scheduler.running).toBe(false);
    expect(time.pending).toBe(0);
  });
});
