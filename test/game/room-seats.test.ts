/**
 * Seats that belong to their holder, in a room on the bus with time in the test's hands: tokens
 * granted and checked, refusals, drops detected by will or by silence, the pause, the return
 * with the score intact, the forfeit, and a game that comes back from a snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GameRoom } from '../../src/game/room.js';
import type { BallMessage, SeatMessage, StateMessage, StatsMessage } from '../../src/protocol/messages.js';
import { topics } from '../../src/protocol/topics.js';
import { TopicBus, type Sender } from '../../src/bus/bus.js';
import type { RoomSnapshot } from '../../src/game/snapshot.js';

const GAME = 'seats';
const PERIOD = 1000 / 60;
const T0 = 1_700_000_000_000;

function setup(options: { restore?: RoomSnapshot; forfeitAfterMs?: number } = {}) {
  const bus = new TopicBus();
  const time = { now: T0 };
  let tokens = 0;
  const room = new GameRoom({
    gameId: GAME,
    bus,
    clock: () => time.now,
    pointsToWin: 3,
    fps: 60,
    autoServeMs: 1000,
    seed: 7,
    ackTimeoutMs: 3000,
    forfeitAfterMs: options.forfeitAfterMs ?? 10_000,
    statsIntervalMs: 100,
    newToken: () => `token-${++tokens}-abcdef`,
    ...(options.restore ? { restore: options.restore } : {}),
  });
  const seats = new Map<string, SeatMessage[]>();
  bus.subscribe(topics.seat(GAME, '+'), (m) => {
    const clientId = m.topic.split('/').at(-1)!;
    seats.set(clientId, [...(seats.get(clientId) ?? []), JSON.parse(m.payload) as SeatMessage]);
  });
  const frames: BallMessage[] = [];
  bus.subscribe(topics.ball(GAME), (m) => frames.push(JSON.parse(m.payload) as BallMessage));
  const send = (topic: string, payload: object) => bus.publish(topic, JSON.stringify(payload), { origin: 'test' });
  const join = (player: 1 | 2, clientId: string, token?: string) =>
    send(topics.join(GAME), { player, clientId, timestamp: time.now, ...(token ? { token } : {}) });
  const lastSeat = (clientId: string) => seats.get(clientId)?.at(-1);
  const ack = (player: 1 | 2) => {
    const frame = frames.at(-1);
    if (frame) send(topics.ack(GAME, player), { seq: frame.seq, timestamp: frame.timestamp, rx: time.now });
  };
  /** Ticks for `ms`, with the listed players acking every frame. */
  const run = (ms: number, acking: Array<1 | 2> = [1, 2]) => {
    for (let elapsed = 0; elapsed < ms; elapsed += PERIOD) {
      time.now += PERIOD;
      room.tick(time.now);
      for (const player of acking) ack(player);
    }
  };
  const state = () => JSON.parse(bus.retainedMessage(topics.state(GAME))!.payload) as StateMessage;
  const stats = () => JSON.parse(bus.retainedMessage(topics.stats(GAME))!.payload) as StatsMessage;
  /** Both seated over tokens, playing. */
  const seatBoth = () => {
    join(1, 'alice');
    join(2, 'bob');
    return { alice: lastSeat('alice')!.token!, bob: lastSeat('bob')!.token! };
  };
  return { bus, time, room, send, join, lastSeat, run, state, stats, frames, seatBoth };
}

let current: GameRoom | null = null;
afterEach(() => {
  current?.stop();
  current = null;
});

