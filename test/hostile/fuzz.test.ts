/**
 * 10,000 random and malformed messages per transport, plus mosquitto_pub and raw garbage on the
 * MQTT port, at a live game between two bot processes: the server stays up, the game finishes,
 * and every message is counted exactly once, in the gateway's counters (pong/server/stats) or
 * in the room's own (the game's stats `dropped`). Each connection sends well under the rate
 * limit (ten connections per transport, 200 messages a second each), so nobody is cut off.
 */
import { spawn } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import type { ServerStatsMessage } from '../../src/server/gateway-report.js';
import type { StatsMessage, StateMessage } from '../../src/protocol/messages.js';
import type { TransportName } from '../../src/transports/transport.js';
import { requireBinary } from '../helpers/binaries.js';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { watchLatest, type LatestMessages } from '../helpers/latest.js';
import { waitFor } from '../helpers/wait.js';
import { fuzzPublish, random, Tally } from './fuzz-messages.js';
import { mqttFuzzer, mqttGarbageConnection, socketioFuzzer, webrtcFuzzer, wsFuzzer, type FuzzConnection, type FuzzTarget } from './fuzz-senders.js';

const GAME = 'fuzz';
const PER_TRANSPORT = 10_000;
const CONNECTIONS = 10;
/** Per connection: 20 messages every 100 ms, 200/s against a limit of 400/s (burst 800). */
const BATCH = 20;
const BATCH_MS = 100;

let latest: LatestMessages | null = null;
afterAll(async () => {
  await latest?.close();
  await killAll();
});

async function fuzz(connections: FuzzConnection[], total: number, rng: () => number, tally: Tally): Promise<void> {
  const share = Math.ceil(total / connections.length);
  await Promise.all(
    connections.map(async (connection) => {
      for (let sent = 0; sent < share; ) {
        for (let i = 0; i < BATCH && sent < share; i++, sent++) connection.sendOne(rng, tally);
        await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
      }
    }),
  );
}

