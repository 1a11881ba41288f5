import { afterEach, describe, expect, it } from 'vitest';
import { GameRoom } from '../../src/game/room.js';
import type { BallMessage, PeerLatencyStats, StateMessage, StatsMessage } from '../../src/protocol/messages.js';
import { topics } from '../../src/protocol/topics.js';
import { TopicBus } from '../../src/bus/bus.js';

const GAME = 'g1';
const PERIOD = 1000 / 60;

function setup(options: { pointsToWin?: number; autoServeMs?: number } = {}) {
  const bus = new TopicBus();
  const time = { now: 1_700_000_000_000 };
  const clock = () => time.now;
  const lines: string[] = [];
  const room = new GameRoom({
    gameId: GAME,
    bus,
    clock,
    pointsToWin: options.pointsToWin ?? 11,
    fps: 60,
    autoServeMs: options.autoServeMs ?? 3000,
    seed: 99,
    log: (line) => lines.push(line),
  });
  const frames: BallMessage[] = [];
  const states: StateMessage[] = [];
  const stats: StatsMessage[] = [];
  bus.subscribe(topics.ball(GAME), (m) => frames.push(JSON.parse(m.payload) as BallMessage));
  bus.subscribe(topics.state(GAME), (m) => states.push(JSON.parse(m.payload) as StateMessage));
  bus.subscribe(topics.stats(GAME), (m) => stats.push(JSON.parse(m.payload) as StatsMessage));
  const watcherStats: PeerLatencyStats[] = [];
  bus.subscribe(topics.watcherStats(GAME, '+'), (m) => watcherStats.push(JSON.parse(m.payload) as PeerLatencyStats));
  const send = (topic: string, payload: unknown) =>
    bus.publish(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { origin: 'test' });
  const tick = () => {
    time.now += PERIOD;
    room.tick(time.now);
  };
  const join = (player: 1 | 2) => send(topics.join(GAME), { player, timestamp: time.now, transport: 'ws' });
  const retainedState = () => JSON.parse(bus.retainedMessage(topics.state(GAME))!.payload) as StateMessage;
  return { bus, time, room, frames, states, stats, watcherStats, send, tick, join, retainedState, lines };
}

let current: GameRoom | null = null;
afterEach(() => {
  current?.stop();
  current = null;
});