describe('seat tokens', () => {
  it('grants a free seat with a fresh token on seat/<clientId>, and refuses a taken one', () => {
    const t = setup();
    current = t.room;
    t.join(1, 'alice');
    expect(t.lastSeat('alice')).toMatchObject({ player: 1, granted: true, token: 'token-1-abcdef' });
    expect(t.room.holderOf(1)).toBe('alice');
    t.join(1, 'mallory');
    expect(t.lastSeat('mallory')).toMatchObject({ player: 1, granted: false, reason: 'seat taken' });
    expect(t.lastSeat('mallory')!.token).toBeUndefined();
    expect(t.room.holderOf(1)).toBe('alice');
    expect(t.room.dropped).toMatchObject({ 'join:seat-taken': 1 });
  });

  it('answers a repeated join from the holder without handing the token out again', () => {
    const t = setup();
    current = t.room;
    t.join(1, 'alice');
    t.join(1, 'alice');
    expect(t.lastSeat('alice')).toEqual({ player: 1, granted: true, tokenInMessages: true, timestamp: expect.any(Number) });
    expect(t.room.holderOf(1)).toBe('alice');
  });

  it('counts paddle, serve, restart and ready without the holder\'s token as bad-token and ignores them', () => {
    const t = setup();
    current = t.room;
    const { alice } = t.seatBoth();
    t.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now, seq: 1 });
    t.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now, seq: 2, token: 'token-9-wrongone' });
    t.send(topics.serve(GAME), { player: 1, timestamp: t.time.now });
    t.send(topics.restart(GAME), { player: 1, timestamp: t.time.now, token: 'token-2-abcdef' });
    t.send(topics.ready(GAME), { player: 1, timestamp: t.time.now });
    t.run(200);
    expect(t.frames.at(-1)!.p1y).toBe(4.5);
    expect(t.state()).toMatchObject({ status: 'playing', servingPlayer: 1 });
    expect(t.room.dropped).toEqual({ 'paddle:bad-token': 2, 'serve:bad-token': 1, 'restart:bad-token': 1, 'ready:bad-token': 1 });

    t.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now, seq: 3, token: alice });
    t.send(topics.serve(GAME), { player: 1, timestamp: t.time.now, token: alice });
    t.run(100);
    expect(t.frames.at(-1)!.p1y).toBe(0);
    expect(t.state().servingPlayer).toBeNull();
    expect(t.stats().dropped).toMatchObject({ 'paddle:bad-token': 2 });
  });

  it('leaves a seat taken by a client without a client id unprotected, as with classic clients', () => {
    const t = setup();
    current = t.room;
    t.send(topics.join(GAME), { player: 1, timestamp: t.time.now });
    t.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now });
    t.run(100);
    expect(t.frames.at(-1)!.p1y).toBe(0);
    expect(t.room.holderOf(1)).toBeNull();
    t.join(1, 'alice');
    expect(t.lastSeat('alice')).toMatchObject({ granted: false });
  });
});

