import { describe, expect, it } from 'vitest';
import { TopicBus, type BusMessage } from '../../src/bus/bus.js';
import {
  ConditionedBus,
  MIN_RTO_MS,
  conditionedBus,
  type ConditionTimers,
  type NetworkConditions,
} from '../../src/bus/conditioned-bus.js';

/** Virtual time: timers fire exactly when due, in due order, as runUntil moves the clock. */
class FakeClock {
  now = 0;
  private pending: Array<{ id: number; due: number; run: () => void }> = [];
  private nextId = 1;
  readonly timers: ConditionTimers = {
    setTimeout: (run, ms) => {
      const id = this.nextId++;
      this.pending.push({ id, due: this.now + ms, run });
      return id;
    },
    clearTimeout: (handle) => {
      this.pending = this.pending.filter((timer) => timer.id !== handle);
    },
  };

  runUntil(until: number): void {
    for (;;) {
      this.pending.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.pending[0];
      if (next === undefined || next.due > until) break;
      this.pending.shift();
      this.now = next.due;
      next.run();
    }
    this.now = until;
  }

  get timersPending(): number {
    return this.pending.length;
  }
}

/** Replays the given draws in order, then 0.5 (the mean delay, no loss unless loss is 100%). */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => (i < values.length ? values[i++]! : 0.5);
}

function setup(gateway: string, conditions: Partial<NetworkConditions>, random: () => number) {
  const clock = new FakeClock();
  const bus = new TopicBus();
  const view = new ConditionedBus(bus, {
    gateway,
    conditions: { delayMs: 0, jitterMs: 0, lossPct: 0, ...conditions },
    now: () => clock.now,
    random,
    timers: clock.timers,
  });
  return { clock, bus, view };
}

function record(into: Array<{ at: number; payload: string }>, clock: FakeClock) {
  return (message: BusMessage) => into.push({ at: clock.now, payload: message.payload });
}

describe('conditionedBus', () => {
  it('is the bus itself when there is nothing to simulate', () => {
    const bus = new TopicBus();
    expect(conditionedBus(bus, 'ws', undefined)).toBe(bus);
    expect(conditionedBus(bus, 'ws', { delayMs: 0, jitterMs: 0, lossPct: 0 })).toBe(bus);
    expect(conditionedBus(bus, 'ws', { delayMs: 5, jitterMs: 0, lossPct: 0 })).not.toBe(bus);
  });

  it('refuses nonsense conditions', () => {
    expect(() => new ConditionedBus(new TopicBus(), { gateway: 'ws', conditions: { delayMs: -1, jitterMs: 0, lossPct: 0 } })).toThrow(RangeError);
    expect(() => new ConditionedBus(new TopicBus(), { gateway: 'ws', conditions: { delayMs: 0, jitterMs: 0, lossPct: 101 } })).toThrow(RangeError);
  });
});

describe('ConditionedBus, ordered paths (TCP)', () => {
  it('delays what a gateway receives: a slow message holds back the faster ones behind it', () => {
    // delay 10 ± 8: the first message draws +8 (18 ms), the second −8 (2 ms).
    const { clock, bus, view } = setup('ws', { delayMs: 10, jitterMs: 8 }, draws(1, 0));
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('pong/game/g/ball', record(got, clock));
    bus.publish('pong/game/g/ball', 'a');
    clock.runUntil(1);
    bus.publish('pong/game/g/ball', 'b');
    clock.runUntil(10);
    expect(got).toEqual([]);
    clock.runUntil(40);
    // b was due at 3 ms but waited behind a, due at 18 ms: head-of-line blocking.
    expect(got).toEqual([
      { at: 18, payload: 'a' },
      { at: 18, payload: 'b' },
    ]);
  });

  it('delays what a gateway publishes, in order per topic', () => {
    const { clock, bus, view } = setup('mqtt', { delayMs: 10, jitterMs: 8 }, draws(1, 0));
    const got: Array<{ at: number; payload: string }> = [];
    bus.subscribe('pong/game/g/p1/ack', record(got, clock));
    view.publish('pong/game/g/p1/ack', '1', { origin: 'mqtt' });
    view.publish('pong/game/g/p1/ack', '2', { origin: 'mqtt' });
    clock.runUntil(100);
    expect(got).toEqual([
      { at: 18, payload: '1' },
      { at: 18, payload: '2' },
    ]);
  });

  it('retransmits a lost message after the timeout instead of dropping it, and holds the next back', () => {
    // First draw < 0.5 loses the first transmission; the retry (0.9) gets through; delay draw 0.5.
    const { clock, bus, view } = setup('ws', { delayMs: 5, lossPct: 50 }, draws(0.1, 0.9, 0.5, 0.9, 0.5));
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('t/x', record(got, clock));
    bus.publish('t/x', 'lost-once', { qos: 0 });
    bus.publish('t/x', 'next', { qos: 0 });
    clock.runUntil(1000);
    expect(got).toEqual([
      { at: MIN_RTO_MS + 5, payload: 'lost-once' },
      { at: MIN_RTO_MS + 5, payload: 'next' },
    ]);
    expect(view.drops).toBe(0);
  });

  it("treats the WebRTC gateway's reliable messages (qos 1 or retained) as ordered too", () => {
    const { clock, bus, view } = setup('webrtc', { delayMs: 10, jitterMs: 8, lossPct: 50 }, draws(0.9, 1, 0.9, 0));
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('t/state', record(got, clock));
    bus.publish('t/state', 's1', { qos: 1, retain: true });
    bus.publish('t/state', 's2', { qos: 1, retain: true });
    clock.runUntil(100);
    expect(got.map((m) => m.payload)).toEqual(['s1', 's2']);
    expect(got[1]!.at).toBeGreaterThanOrEqual(got[0]!.at);
  });

  it('delivers nothing more once unsubscribed', () => {
    const { clock, bus, view } = setup('ws', { delayMs: 10 }, draws());
    const got: Array<{ at: number; payload: string }> = [];
    const unsubscribe = view.subscribe('t/x', record(got, clock));
    bus.publish('t/x', 'in flight');
    unsubscribe();
    clock.runUntil(100);
    expect(got).toEqual([]);
    expect(clock.timersPending).toBe(0);
  });

  it('hands retained messages over on subscribe, delayed like the rest', () => {
    const { clock, bus, view } = setup('ws', { delayMs: 7 }, draws());
    bus.publish('t/state', 'kept', { qos: 1, retain: true });
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('t/#', record(got, clock));
    expect(got).toEqual([]);
    clock.runUntil(10);
    expect(got).toEqual([{ at: 7, payload: 'kept' }]);
    expect(view.retainedMessage('t/state')?.payload).toBe('kept');
  });
});

