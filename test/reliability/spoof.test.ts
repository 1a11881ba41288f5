/**
 * A client that does not hold seat 1 publishes to p1/paddle, serve and restart, with no token
 * and with a made-up one: nothing moves. Checked on what the server itself publishes: the p1y
 * of every ball frame, the ball held for the serve, and the state. Whether the gateway refuses
 * them (it knows the seat holders) or the room does (by token) is not this test's business.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, startPongServe } from '../helpers/cli.js';
import { topics } from '../../src/protocol/topics.js';
import type { TransportName } from '../../src/transports/transport.js';
import { GameProbe } from './probe.js';

const probes: GameProbe[] = [];
afterAll(async () => {
  await killAll();
  await Promise.all(probes.map((probe) => probe.close().catch(() => {})));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function probe(transport: TransportName, urls: { mqttUrl?: string; httpUrl?: string }, gameId: string, clientId: string) {
  const connected = await new GameProbe(transport, urls, gameId, clientId).connect();
  probes.push(connected);
  return connected;
}

describe.concurrent('a spoofing client', () => {
  it.each([['ws'], ['mqtt'], ['socketio'], ['webrtc']] as Array<[TransportName]>)('over %s moves nothing of a seat it does not hold', async (transport) => {
    const gameId = `spoof-${transport}`;
    const server = await startPongServe(['--transport', transport, '--game', gameId, '--points', '1']);
    const p1 = await probe(transport, server, gameId, `holder1-${transport}`);
    const p2 = await probe(transport, server, gameId, `holder2-${transport}`);
    const spoofer = await probe(transport, server, gameId, `spoofer-${transport}`);
    p1.join(1);
    p2.join(2);
    const serving = await p1.waitState((s) => s.status === 'playing' && s.servingPlayer === 1, 'the first serve to be due');

    const spoofedFrom = Date.now();
    for (let i = 1; i <= 10; i++) {
      const now = Date.now();
      spoofer.publish(topics.paddle(gameId, 1), { y: 0, timestamp: now, seq: 1000 + i }, 0);
      spoofer.publish(topics.paddle(gameId, 1), { y: 9, timestamp: now, seq: 2000 + i, token: 'made-up-token-123' }, 0);
      spoofer.publish(topics.serve(gameId), { player: 1, timestamp: now, token: 'made-up-token-123' });
      spoofer.publish(topics.serve(gameId), { player: 1, timestamp: now });
      await sleep(50);
    }
    await sleep(300);
    // Frames from the spoofing until just before the server's own auto-serve: ball held, paddle still.
    const held = p1.frames.filter((f) => f.timestamp >= spoofedFrom && f.timestamp < serving.autoServeAt! - 200);
    expect(held.length).toBeGreaterThan(10);
    for (const frame of held) expect(frame).toMatchObject({ p1y: 4.5, dx: 0, dy: 0 });
    expect(p1.state).toMatchObject({ status: 'playing' });

    // Seat 2's holder, with its token, steers away from the ball so the 1-point game ends.
    p2.publish(topics.paddle(gameId, 2), { y: 0, timestamp: Date.now(), token: p2.token! }, 0);
    await p1.waitState((s) => s.status === 'ended', 'the game to end', 60_000);
    const ended = p1.state!;
    spoofer.publish(topics.restart(gameId), { player: 1, timestamp: Date.now() });
    spoofer.publish(topics.restart(gameId), { player: 1, timestamp: Date.now(), token: 'made-up-token-123' });
    spoofer.publish(topics.ready(gameId), { player: 1, timestamp: Date.now() });
    spoofer.publish(topics.ready(gameId), { player: 2, timestamp: Date.now() });
    await sleep(1000);
    expect(p1.state).toEqual(ended);
    expect(p1.frames.slice(-30).every((f) => f.p1y === 4.5)).toBe(true);

    // The holder's own restart, with its token, is what starts a new game.
    p1.publish(topics.restart(gameId), { player: 1, timestamp: Date.now(), token: p1.token! });
    await p1.waitState((s) => s.status === 'playing' && s.p1Score === 0 && s.p2Score === 0, 'the holder\'s restart');
  }, 120_000);
});