describe('drops and returns', () => {
  it('pauses on a leave from the holder, says who is missing until when, and resumes on a re-join with the token', () => {
    const t = setup();
    current = t.room;
    const { bob } = t.seatBoth();
    t.run(100);
    t.send(topics.leave(GAME), { player: 2, clientId: 'bob', token: bob, timestamp: t.time.now, reason: 'connection lost' });
    const leftAt = t.time.now;
    expect(t.state()).toMatchObject({ status: 'paused', players: { p1: true, p2: false }, missing: [2] });
    expect(t.state().forfeitAt).toBeCloseTo(leftAt + 10_000, 2);
    t.run(2000, [1]);
    expect(t.state().status).toBe('paused');

    // A stranger cannot take the kept seat; the holder, restarted under a new client id, can.
    t.join(2, 'mallory');
    expect(t.lastSeat('mallory')).toMatchObject({ granted: false });
    t.join(2, 'bob-again', bob);
    expect(t.lastSeat('bob-again')).toMatchObject({ granted: true, token: bob });
    expect(t.room.holderOf(2)).toBe('bob-again');
    expect(t.state()).toMatchObject({ status: 'playing', players: { p1: true, p2: true }, missing: [], forfeitAt: null });
  });

  it('ignores a leave that is not about the current holder (a stranger, or an old connection\'s will)', () => {
    const t = setup();
    current = t.room;
    const { bob } = t.seatBoth();
    t.send(topics.leave(GAME), { player: 2, clientId: 'mallory', timestamp: t.time.now });
    t.send(topics.leave(GAME), { player: 2, timestamp: t.time.now, token: 'token-9-wrongone' });
    t.join(2, 'bob-2', bob);
    t.send(topics.leave(GAME), { player: 2, clientId: 'bob', token: bob, timestamp: t.time.now });
    expect(t.state().status).toBe('playing');
    expect(t.room.dropped).toMatchObject({ 'leave:bad-token': 3 });
  });

  it('takes a player who stops acking for the timeout for gone, and keeps the score through the return', () => {
    const t = setup();
    current = t.room;
    const { alice } = t.seatBoth();
    t.send(topics.serve(GAME), { player: 1, timestamp: t.time.now, token: alice });
    // Nobody moves a paddle: the first serve goes past one of them within seconds.
    for (let i = 0; i < 300 && t.state().p1Score + t.state().p2Score === 0; i++) t.run(100);
    expect(t.state().p1Score + t.state().p2Score).toBeGreaterThan(0);

    t.run(2900, [1]);
    expect(t.state().status).toBe('playing');
    t.run(300, [1]);
    const paused = t.state();
    expect(paused).toMatchObject({ status: 'paused', missing: [2] });
    const ballAt = t.frames.at(-1)!;
    t.run(1000, [1]);
    expect(t.frames.at(-1)).toMatchObject({ x: ballAt.x, y: ballAt.y });

    t.join(2, 'bob', t.lastSeat('bob')!.token);
    expect(t.state()).toMatchObject({ status: 'playing', p1Score: paused.p1Score, p2Score: paused.p2Score, missing: [] });
  });

  it('gives the game to the player who stayed when the other does not return in time', () => {
    const t = setup({ forfeitAfterMs: 5000 });
    current = t.room;
    t.seatBoth();
    t.send(topics.leave(GAME), { player: 1, clientId: 'alice', timestamp: t.time.now });
    t.run(4900, [2]);
    expect(t.state().status).toBe('paused');
    t.run(200, [2]);
    expect(t.state()).toMatchObject({ status: 'ended', winner: 2, forfeit: true, missing: [], forfeitAt: null });
    expect(t.room.holderOf(1)).toBeNull();
    // Nothing to come back to: the seat is free for anyone now.
    t.join(1, 'carol');
    expect(t.lastSeat('carol')).toMatchObject({ granted: true });
  });

  it('frees a seat at once when its holder leaves outside a game', () => {
    const t = setup();
    current = t.room;
    t.join(1, 'alice');
    t.send(topics.leave(GAME), { player: 1, clientId: 'alice', timestamp: t.time.now });
    expect(t.state()).toMatchObject({ status: 'waiting', missing: [] });
    t.join(1, 'carol');
    expect(t.lastSeat('carol')).toMatchObject({ granted: true });
  });
});

describe('a restored game', () => {
  const snapshot: RoomSnapshot = {
    p1Score: 2,
    p2Score: 1,
    servingPlayer: 2,
    pointsToWin: 3,
    rev: 40,
    seats: { p1: { clientId: 'alice', token: 'saved-token-1' }, p2: { clientId: 'bob', token: 'saved-token-2' } },
  };

  it('comes back paused with its score, rev continuing, both seats kept; resumes when both re-join', () => {
    const t = setup({ restore: snapshot });
    current = t.room;
    expect(t.state()).toMatchObject({ status: 'paused', p1Score: 2, p2Score: 1, servingPlayer: 2, missing: [1, 2], rev: 41 });
    expect(t.state().forfeitAt).toBe(T0 + 10_000);
    expect(t.room.snapshot()).toMatchObject({ p1Score: 2, p2Score: 1, servingPlayer: 2, seats: snapshot.seats });
    t.join(1, 'alice-new', 'saved-token-1');
    t.join(2, 'mallory');
    expect(t.lastSeat('mallory')).toMatchObject({ granted: false });
    t.join(2, 'bob-new', 'saved-token-2');
    expect(t.state()).toMatchObject({ status: 'playing', p1Score: 2, p2Score: 1, servingPlayer: 2, missing: [] });
  });

  it('is abandoned, seats free, when nobody comes back in time', () => {
    const t = setup({ restore: snapshot });
    current = t.room;
    t.run(10_100, []);
    expect(t.state()).toMatchObject({ status: 'waiting', p1Score: 0, p2Score: 0, missing: [], players: { p1: false, p2: false } });
    expect(t.room.snapshot()).toBeNull();
    t.join(1, 'carol');
    expect(t.lastSeat('carol')).toMatchObject({ granted: true });
  });
});

