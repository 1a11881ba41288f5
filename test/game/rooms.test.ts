import { describe, expect, it } from 'vitest';
import { RoomManager } from '../../src/game/rooms.js';
import type { StateMessage } from '../../src/protocol/messages.js';
import { topics } from '../../src/protocol/topics.js';
import { TopicBus } from '../../src/bus/bus.js';
import { FakeTime } from './fake-time.js';

const T0 = 1_700_000_000_000;

function setup(maxRooms?: number) {
  const bus = new TopicBus();
  const time = new FakeTime(T0);
  const manager = new RoomManager({
    bus,
    clock: time.clock,
    timers: time.timers,
    fps: 60,
    pointsToWin: 5,
    autoServeMs: 1000,
    ...(maxRooms === undefined ? {} : { maxRooms }),
  });
  const join = (game: string, player: 1 | 2) =>
    bus.publish(`pong/game/${game}/join`, JSON.stringify({ player, timestamp: T0 }));
  return { bus, time, manager, join };
}

describe('RoomManager', () => {
  it('creates a room on the first join of an unknown game, and that join counts', () => {
    const { bus, manager, join } = setup();
    join('alpha', 1);
    const room = manager.get('alpha');
    expect(room).toBeDefined();
    expect(room!.state.present).toEqual({ p1: true, p2: false });
    join('alpha', 2);
    expect(manager.rooms.size).toBe(1);
    const state = JSON.parse(bus.retainedMessage(topics.state('alpha'))!.payload) as StateMessage;
    expect(state).toMatchObject({ status: 'playing', pointsToWin: 5 });
    manager.stopAll();
  });

  it('creates nothing for malformed joins or invalid game ids', () => {
    const { bus, manager } = setup();
    bus.publish('pong/game/beta/join', 'garbage');
    bus.publish('pong/game/beta/join', JSON.stringify({ player: 7, timestamp: T0 }));
    bus.publish('pong/game/bad id!/join', JSON.stringify({ player: 1, timestamp: T0 }));
    expect(manager.rooms.size).toBe(0);
    expect(manager.dropped).toEqual({ 'join:not-json': 1, 'join:out-of-range': 1 });
    expect(() => manager.ensureRoom('no/slashes')).toThrow(RangeError);
    manager.stopAll();
  });

  it('caps the number of rooms', () => {
    const { manager, join } = setup(2);
    join('a', 1);
    join('b', 1);
    join('c', 1);
    expect([...manager.rooms.keys()]).toEqual(['a', 'b']);
    expect(manager.refusedRooms).toBe(1);
    manager.stopAll();
  });

  it('starts rooms with the manager, including rooms created later, and stops them all', () => {
    const { bus, time, manager, join } = setup();
    const early = manager.ensureRoom('early');
    expect(manager.ensureRoom('early')).toBe(early);
    expect(early.running).toBe(false);
    manager.start();
    expect(early.running).toBe(true);
    join('late', 1);
    const late = manager.get('late')!;
    expect(late.running).toBe(true);

    let frames = 0;
    bus.subscribe(topics.ball('late'), () => frames++);
    time.runUntil(T0 + 1000);
    expect(frames).toBeGreaterThanOrEqual(59);
    expect(frames).toBeLessThanOrEqual(61);

    manager.stopAll();
    expect(early.running).toBe(false);
    expect(late.running).toBe(false);
    expect(time.pending).toBe(0);
    join('after', 1);
    expect(manager.get('after')).toBeUndefined();
  });
});

