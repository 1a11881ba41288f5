/**
 * Behind an external Mosquitto configured with docs/mosquitto/pong.acl, seat tokens stay with
 * their client. The server (user pong-server) cannot see who sent a message there, so each
 * grant asks for the token in every message; the ACL lets nobody else read those messages, nor
 * another client's seat answer. Tried as an outsider: `mosquitto_sub -t 'pong/game/<id>/#'`
 * and a client subscribed to everything see the game but no token; a paddle without the token
 * steers nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { GameSession } from '../../src/client/session.js';
import type { BallMessage, SeatMessage } from '../../src/protocol/messages.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { requireBinary } from '../helpers/binaries.js';
import { killAll, runPong } from '../helpers/cli.js';
import { mosquittoAvailable, startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'acl';
const ACL = fileURLToPath(new URL('../../docs/mosquitto/pong.acl', import.meta.url));
const PASSWORD = 'server-secret';
const available = mosquittoAvailable() && requireBinary('mosquitto_passwd') && requireBinary('mosquitto_sub');
const cleanups: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await killAll();
});

it.runIf(available)('keeps seat tokens from everyone but their holder, and a paddle without one steers nothing', async () => {
  const broker: MosquittoBroker = await startMosquitto(async (dir) => {
    const passwords = path.join(dir, 'pong.passwd');
    const made = spawnSync('mosquitto_passwd', ['-b', '-c', passwords, 'pong-server', PASSWORD]);
    if (made.status !== 0) throw new Error(`mosquitto_passwd: ${made.stderr.toString()}`);
    // Run as root, Mosquitto reads its files as the user it drops to.
    await chmod(dir, 0o755);
    await chmod(passwords, 0o644);
    return [`password_file ${passwords}`, `acl_file ${ACL}`];
  });
  cleanups.push(() => broker.teardown());
  const server = runPong(['serve', '--broker', broker.url, '--username', 'pong-server', '--password', PASSWORD, '--game', GAME, '--port', '0', '--state-file', 'none']);
  await server.waitFor(/press Ctrl-C to stop/);

  let subOutput = '';
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', `pong/game/${GAME}/#`, '-v']);
  sub.stdout.on('data', (chunk: Buffer) => (subOutput += chunk.toString()));
  cleanups.push(() => void sub.kill());
  const spied: Array<{ topic: string; payload: string }> = [];
  const spy = await mqtt.connectAsync(broker.url, { clientId: 'spy', reconnectPeriod: 0 });
  spy.on('message', (topic, payload) => spied.push({ topic, payload: payload.toString() }));
  await spy.subscribeAsync(['#', 'pong/game/+/seat/+']);
  cleanups.push(() => spy.endAsync());
  await waitFor(() => subOutput.includes(`pong/game/${GAME}/state`), 'mosquitto_sub reading the game');

  const grants: SeatMessage[] = [];
  const sessions = await Promise.all(
    ([1, 2] as const).map(async (player) => {
      const clientId = `acl-p${player}`;
      const transport = mqttTransport.createClient({ serverUrl: 'http://127.0.0.1:1', brokerUrl: broker.url, clientId });
      const session = new GameSession({ gameId: GAME, role: { kind: 'player', player }, transport, clientId });
      const granted = new Promise<void>((resolve) =>
        session.onSeat((seat) => {
          grants.push(seat);
          if (seat.granted) resolve();
        }),
      );
      await session.start();
      await granted;
      cleanups.push(() => session.close());
      return session;
    }),
  );
  // A server that cannot see connections asks for the token in every message.
  expect(grants.every((grant) => grant.granted && grant.tokenInMessages === true && typeof grant.token === 'string')).toBe(true);
  const [p1] = sessions;
  p1!.movePaddleTo(0);
  await waitFor(() => p1!.getState().ball?.p1y === 0, 'player 1 steers its paddle with its token');

  // An intruder with no token pushes paddle 1 the other way: nothing moves.
  const intruder = await mqtt.connectAsync(broker.url, { clientId: 'intruder', reconnectPeriod: 0 });
  cleanups.push(() => intruder.endAsync());
  const frames: BallMessage[] = [];
  spy.on('message', (topic, payload) => topic.endsWith('/ball') && frames.push(JSON.parse(payload.toString()) as BallMessage));
  for (let i = 0; i < 30; i++) {
    intruder.publish(`pong/game/${GAME}/p1/paddle`, JSON.stringify({ y: 9, timestamp: Date.now(), seq: 100_000 + i }));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const since = frames.length;
  await waitFor(() => frames.length > since + 30, 'more frames');
  expect(new Set(frames.slice(since).map((frame) => frame.p1y))).toEqual(new Set([0]));

  const tokens = grants.map((grant) => grant.token!);
  for (const token of tokens) {
    expect(subOutput).not.toContain(token);
    expect(spied.filter((message) => message.payload.includes(token))).toEqual([]);
  }
  expect(subOutput).toContain(`pong/game/${GAME}/ball`);
  expect(spied.some((message) => message.topic === `pong/game/${GAME}/ball`)).toBe(true);
  expect(spied.filter((message) => /\/(seat\/|p[12]\/paddle|join|leave)/.test(message.topic))).toEqual([]);
}, 60_000);
