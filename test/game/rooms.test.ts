import { describe, expect, it } from 'vitest';
import { RoomManager } from '../../src/game/rooms.js';
import type { StateMessage } from '../../src/protocol/messages.js';
import { topics } from '../../src/protocol/topics.js';
import { TopicBus } from '../../src/server/bus.js';
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