describe('rooms that cost nothing until played', () => {
  const sender = (clientId: string | null, address = '10.0.0.7') => ({ clientId, address });

  it('does not tick a room nobody is in, and ticks it from the first join', () => {
    const { bus, time, manager, join } = setup();
    manager.start();
    const room = manager.pin('empty');
    let frames = 0;
    bus.subscribe(topics.ball('empty'), () => frames++);
    time.runUntil(T0 + 1000);
    expect(room.running).toBe(true);
    expect(room.ticking).toBe(false);
    expect(frames).toBe(0);
    join('empty', 1);
    expect(room.ticking).toBe(true);
    time.runUntil(T0 + 2000);
    expect(frames).toBeGreaterThanOrEqual(59);
    manager.stopAll();
  });

  it('closes a room nobody has been in for the idle time and clears what it retained, but keeps the server\'s own', () => {
    const bus = new TopicBus();
    const time = new FakeTime(T0);
    const manager = new RoomManager({ bus, clock: time.clock, timers: time.timers, fps: 60, roomIdleMs: 10_000, sweepIntervalMs: 1_000 });
    manager.start();
    manager.pin('pinned');
    const join = (game: string, body: object) => bus.publish(`pong/game/${game}/join`, JSON.stringify({ timestamp: T0, ...body }));
    // One player came and went before a game began: nothing to keep a seat for.
    join('visited', { player: 1 });
    bus.publish('pong/game/visited/leave', JSON.stringify({ player: 1, timestamp: T0 }));
    join('watched', { spectator: true });
    expect(bus.retainedMessage(topics.state('visited'))).toBeDefined();
    time.runUntil(T0 + 9_000);
    expect([...manager.rooms.keys()].sort()).toEqual(['pinned', 'visited', 'watched']);
    time.runUntil(T0 + 12_000);
    expect([...manager.rooms.keys()]).toEqual(['pinned']);
    expect(bus.retainedMessage(topics.state('visited'))).toBeUndefined();
    expect(bus.retainedMessage(topics.state('pinned'))).toBeDefined();
    expect(manager.counters()).toMatchObject({ open: 1, closed: 2 });
    // Nothing left that may close, and the pinned room is waiting: no timer at all until a room opens.
    time.runUntil(T0 + 14_000);
    expect(time.pending).toBe(0);
    join('later', { spectator: true });
    time.runUntil(T0 + 26_000);
    expect([...manager.rooms.keys()]).toEqual(['pinned']);
    manager.stopAll();
    expect(time.pending).toBe(0);
  });

  it('limits the rooms a client and an address may open, and tells the refused client why', () => {
    const bus = new TopicBus();
    const time = new FakeTime(T0);
    const manager = new RoomManager({ bus, clock: time.clock, timers: time.timers, fps: 60, roomsPerClient: 2, roomsPerAddress: 3 });
    const answers: Array<{ topic: string; to: string | undefined; payload: string }> = [];
    bus.subscribe('pong/game/+/seat/+', (m) => answers.push({ topic: m.topic, to: m.to, payload: m.payload }));
    const open = (game: string, clientId: string | null, address?: string) =>
      bus.publish(`pong/game/${game}/join`, JSON.stringify({ player: 1, timestamp: T0, ...(clientId ? { clientId } : {}) }), {
        sender: sender(clientId, address),
      });
    open('a1', 'alice');
    open('a2', 'alice');
    open('a3', 'alice');
    expect([...manager.rooms.keys()]).toEqual(['a1', 'a2']);
    const refusal = answers.find((a) => a.topic === 'pong/game/a3/seat/alice')!;
    expect(refusal.to).toBe('alice');
    expect(JSON.parse(refusal.payload)).toMatchObject({ granted: false, reason: expect.stringContaining('--rooms-per-client') });
    open('b1', 'bob');
    open('b2', 'bob');
    open('c1', null, '10.0.0.8');
    expect([...manager.rooms.keys()]).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(JSON.parse(answers.at(-1)!.payload).reason).toContain('--rooms-per-address');
    expect(manager.counters().refused).toEqual({ 'join:room-limit-client': 1, 'join:room-limit-address': 1 });
    // A closed room frees its opener's share: joining an open room is never refused.
    open('a1', 'carol', '10.0.0.9');
    expect(manager.get('a1')!.state.present.p1).toBe(true);
    manager.stopAll();
  });
});