/** mosquitto_pub, one process per topic, one message per line of its stdin (-l). */
function mosquittoPub(mqttUrl: string, clientId: string, topic: string, lines: string[]): Promise<void> {
  const url = new URL(mqttUrl);
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', ['-h', url.hostname, '-p', url.port, '-i', clientId, '-t', topic, '-l'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}: ${stderr}`))));
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

function sum(record: Record<string, number> | undefined, prefix: string): number {
  return Object.entries(record ?? {}).reduce((total, [key, count]) => (key.startsWith(prefix) ? total + count : total), 0);
}

it('survives 10,000 malformed messages per transport, finishes the game, and counts every one', async () => {
  const mosquittoPubAvailable = requireBinary('mosquitto_pub');
  const server = await startPongServe(['--transport', 'all', '--points', '2', '--game', GAME, '--state-file', 'none']);
  const target: FuzzTarget = { gameId: GAME, httpUrl: server.httpUrl!, mqttUrl: server.mqttUrl! };
  latest = await watchLatest(target.mqttUrl, ['pong/server/stats', `pong/game/${GAME}/stats`, `pong/game/${GAME}/state`]);

  // --forever: a bot that left when its game ended would free its seat, and whatever the fuzzers
  // still sent for that seat would pass the gateway (the game may end mid-fuzz on a slow run).
  const bot1 = runPong(['bot', '-p', '1', '-g', GAME, '-t', 'mqtt', '--broker', target.mqttUrl, '--skill', '0.3', '--forever']);
  const bot2 = runPong(['bot', '-p', '2', '-g', GAME, '-t', 'ws', '--server', target.httpUrl, '--skill', '0.3', '--forever']);
  await waitFor(() => latest!.json<StateMessage>(`pong/game/${GAME}/state`)?.status === 'playing', 'both bots seated and playing', 20_000);

  // Whatever the bots' own traffic was counted as so far is the baseline.
  const serverStats = () => latest!.json<ServerStatsMessage>('pong/server/stats');
  const roomDropped = () => latest!.json<StatsMessage>(`pong/game/${GAME}/stats`)?.dropped;
  await waitFor(() => serverStats() !== null, 'the first pong/server/stats');
  const before = serverStats()!;
  const roomBefore = { join: sum(roomDropped(), 'join:'), watcherAck: sum(roomDropped(), 'watcherAck:') };

  const tallies: Record<TransportName, Tally> = { mqtt: new Tally(), ws: new Tally(), socketio: new Tally(), webrtc: new Tally() };
  const makers: Record<TransportName, (target: FuzzTarget, clientId: string) => Promise<FuzzConnection>> = {
    mqtt: mqttFuzzer,
    ws: wsFuzzer,
    socketio: socketioFuzzer,
    webrtc: webrtcFuzzer,
  };
  const transports = Object.keys(makers) as TransportName[];
  const connections = await Promise.all(
    transports.map((name) => Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => makers[name](target, `fuzz-${name}-${i}`)))),
  );
  await Promise.all(transports.map((name, i) => fuzz(connections[i]!, PER_TRANSPORT, random(1000 + i), tallies[name])));

  // The real mosquitto_pub: one process per topic, a few hundred lines each.
  const mqttTally = tallies.mqtt;
  if (mosquittoPubAvailable) {
    const rng = random(77);
    const topics = [`pong/game/${GAME}/join`, `pong/game/${GAME}/p1/paddle`, `pong/game/${GAME}/state`, `pong/game/${GAME}/watch/fuzz-pub/ack`];
    for (const topic of topics) {
      // fgets stops at a NUL, and an empty line is not a message: neither belongs in a line.
      const lines = Array.from({ length: 150 }, () => fuzzPublish(rng, { gameId: GAME, clientId: 'fuzz-pub', mqtt: true, oneLine: true }).payload.slice(0, 4000).replace(/\0/g, '') || 'x');
      await mosquittoPub(target.mqttUrl, 'fuzz-pub', topic, lines);
      const expectation = topic.endsWith('/join')
        ? ({ where: 'room', kind: 'join' } as const)
        : topic.endsWith('/ack')
          ? ({ where: 'room', kind: 'watcherAck' } as const)
          : ({ where: 'gateway', reason: topic.endsWith('/state') ? 'server-topic' : 'seat' } as const);
      for (let i = 0; i < lines.length; i++) mqttTally.add(expectation);
    }
  }
  const garbageRng = random(5);
  for (let i = 0; i < 20; i++) {
    await mqttGarbageConnection(target.mqttUrl, garbageRng);
    mqttTally.add({ where: 'gateway', reason: 'bad-packet' });
  }

  const expectedGateway = (name: TransportName) => {
    const expected: Record<string, number> = { ...(before.gateways[name]?.droppedBy ?? {}) };
    for (const [reason, count] of tallies[name].gateway) expected[reason] = (expected[reason] ?? 0) + count;
    return expected;
  };
  const expectedRoom = (kind: 'join' | 'watcherAck') => roomBefore[kind] + transports.reduce((total, name) => total + (tallies[name].room.get(kind) ?? 0), 0);
  const counted = () => ({
    gateways: Object.fromEntries(transports.map((name) => [name, serverStats()?.gateways[name]?.droppedBy ?? {}])),
    room: { join: sum(roomDropped(), 'join:'), watcherAck: sum(roomDropped(), 'watcherAck:') },
  });
  const expected = {
    gateways: Object.fromEntries(transports.map((name) => [name, expectedGateway(name)])),
    room: { join: expectedRoom('join'), watcherAck: expectedRoom('watcherAck') },
  };
  await waitFor(() => isDeepStrictEqual(counted(), expected), 'every fuzz message to be counted', 30_000).catch(() => undefined);
  expect(counted()).toEqual(expected);
  for (const name of transports) {
    expect(tallies[name].sent).toBeGreaterThanOrEqual(PER_TRANSPORT);
    expect(serverStats()?.gateways[name]?.kicked ?? 0).toBe(before.gateways[name]?.kicked ?? 0);
  }
  console.log(
    'fuzz: sent',
    Object.fromEntries(transports.map((name) => [name, tallies[name].sent])),
    'counted',
    JSON.stringify(counted()),
  );

  // pong serve's log sums it up (every 10 s, when something new was refused).
  await server.proc.waitFor(/refused input — mqtt: dropped \d+/, 15_000);
  await Promise.all(connections.flat().map((connection) => connection.close()));
  const [, p1, p2] = await bot1.waitFor(/: ended (\d+)-(\d+)/, 120_000);
  await bot2.waitFor(/: ended \d+-\d+/, 10_000);
  expect(Math.max(Number(p1), Number(p2))).toBe(2);
  expect(server.proc.child.exitCode).toBeNull();
}, 180_000);