describe('GameRoom', () => {
  it('publishes a retained waiting state at once and playing once both seats join', () => {
    const t = setup();
    current = t.room;
    expect(t.retainedState()).toMatchObject({ status: 'waiting', players: { p1: false, p2: false }, rev: 1 });
    t.join(1);
    expect(t.retainedState()).toMatchObject({ status: 'waiting', players: { p1: true, p2: false } });
    t.join(2);
    const state = t.retainedState();
    expect(state).toMatchObject({
      status: 'playing',
      p1Score: 0,
      p2Score: 0,
      servingPlayer: 1,
      winner: null,
      players: { p1: true, p2: true },
      court: { width: 40, height: 12, paddleHeight: 3 },
      pointsToWin: 11,
    });
    expect(state.autoServeAt).toBeCloseTo(t.time.now + 3000, 3);
    expect(state.rev).toBe(3);
    expect(t.bus.retainedMessage(topics.state(GAME))!.qos).toBe(1);

    // A repeated join changes nothing and publishes nothing.
    t.join(2);
    expect(t.states).toHaveLength(3);
  });

  it('ignores spectator joins', () => {
    const t = setup();
    current = t.room;
    t.send(topics.join(GAME), { spectator: true, timestamp: t.time.now, clientId: 'viewer-1' });
    expect(t.retainedState().players).toEqual({ p1: false, p2: false });
    expect(t.room.droppedTotal).toBe(0);
  });

  it('publishes a ball frame every tick, even while waiting, with seq rising by one', () => {
    const t = setup();
    current = t.room;
    for (let i = 0; i < 10; i++) t.tick();
    t.join(1);
    t.join(2);
    for (let i = 0; i < 10; i++) t.tick();
    expect(t.frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const first = t.frames[0]!;
    expect(first).toEqual({ x: 20, y: 6, dx: 0, dy: 0, timestamp: first.timestamp, seq: 1, p1y: 4.5, p2y: 4.5 });
    expect(t.frames.at(-1)!.timestamp).toBe(Math.round(t.time.now * 1000) / 1000);
  });

  it('moves a paddle toward a paddle message, at the paddle speed limit', () => {
    const t = setup();
    current = t.room;
    t.join(1);
    t.join(2);
    t.send(topics.paddle(GAME, 1), { y: 4, timestamp: t.time.now, seq: 1 });
    t.tick();
    expect(t.frames.at(-1)!.p1y).toBe(4);
    t.send(topics.paddle(GAME, 1), { y: 9, timestamp: t.time.now, seq: 2 });
    t.tick();
    expect(t.frames.at(-1)!.p1y).toBe(5.5);
    expect(t.frames.at(-1)!.p2y).toBe(4.5);
    // A late, older message (unordered channel) does not drag the paddle back.
    t.send(topics.paddle(GAME, 1), { y: 0, timestamp: t.time.now, seq: 1 });
    t.tick();
    expect(t.frames.at(-1)!.p1y).toBe(7);
  });

  it('drops and counts malformed payloads without throwing or moving anything', () => {
    const t = setup();
    current = t.room;
    t.join(1);
    t.join(2);
    const bad: Array<[string, string]> = [
      [topics.paddle(GAME, 1), 'not json'],
      [topics.paddle(GAME, 1), '{"y":"NaN","timestamp":1}'],
      [topics.paddle(GAME, 1), '{"y":1e308,"timestamp":1}'],
      [topics.paddle(GAME, 1), '{"y":"4","timestamp":1}'],
      [topics.paddle(GAME, 2), '[1,2]'],
      [topics.paddle(GAME, 2), JSON.stringify({ y: 1, timestamp: 1, pad: 'x'.repeat(10_000) })],
      [topics.serve(GAME), '{"player":"1","timestamp":1}'],
      [topics.serve(GAME), '{"player":3,"timestamp":1}'],
      [topics.restart(GAME), 'null'],
      [topics.join(GAME), '{"timestamp":1}'],
      [topics.ack(GAME, 1), '{"seq":-1,"timestamp":1,"rx":1}'],
      [topics.watcherAck(GAME, 'w1'), '{"seq":1}'],
    ];
    for (const [topic, payload] of bad) expect(() => t.send(topic, payload)).not.toThrow();
    expect(t.bus.errors).toBe(0);
    expect(t.room.droppedTotal).toBe(bad.length);
    expect(t.room.dropped).toMatchObject({ 'paddle:not-json': 1, 'paddle:too-large': 1, 'serve:out-of-range': 1 });

    for (let i = 0; i < 31; i++) t.tick();
    expect(t.frames.at(-1)).toMatchObject({ p1y: 4.5, p2y: 4.5 });
    expect(t.room.state.servingPlayer).toBe(1);
    expect(t.retainedState().status).toBe('playing');
    const published = t.stats.at(-1)!;
    expect(Object.values(published.dropped!).reduce((a, b) => a + b, 0)).toBe(bad.length);
  });

  it('lets only the serving player serve', () => {
    const t = setup();
    current = t.room;
    t.join(1);
    t.join(2);
    t.send(topics.serve(GAME), { player: 2, timestamp: t.time.now });
    t.tick();
    expect(t.frames.at(-1)).toMatchObject({ dx: 0, dy: 0 });
    t.send(topics.serve(GAME), { player: 1, timestamp: t.time.now });
    expect(t.retainedState().servingPlayer).toBeNull();
    expect(t.retainedState().autoServeAt).toBeNull();
    t.tick();
    expect(t.frames.at(-1)!.dx).toBeGreaterThan(0);
  });

  it('measures round trips from acks and publishes them in retained stats', () => {
    const t = setup();
    current = t.room;
    t.join(1);
    t.join(2);
    const rtt = 2.5;
    for (let i = 0; i < 40; i++) {
      t.time.now += PERIOD - rtt;
      t.room.tick(t.time.now);
      const frame = t.frames.at(-1)!;
      t.time.now += rtt;
      t.send(topics.ack(GAME, 1), { seq: frame.seq, timestamp: frame.timestamp, rx: frame.timestamp + 1.25 + 50 });
      const echo = { seq: frame.seq, timestamp: frame.timestamp };
      t.send(topics.watcherAck(GAME, 'viewer-1'), { ...echo, rx: frame.timestamp + 1 });
    }
    expect(t.stats).toHaveLength(1);
    const stats = JSON.parse(t.bus.retainedMessage(topics.stats(GAME))!.payload) as StatsMessage;
    expect(stats.p1!.samples).toBeGreaterThan(25);
    expect(stats.p1!.rtt.p50).toBeCloseTo(rtt, 1);
    expect(stats.p1!.transport).toBe('ws');
    expect(stats.p1!.offset).toBeCloseTo(50, 0);
    expect(stats.p1!.framesLost).toBe(0);
    expect(stats.p2).toMatchObject({ samples: 0 });
    // The watcher's own figures go to it alone; the shared stats only count watchers.
    expect(stats.watchers).toBe(1);
    expect(t.watcherStats.at(-1)!.rtt.p50).toBeCloseTo(rtt, 1);
    expect(stats.tick!.hz).toBeGreaterThan(55);
    expect(stats.tick!.hz).toBeLessThan(65);

    // A watcher that stops acking is forgotten after 10 s.
    for (let i = 0; i < 11 * 60; i++) t.tick();
    expect(t.stats.at(-1)!.watchers).toBeUndefined();
  });

  it('measures an older pong client too, which acks on pN/ack', () => {
    const t = setup();
    current = t.room;
    t.join(1);
    t.join(2);
    for (let i = 0; i < 40; i++) {
      t.tick();
      const frame = t.frames.at(-1)!;
      t.send(`pong/game/${GAME}/p2/ack`, { seq: frame.seq, timestamp: frame.timestamp, rx: frame.timestamp + 1 });
    }
    const stats = JSON.parse(t.bus.retainedMessage(topics.stats(GAME))!.payload) as StatsMessage;
    expect(stats.p2!.samples).toBeGreaterThan(25);
    expect(stats.p1).toMatchObject({ samples: 0 });
  });

  it('pauses when a player leaves and resumes with the score when they return', () => {
    const t = setup({ autoServeMs: 100 });
    current = t.room;
    t.join(1);
    t.join(2);
    let ticks = 0;
    const total = () => t.room.state.score.p1 + t.room.state.score.p2;
    while (total() === 0 && ticks++ < 5000) t.tick();
    const score = t.room.state.score;
    const scoredOn = t.room.state.servingPlayer;
    expect(total()).toBe(1);
    t.room.playerLeft(1);
    expect(t.retainedState()).toMatchObject({
      status: 'paused',
      p1Score: score.p1,
      p2Score: score.p2,
      players: { p1: false, p2: true },
    });
    for (let i = 0; i < 600; i++) t.tick();
    expect(t.room.state.score).toEqual(score);
    t.join(1);
    expect(t.retainedState()).toMatchObject({ status: 'playing', p1Score: score.p1, servingPlayer: scoredOn });
  });

  it('plays a whole game with a perfect p1 to a win at pointsToWin, then restarts', () => {
    const t = setup({ pointsToWin: 3, autoServeMs: 200 });
    current = t.room;
    t.join(1);
    t.join(2);
    let seq = 0;
    for (let i = 0; i < 50_000 && t.room.state.status !== 'ended'; i++) {
      const frame = t.frames.at(-1);
      if (frame !== undefined) {
        t.send(topics.paddle(GAME, 1), { y: frame.y - 1.5, timestamp: t.time.now, seq: ++seq });
        if (t.room.state.servingPlayer === 1) t.send(topics.serve(GAME), { player: 1, timestamp: t.time.now });
      }
      t.tick();
    }
    const end = t.retainedState();
    expect(end).toMatchObject({ status: 'ended', winner: 1, p1Score: 3, p2Score: 0, servingPlayer: null });
    expect(t.lines).toContain('[g1] p1 wins 3-0');

    t.send(topics.ready(GAME), { player: 1, timestamp: t.time.now });
    expect(t.retainedState().status).toBe('ended');
    t.send(topics.restart(GAME), { player: 2, timestamp: t.time.now });
    expect(t.retainedState()).toMatchObject({ status: 'playing', p1Score: 0, p2Score: 0, winner: null });
    expect(t.retainedState().servingPlayer).toBe(1);
    expect(t.retainedState().rev).toBeGreaterThan(end.rev!);
  });

  it('keeps the game across stop() and start(), and leaves the bus while stopped', () => {
    const t = setup();
    current = t.room;
    t.join(1);
    t.room.stop();
    t.join(2);
    expect(t.room.state.present).toEqual({ p1: true, p2: false });
    t.room.start();
    t.room.stop();
    t.room.tick(t.time.now);
    t.join(2);
    expect(t.room.state.status).toBe('waiting');
  });
});
