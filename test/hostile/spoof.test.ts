/**
 * Spoofing through the embedded broker: with both seats held by players who never move, an
 * MQTT client holding no seat publishes p1/paddle, serve and restart for player 1. The broker's
 * authorizePublish refuses every one (counted as `seat` in pong/server/stats), and p1's paddle
 * in the ball frames the server publishes stays where it was.
 */
import { afterAll, expect, it } from 'vitest';
import { GameSession } from '../../src/client/session.js';
import type { BallMessage } from '../../src/protocol/messages.js';
import type { ServerStatsMessage } from '../../src/server/gateway-report.js';
import { MqttTransportClient } from '../../src/transports/mqtt/client.js';
import { killAll, startPongServe } from '../helpers/cli.js';
import { watchLatest, type LatestMessages } from '../helpers/latest.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'spoof';
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await killAll();
});

it('refuses paddle, serve and restart for seat 1 from a client that does not hold it', async () => {
  const server = await startPongServe(['--transport', 'mqtt', '--game', GAME, '--state-file', 'none']);
  const brokerUrl = server.mqttUrl!;
  const player = (seat: 1 | 2) => {
    const clientId = `still-p${seat}`;
    const transport = new MqttTransportClient({ brokerUrl, serverUrl: 'http://127.0.0.1:1', clientId });
    const session = new GameSession({ gameId: GAME, role: { kind: 'player', player: seat }, transport, clientId });
    cleanups.push(() => session.close());
    return session;
  };
  await player(1).start();
  await player(2).start();
  const latest: LatestMessages = await watchLatest(brokerUrl, ['pong/server/stats']);
  cleanups.push(() => latest.close());

  const frames: BallMessage[] = [];
  const watcher = new MqttTransportClient({ brokerUrl, serverUrl: 'http://127.0.0.1:1', clientId: 'frame-watcher' });
  watcher.onMessage((_topic, payload) => frames.push(JSON.parse(payload) as BallMessage));
  watcher.subscribe(`pong/game/${GAME}/ball`);
  await watcher.connect();
  cleanups.push(() => watcher.close());
  await waitFor(() => frames.some((frame) => frame.p1y !== undefined), 'ball frames');
  const restingY = frames.at(-1)!.p1y;

  const stats = () => latest.json<ServerStatsMessage>('pong/server/stats')?.gateways.mqtt?.droppedBy ?? {};
  await waitFor(() => latest.json('pong/server/stats') !== null, 'pong/server/stats');
  const before = stats()['seat'] ?? 0;

  const spoofer = new MqttTransportClient({ brokerUrl, serverUrl: 'http://127.0.0.1:1', clientId: 'mallory' });
  await spoofer.connect();
  cleanups.push(() => spoofer.close());
  const watchedFrom = frames.length;
  const now = () => performance.timeOrigin + performance.now();
  let sent = 0;
  for (let i = 0; i < 100; i++) {
    spoofer.publish(`pong/game/${GAME}/p1/paddle`, JSON.stringify({ y: i % 2 === 0 ? 0 : 9, timestamp: now(), seq: 1_000_000 + i }), { qos: 1 });
    spoofer.publish(`pong/game/${GAME}/${i % 2 === 0 ? 'serve' : 'restart'}`, JSON.stringify({ player: 1, timestamp: now() }), { qos: 1 });
    sent += 2;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await waitFor(() => (stats()['seat'] ?? 0) - before === sent, `all ${sent} spoofed publishes counted as seat refusals`, 10_000);
  expect((stats()['seat'] ?? 0) - before).toBe(sent);
  // A further half second of frames: nothing the spoofer sent can still be on its way.
  const until = frames.length + 30;
  await waitFor(() => frames.length >= until, 'more ball frames');
  const watched = frames.slice(watchedFrom);
  expect(new Set(watched.map((frame) => frame.p1y))).toEqual(new Set([restingY]));
  expect(spoofer.status).toBe('connected');
}, 60_000);