describe('seats proved by the connection', () => {
  /** A message as a gateway of the server puts it on the bus: with the connection it came from. */
  const from = (t: ReturnType<typeof setup>, clientId: string) => {
    const sender: Sender = { clientId, address: '10.0.0.1' };
    return {
      join: (player: 1 | 2, token?: string) =>
        t.bus.publish(topics.join(GAME), JSON.stringify({ player, clientId, timestamp: t.time.now, ...(token ? { token } : {}) }), { sender }),
      send: (topic: string, payload: object) => t.bus.publish(topic, JSON.stringify(payload), { sender }),
    };
  };
  const answers = (t: ReturnType<typeof setup>) => {
    const seen: Array<{ topic: string; to: string | undefined }> = [];
    t.bus.subscribe(topics.seat(GAME, '+'), (m) => seen.push({ topic: m.topic, to: m.to }));
    return seen;
  };

  it('grants a verified join a token for takeovers only: its messages need none, and nobody else\'s count', () => {
    const t = setup();
    current = t.room;
    const seen = answers(t);
    const alice = from(t, 'alice');
    const mallory = from(t, 'mallory');
    alice.join(1);
    from(t, 'bob').join(2);
    const grant = t.lastSeat('alice')!;
    expect(grant).toMatchObject({ player: 1, granted: true, token: 'token-1-abcdef' });
    expect(grant.tokenInMessages).toBeUndefined();
    // Each answer is addressed to its own client, which the gateways deliver to it alone.
    expect(seen).toEqual([
      { topic: topics.seat(GAME, 'alice'), to: 'alice' },
      { topic: topics.seat(GAME, 'bob'), to: 'bob' },
    ]);
    alice.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now, seq: 1 });
    mallory.send(topics.paddle(GAME, 2), { y: 9, timestamp: t.time.now, seq: 1 });
    mallory.send(topics.serve(GAME), { player: 1, timestamp: t.time.now });
    t.run(500);
    expect(t.frames.at(-1)!.p1y).toBe(0);
    expect(t.frames.at(-1)!.p2y).toBe(4.5);
    expect(t.room.dropped).toEqual({ 'paddle:bad-token': 1, 'serve:bad-token': 1 });
    alice.send(topics.serve(GAME), { player: 1, timestamp: t.time.now });
    t.run(50);
    expect(t.state().servingPlayer).toBeNull();
  });

  it('moves a seat to a newer client that shows its token, and tells the old one it was taken over', () => {
    const t = setup();
    current = t.room;
    from(t, 'alice').join(1);
    from(t, 'bob').join(2);
    const token = t.lastSeat('alice')!.token!;
    from(t, 'mallory').join(1, 'token-9-wrongone');
    expect(t.lastSeat('mallory')).toMatchObject({ granted: false, reason: 'seat taken' });
    const restarted = from(t, 'alice-2');
    restarted.join(1, token);
    expect(t.lastSeat('alice-2')).toMatchObject({ player: 1, granted: true, token });
    expect(t.lastSeat('alice')).toMatchObject({ player: 1, granted: false, reason: 'taken over' });
    expect(t.room.holderOf(1)).toBe('alice-2');
    from(t, 'alice').send(topics.paddle(GAME, 1), { y: 9, timestamp: t.time.now, seq: 5 });
    restarted.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now, seq: 6 });
    t.run(500);
    expect(t.frames.at(-1)!.p1y).toBe(0);
    expect(t.room.dropped).toMatchObject({ 'paddle:bad-token': 1 });
  });

  it('takes a leave only from the holder\'s own connection', () => {
    const t = setup();
    current = t.room;
    from(t, 'alice').join(1);
    from(t, 'bob').join(2);
    from(t, 'mallory').send(topics.leave(GAME), { player: 1, clientId: 'mallory', timestamp: t.time.now });
    t.run(100);
    expect(t.state().status).toBe('playing');
    from(t, 'alice').send(topics.leave(GAME), { player: 1, clientId: 'alice', timestamp: t.time.now, reason: 'quit' });
    t.run(100, [2]);
    expect(t.state()).toMatchObject({ status: 'paused', missing: [1] });
  });
});

