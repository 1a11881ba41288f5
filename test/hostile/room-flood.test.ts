/**
 * Rooms are not free to an outsider: against a real `pong serve` with a game being played, one
 * MQTT client sends joins for 1,000 new game ids and forty ws clients from the same address ten
 * each. Past the limits per client (4) and per address (32) every join is refused, counted and
 * answered with the reason; the live game's frames keep coming without a gap; once the flooders
 * are gone their rooms stop ticking.
 */
import { afterAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { GameSession } from '../../src/client/session.js';
import type { BallMessage, SeatMessage } from '../../src/protocol/messages.js';
import type { ServerStatsMessage } from '../../src/server/gateway-report.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import type { TransportClient } from '../../src/transports/transport.js';
import { killAll, startPongServe } from '../helpers/cli.js';
import { watchLatest } from '../helpers/latest.js';
import { waitFor } from '../helpers/wait.js';

const LIVE = 'live';
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await killAll();
});

it('refuses rooms past the per-client and per-address limits while a live game plays on, and stops ticking the rest once their openers leave', async () => {
  const server = await startPongServe(['--transport', 'mqtt,ws', '--game', LIVE, '--state-file', 'none']);
  const brokerUrl = server.mqttUrl!;
  const httpUrl = server.httpUrl!;
  const latest = await watchLatest(brokerUrl, ['pong/server/stats']);
  cleanups.push(() => latest.close());
  const rooms = () => latest.json<ServerStatsMessage>('pong/server/stats')?.rooms;

  for (const player of [1, 2] as const) {
    const transport = wsTransport.createClient({ serverUrl: httpUrl, brokerUrl, clientId: `live-p${player}` });
    const session = new GameSession({ gameId: LIVE, role: { kind: 'player', player }, transport, clientId: `live-p${player}` });
    await session.start();
    cleanups.push(() => session.close());
  }
  const seqs: number[] = [];
  const tickingGames = new Set<string>();
  const watcher = await mqtt.connectAsync(brokerUrl, { clientId: 'frame-counter', reconnectPeriod: 0 });
  watcher.on('message', (topic, payload) => {
    const game = topic.split('/')[2]!;
    tickingGames.add(game);
    if (game === LIVE) seqs.push((JSON.parse(payload.toString()) as BallMessage).seq);
  });
  await watcher.subscribeAsync('pong/game/+/ball');
  cleanups.push(() => watcher.endAsync());
  await waitFor(() => seqs.length > 30, 'live frames');

  // One MQTT client, 1,000 new games, at 250 joins a second (under its rate limit).
  const flooder = await mqtt.connectAsync(brokerUrl, { clientId: 'room-flooder', reconnectPeriod: 0 });
  for (let i = 0; i < 1000; i++) {
    flooder.publish(`pong/game/flood-${i}/join`, JSON.stringify({ player: 1, clientId: 'room-flooder', timestamp: Date.now() }));
    if (i % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await waitFor(() => (rooms()?.refused['join:room-limit-client'] ?? 0) === 996, '996 joins refused for the client', 10_000);

  // Forty ws clients of the same address, ten new games each; each is told why it was refused.
  const refusals: string[] = [];
  const others: TransportClient[] = [];
  for (let c = 0; c < 40; c++) {
    const clientId = `crowd-${c}`;
    const client = wsTransport.createClient({ serverUrl: httpUrl, brokerUrl, clientId });
    client.onMessage((_topic, payload) => {
      const answer = JSON.parse(payload) as SeatMessage;
      if (!answer.granted && answer.reason !== undefined) refusals.push(answer.reason);
    });
    client.subscribe(`pong/game/+/seat/${clientId}`);
    await client.connect();
    others.push(client);
    for (let g = 0; g < 10; g++) {
      client.publish(`pong/game/crowd-${c}-${g}/join`, JSON.stringify({ player: 1, clientId, timestamp: Date.now() }), { qos: 1 });
    }
  }
  // 4 rooms the MQTT client opened, 28 more for the address, 372 refused to it.
  // The address opens 32 rooms in all: the MQTT client's 4, then 4 each for seven ws clients,
  // whose other 6 joins are over their own limit; the other 33 clients' 330 are over the address's.
  await waitFor(() => (rooms()?.refused['join:room-limit-address'] ?? 0) === 330, 'the address limit reached', 10_000);
  expect(rooms()).toMatchObject({ open: 1 + 32, refused: { 'join:room-limit-client': 996 + 7 * 6, 'join:room-limit-address': 330 } });
  await waitFor(() => refusals.length === 372, 'every refused ws client told why');
  expect(refusals.filter((reason) => reason.includes('--rooms-per-address'))).toHaveLength(330);
  expect(refusals.filter((reason) => reason.includes('--rooms-per-client'))).toHaveLength(42);

  // The live game never lost a frame.
  const first = seqs[0]!;
  expect(seqs).toEqual(seqs.map((_, i) => first + i));

  // The flooders leave: their rooms have nobody in them and stop ticking (they close once idle
  // for --room-idle, 60 s here; test/game/rooms.test.ts sees that with time in its hands).
  await flooder.endAsync();
  await Promise.all(others.map((client) => client.close()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  tickingGames.clear();
  const until = seqs.length + 30;
  await waitFor(() => seqs.length >= until, 'more live frames');
  expect([...tickingGames]).toEqual([LIVE]);
}, 90_000);
