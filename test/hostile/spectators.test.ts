/**
 * 100 spectators on one game, on all four transports at once (real clients, in this process,
 * subscribed as `pong watch` is to the ball and the state): the two bot players, on MQTT and
 * ws, lose no frame, and every spectator is served the game.
 */
import { afterAll, expect, it } from 'vitest';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportClient, TransportName } from '../../src/transports/transport.js';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'crowd';
const CROWD: Record<TransportName, number> = { mqtt: 30, ws: 30, socketio: 25, webrtc: 15 };

const spectators: TransportClient[] = [];
afterAll(async () => {
  await Promise.all(spectators.map((client) => client.close()));
  await killAll();
});

it('100 spectators cost the players no frames', async () => {
  const server = await startPongServe(['--transport', 'all', '--points', '2', '--game', GAME, '--state-file', 'none']);
  const urls = { serverUrl: server.httpUrl!, brokerUrl: server.mqttUrl! };
  const frames = new Map<TransportClient, number>();
  for (const [name, count] of Object.entries(CROWD) as [TransportName, number][]) {
    for (let i = 0; i < count; i++) {
      const client = getTransport(name).createClient({ ...urls, clientId: `crowd-${name}-${i}`, connectTimeoutMs: 20_000 });
      frames.set(client, 0);
      client.onMessage((topic) => {
        if (topic.endsWith('/ball')) frames.set(client, (frames.get(client) ?? 0) + 1);
      });
      client.subscribe(`pong/game/${GAME}/ball`);
      client.subscribe(`pong/game/${GAME}/state`);
      spectators.push(client);
    }
  }
  await Promise.all(spectators.map((client) => client.connect()));
  expect(spectators).toHaveLength(100);

  const bot1 = runPong(['bot', '-p', '1', '-g', GAME, '-t', 'mqtt', '--broker', urls.brokerUrl, '--skill', '0.3']);
  const bot2 = runPong(['bot', '-p', '2', '-g', GAME, '-t', 'ws', '--server', urls.serverUrl, '--skill', '0.3']);
  const [, lost1] = await bot1.waitFor(/frames lost (\d+)/, 150_000);
  const [, lost2] = await bot2.waitFor(/frames lost (\d+)/, 10_000);
  expect([Number(lost1), Number(lost2)], `${bot1.output()}\n${bot2.output()}\n${server.proc.output()}`).toEqual([0, 0]);
  await waitFor(() => [...frames.values()].every((count) => count >= 60), 'a second of frames at every spectator');
}, 180_000);