describe('commands that name no player (a classic client\'s restart)', () => {
  const send = (t: ReturnType<typeof setup>, topic: string, payload: object, sender?: Sender) =>
    t.bus.publish(topic, JSON.stringify(payload), sender ? { sender } : { origin: 'test' });
  /** Plays on, both acking and nobody moving, until the game is over. */
  const playToTheEnd = (t: ReturnType<typeof setup>) => {
    for (let second = 0; second < 600 && t.state().status !== 'ended'; second++) t.run(1000);
    expect(t.state().status).toBe('ended');
  };

  it('counts them for the seat the sending connection sits in, and for nobody when it sits in none', () => {
    const t = setup();
    current = t.room;
    // A classic client over the server's own broker: its join names no client id, but the
    // broker knows its connection (its MQTT client id).
    const classic: Sender = { clientId: 'mqttjs_5e1f', address: '10.0.0.2' };
    const stranger: Sender = { clientId: 'mqttjs_0bad', address: '10.0.0.3' };
    send(t, topics.join(GAME), { player: 1, timestamp: t.time.now }, classic);
    send(t, topics.join(GAME), { player: 2, clientId: 'bob', timestamp: t.time.now }, { clientId: 'bob', address: '10.0.0.4' });
    expect(t.state()).toMatchObject({ status: 'playing', servingPlayer: 1 });
    send(t, topics.serve(GAME), { timestamp: t.time.now }, stranger);
    t.run(100);
    expect(t.state().servingPlayer).toBe(1);
    send(t, topics.serve(GAME), { timestamp: t.time.now }, classic);
    t.run(100);
    expect(t.state().servingPlayer).toBeNull();

    playToTheEnd(t);
    send(t, topics.restart(GAME), { timestamp: t.time.now }, stranger);
    t.run(100);
    expect(t.state().status).toBe('ended');
    send(t, topics.restart(GAME), { timestamp: t.time.now }, classic);
    t.run(100);
    expect(t.state()).toMatchObject({ status: 'playing', p1Score: 0, p2Score: 0 });
    expect(t.room.dropped).toMatchObject({ 'serve:no-seat': 1, 'restart:no-seat': 1 });
  });

  it('through an external broker (no connection known), counts them for a seat a classic client holds, never for one a token protects', () => {
    const t = setup();
    current = t.room;
    t.send(topics.join(GAME), { player: 1, timestamp: t.time.now });
    t.join(2, 'bob');
    t.send(topics.serve(GAME), { timestamp: t.time.now });
    t.run(100);
    expect(t.state().servingPlayer).toBeNull();
    playToTheEnd(t);
    t.send(topics.restart(GAME), { timestamp: t.time.now });
    t.run(100);
    expect(t.state().status).toBe('playing');
  });

  it('through an external broker, counts none for seats that tokens protect', () => {
    const t = setup();
    current = t.room;
    t.seatBoth();
    t.send(topics.serve(GAME), { timestamp: t.time.now });
    t.run(100);
    expect(t.state().servingPlayer).toBe(1);
    expect(t.room.dropped).toMatchObject({ 'serve:no-seat': 1 });
  });
});