describe('ConditionedBus, the unreliable WebRTC path', () => {
  it('drops lost qos 0 messages for good', () => {
    // Draws alternate loss check / delay: the 1st and 3rd are lost.
    const { clock, bus, view } = setup('webrtc', { delayMs: 5, lossPct: 50 }, draws(0.1, 0.9, 0.5, 0.2, 0.9, 0.5));
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('t/ball', record(got, clock));
    for (const payload of ['1', '2', '3', '4']) bus.publish('t/ball', payload, { qos: 0 });
    clock.runUntil(1000);
    expect(got.map((m) => m.payload)).toEqual(['2', '4']);
    expect(view.drops).toBe(2);
  });

  it('lets a faster message overtake a slower one (unordered)', () => {
    const { clock, bus, view } = setup('webrtc', { delayMs: 10, jitterMs: 8 }, draws(1, 0));
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('t/ball', record(got, clock));
    bus.publish('t/ball', 'slow', { qos: 0 });
    bus.publish('t/ball', 'fast', { qos: 0 });
    clock.runUntil(100);
    expect(got).toEqual([
      { at: 2, payload: 'fast' },
      { at: 18, payload: 'slow' },
    ]);
  });

  it('drops inbound qos 0 messages too (a player\'s acks and paddles)', () => {
    const { clock, bus, view } = setup('webrtc', { lossPct: 100 }, draws());
    const got: Array<{ at: number; payload: string }> = [];
    bus.subscribe('t/#', record(got, clock));
    view.publish('t/ack', 'a', { qos: 0 });
    view.publish('t/join', 'j', { qos: 1 });
    clock.runUntil(60_000_000);
    // The reliable join still arrives (after the retransmissions gave up being lost), the ack never.
    expect(got.map((m) => m.payload)).toEqual(['j']);
    expect(view.drops).toBe(1);
  });

  it("only the WebRTC gateway has an unreliable path: other gateways' qos 0 is ordered", () => {
    const { clock, bus, view } = setup('socketio', { delayMs: 10, jitterMs: 8 }, draws(1, 0));
    const got: Array<{ at: number; payload: string }> = [];
    view.subscribe('t/ball', record(got, clock));
    bus.publish('t/ball', 'slow', { qos: 0 });
    bus.publish('t/ball', 'fast', { qos: 0 });
    clock.runUntil(100);
    expect(got.map((m) => m.payload)).toEqual(['slow', 'fast']);
  });
});

describe('ConditionedBus delay distribution', () => {
  it('draws every delay within delay ± jitter, never below 0, centred on delay', () => {
    let seed = 42;
    // A small LCG: deterministic, spread over [0, 1).
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const view = new ConditionedBus(new TopicBus(), { gateway: 'ws', conditions: { delayMs: 20, jitterMs: 5, lossPct: 0 }, random });
    const samples = Array.from({ length: 5000 }, () => view.sampleDelay());
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...samples)).toBeLessThanOrEqual(25);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(19.5);
    expect(mean).toBeLessThan(20.5);
    const clamped = new ConditionedBus(new TopicBus(), { gateway: 'ws', conditions: { delayMs: 2, jitterMs: 5, lossPct: 0 }, random });
    const low = Array.from({ length: 1000 }, () => clamped.sampleDelay());
    expect(Math.min(...low)).toBe(0);
    expect(Math.max(...low)).toBeLessThanOrEqual(7);
  });
});
