/**
 * The scale bench's load generator drives pong's own server with bare library clients
 * (floors/bare-ackers.ts) that say who they are and join: if pong's gateways did not take
 * them as players, the server would start no game and the scale figures would measure
 * nothing. Over real loopback sockets, for each transport the load generator plays bare.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBareAcker, type BareAcker } from '../../src/bench/floors/bare-ackers.js';
import { topics } from '../../src/protocol/topics.js';
import { PongServer } from '../../src/server/server.js';
import type { TransportName } from '../../src/transports/transport.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'load-1';
let server: PongServer | null = null;
const ackers: BareAcker[] = [];

afterEach(async () => {
  await Promise.allSettled(ackers.splice(0).map((acker) => acker.close()));
  await server?.stop();
  server = null;
});

describe.each(['ws', 'socketio', 'mqtt'] as TransportName[])('bare %s clients against pong serve', (transport) => {
  it('join, are seated, get the ball frames and have every ack taken by the game', async () => {
    server = new PongServer({ transports: [transport], host: '127.0.0.1', port: 0, mqttPort: 0, pointsToWin: 99, games: [GAME] });
    await server.start();
    const acks: Array<{ topic: string; at: number | undefined; payload: string }> = [];
    server.bus.subscribe(topics.anyPlayer('ack'), (message) => acks.push({ topic: message.topic, at: message.at, payload: message.payload }));
    const urls = { httpUrl: server.httpUrl, mqttUrl: server.mqttUrl };
    for (const player of [1, 2] as const) {
      const clientId = `load-${GAME}-p${player}`;
      const join = JSON.stringify({ player, timestamp: Date.now(), clientId, transport });
      ackers.push(await startBareAcker({ transport, urls, game: GAME, player, clientId, join }));
    }
    // The room sends frames only to a game with both seats taken.
    await waitFor(() => ackers.every((acker) => acker.frames >= 30), `${transport}: ball frames to both bare players`, 10_000);
    const room = server.rooms.get(GAME)!;
    expect(room.state.present).toEqual({ p1: true, p2: true });
    expect(room.seq).toBeGreaterThanOrEqual(30);
    for (const player of [1, 2] as const) {
      const mine = acks.filter((ack) => ack.topic === topics.ack(GAME, player));
      expect(mine.length, `p${player} acks at the server`).toBeGreaterThanOrEqual(20);
      for (const ack of mine) {
        const { seq, timestamp } = JSON.parse(ack.payload) as { seq: number; timestamp: number };
        expect(seq).toBeLessThanOrEqual(room.seq);
        // The server's own clock on both ends: a real round trip, under a frame period here.
        expect(ack.at, 'the bus stamps each arrival').toBeTypeOf('number');
        expect(ack.at! - timestamp).toBeGreaterThanOrEqual(0);
      }
    }
    for (const acker of ackers) expect(acker.malformed).toBe(0);
  });
});
