/**
 * A seat is its holder's alone, tried as an outsider on the same network would, against a real
 * `pong serve --transport all` with one player over MQTT and one over ws:
 * - seat tokens reach nobody but their holder: not `mosquitto_sub -t 'pong/game/<id>/#'` (the
 *   command the README prints), not an MQTT or ws client subscribed to every seat answer, not
 *   even when a player re-joins with its token;
 * - a client id is the connection's: another connection claiming a connected player's id, on
 *   the same transport or another, is refused, and the player plays on;
 * - claiming a player's MQTT client id over and over never kicks it; presenting its seat token
 *   (a restarted player) takes the id over and tells the old connection why, with no will;
 * - `$SYS` is refused.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { io as socketIoClient } from 'socket.io-client';
import WebSocket from 'ws';
import { GameSession } from '../../src/client/session.js';
import type { StateMessage } from '../../src/protocol/messages.js';
import type { ServerStatsMessage } from '../../src/server/gateway-report.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { socketioTransport } from '../../src/transports/socketio/index.js';
import { webrtcTransport } from '../../src/transports/webrtc/index.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import type { ConnectionStatus, TransportClient, TransportName } from '../../src/transports/transport.js';
import { requireBinary } from '../helpers/binaries.js';
import { killAll, runPong, startPongServe, type CliProcess } from '../helpers/cli.js';
import { watchLatest, type LatestMessages } from '../helpers/latest.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'h2';
const hasMosquittoSub = requireBinary('mosquitto_sub');

let server: { proc: CliProcess; mqttUrl?: string; httpUrl?: string };
let brokerUrl: string;
let httpUrl: string;
let latest: LatestMessages;
const cleanups: Array<() => Promise<unknown> | void> = [];

interface Player {
  session: GameSession;
  transport: TransportClient;
  clientId: string;
  statuses: Array<{ status: ConnectionStatus; detail: string | undefined }>;
}

const FACTORIES = { mqtt: mqttTransport, ws: wsTransport, socketio: socketioTransport, webrtc: webrtcTransport };

async function seat(player: 1 | 2, transportName: TransportName, clientId: string, token?: string, gameId = GAME): Promise<Player> {
  const transport = FACTORIES[transportName].createClient({ serverUrl: httpUrl, brokerUrl, clientId, connectTimeoutMs: 10_000 });
  const session = new GameSession({ gameId, role: { kind: 'player', player }, transport, clientId });
  if (token !== undefined) session.useToken(token);
  const statuses: Player['statuses'] = [];
  session.onConnection((status, detail) => statuses.push({ status, detail }));
  const granted = new Promise<void>((resolve) => session.onSeat((answer) => answer.granted && resolve()));
  await session.start();
  await granted;
  cleanups.push(() => session.close());
  return { session, transport, clientId, statuses };
}

/** Every message a subscriber got, as topic and payload. */
interface Heard {
  topic: string;
  payload: string;
}

function mqttSpy(filters: string[], clientId: string): Promise<{ heard: Heard[]; end: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const heard: Heard[] = [];
    const client = mqtt.connect(brokerUrl, { clientId, reconnectPeriod: 0 });
    client.on('message', (topic, payload) => heard.push({ topic, payload: payload.toString() }));
    client.once('error', reject);
    client.once('connect', () => {
      client.subscribe(filters, (error) => {
        if (error) return reject(error);
        resolve({ heard, end: () => client.endAsync() });
      });
    });
  });
}

let histories = 0;
// Resolves once the retained state has arrived, so that later assertions on the history never
// race the subscription on a loaded machine.
async function stateHistory(): Promise<{ states: StateMessage[]; end: () => Promise<void> }> {
  const states: StateMessage[] = [];
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `states-${(histories += 1)}`, reconnectPeriod: 0 });
  client.on('message', (_topic, payload) => {
    if (payload.length > 0) states.push(JSON.parse(payload.toString()) as StateMessage);
  });
  await client.subscribeAsync(`pong/game/${GAME}/state`);
  await waitFor(() => states.length > 0, 'the retained state');
  return { states, end: () => client.endAsync() };
}

const droppedBy = (gateway: keyof ServerStatsMessage['gateways']) =>
  latest.json<ServerStatsMessage>('pong/server/stats')?.gateways[gateway]?.droppedBy ?? {};

let p1: Player;
let p2: Player;

beforeAll(async () => {
  server = await startPongServe(['--transport', 'all', '--game', GAME, '--state-file', 'none']);
  brokerUrl = server.mqttUrl!;
  httpUrl = server.httpUrl!;
  latest = await watchLatest(brokerUrl, ['pong/server/stats']);
  cleanups.push(() => latest.close());
}, 30_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await killAll();
});

describe('seat tokens', () => {
  it('reach their holder alone: not mosquitto_sub, not a subscriber to every seat answer, not on a re-join', async () => {
    const sub = hasMosquittoSub
      ? spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', new URL(brokerUrl).port, '-t', `pong/game/${GAME}/#`, '-v'])
      : null;
    let subOutput = '';
    sub?.stdout.on('data', (chunk: Buffer) => (subOutput += chunk.toString()));
    cleanups.push(() => void sub?.kill());
    const mqttPeek = await mqttSpy([`pong/game/${GAME}/#`, 'pong/game/+/seat/+'], 'peeker-mqtt');
    cleanups.push(() => mqttPeek.end());
    const wsPeekHeard: Heard[] = [];
    const wsPeek = wsTransport.createClient({ serverUrl: httpUrl, brokerUrl, clientId: 'peeker-ws' });
    wsPeek.onMessage((topic, payload) => wsPeekHeard.push({ topic, payload }));
    wsPeek.subscribe('pong/game/+/seat/+');
    wsPeek.subscribe(`pong/game/${GAME}/#`);
    await wsPeek.connect();
    cleanups.push(() => wsPeek.close());
    // mosquitto_sub has subscribed once the retained state reaches it.
    if (sub !== null) await waitFor(() => subOutput.includes(`pong/game/${GAME}/state`), 'mosquitto_sub subscribed');

    p1 = await seat(1, 'mqtt', 'p1-holder');
    p2 = await seat(2, 'ws', 'p2-holder');
    const tokens = [p1.session.seatToken, p2.session.seatToken];
    expect(tokens.every((token) => typeof token === 'string' && token.length >= 16)).toBe(true);
    // Played a while: paddles, acks, commands; then player 1 says hello again with its token.
    p1.session.movePaddleTo(0);
    p2.session.movePaddleTo(9);
    await waitFor(() => mqttPeek.heard.filter((m) => m.topic.endsWith('/ball')).length > 60, 'a second of frames');
    p1.session.serve();
    const rejoin = mqtt.connect(brokerUrl, { clientId: 'p1-rejoiner', reconnectPeriod: 0 });
    await new Promise((resolve) => rejoin.once('connect', resolve));
    rejoin.publish(`pong/game/${GAME}/join`, JSON.stringify({ player: 1, clientId: 'p1-rejoiner', timestamp: Date.now(), token: 'not-the-token-000' }), { qos: 1 });
    await waitFor(() => mqttPeek.heard.filter((m) => m.topic.endsWith('/ball')).length > 120, 'another second of frames');
    await rejoin.endAsync();

    const everything = [...mqttPeek.heard, ...wsPeekHeard];
    expect(everything.length).toBeGreaterThan(100);
    for (const token of tokens) {
      expect(everything.filter((m) => m.payload.includes(token!))).toEqual([]);
      if (hasMosquittoSub) expect(subOutput.includes(token!)).toBe(false);
    }
    const seatAnswers = everything.filter((m) => m.topic.includes('/seat/'));
    expect(seatAnswers.map((m) => m.topic)).toEqual([]);
    if (hasMosquittoSub) {
      expect(subOutput).toContain(`pong/game/${GAME}/ball`);
      expect(subOutput).not.toContain('/seat/');
    }
    // The holder keeps its seat: the wrong token bought nothing.
    expect(p1.statuses.at(-1)?.status).toBe('connected');
    expect(p1.session.getState().state?.players).toEqual({ p1: true, p2: true });
  }, 60_000);
});

describe('client ids', () => {
  it('are refused to a second connection on the same transport or another, and the players play on', async () => {
    const states = await stateHistory();
    cleanups.push(() => states.end());
    const before = { ...droppedBy('ws'), ...droppedBy('mqtt') };
    const p1From = p1.statuses.length;
    const p2From = p2.statuses.length;

    // Over ws, as the MQTT player and as the ws player.
    for (const id of [p1.clientId, p2.clientId]) {
      const impostor = wsTransport.createClient({ serverUrl: httpUrl, brokerUrl, clientId: id, connectTimeoutMs: 3000 });
      await expect(impostor.connect()).rejects.toThrow(/client-id-taken/);
      await impostor.close();
    }
    // Over MQTT, as both.
    for (const id of [p1.clientId, p2.clientId]) {
      await expect(mqtt.connectAsync(brokerUrl, { clientId: id, reconnectPeriod: 0 })).rejects.toThrow(/Identifier rejected/);
    }
    // Over Socket.io and over WebRTC's signaling.
    const sio = socketIoClient(httpUrl, { path: '/socket.io/', transports: ['websocket'], reconnection: false, query: { clientId: p2.clientId } });
    const sioRefusal = await new Promise<string>((resolve) => sio.on('err', (reason: string) => resolve(reason)));
    sio.close();
    expect(sioRefusal).toBe('client-id-taken');
    const rtcUrl = `${httpUrl.replace('http', 'ws')}/rtc?clientId=${p1.clientId}`;
    const rtcClose = await new Promise<string>((resolve) => {
      const ws = new WebSocket(rtcUrl);
      ws.on('close', (_code, reason) => resolve(reason.toString()));
    });
    expect(rtcClose).toBe('client-id-taken');

    await waitFor(() => (droppedBy('mqtt')['client-id-taken'] ?? 0) >= (before['client-id-taken'] ?? 0) + 2, 'MQTT refusals counted', 5_000);
    expect(droppedBy('ws')['client-id-taken']).toBe(2);
    expect(droppedBy('socketio')['client-id-taken']).toBe(1);
    expect(droppedBy('webrtc')['client-id-taken']).toBe(1);
    // Nobody was kicked and the game never paused.
    expect(p1.statuses.slice(p1From)).toEqual([]);
    expect(p2.statuses.slice(p2From)).toEqual([]);
    expect(p1.transport.status).toBe('connected');
    expect(p2.transport.status).toBe('connected');
    expect(states.states.length).toBeGreaterThan(0);
    expect(states.states.every((state) => state.status === 'playing')).toBe(true);
  }, 60_000);
});

describe('MQTT client id takeover', () => {
  it('is refused without the seat token however often it is tried: the player is never kicked and the game never pauses', async () => {
    const states = await stateHistory();
    cleanups.push(() => states.end());
    let refused = 0;
    const p1From = p1.statuses.length;
    for (let attempt = 0; attempt < 15; attempt++) {
      await mqtt.connectAsync(brokerUrl, { clientId: p1.clientId, reconnectPeriod: 0 }).then(
        (client) => client.endAsync(),
        () => (refused += 1),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(refused).toBe(15);
    expect(p1.statuses.slice(p1From)).toEqual([]);
    expect(p1.transport.status).toBe('connected');
    expect(states.states.length).toBeGreaterThan(0);
    expect(states.states.every((state) => state.status === 'playing' && state.missing?.length === 0)).toBe(true);
  }, 30_000);

  it('moves to a connection that shows the seat token: the old one is told and stops, with no will', async () => {
    const states = await stateHistory();
    cleanups.push(() => states.end());
    const token = p1.session.seatToken!;
    const restarted = await seat(1, 'mqtt', p1.clientId, token);
    await waitFor(() => p1.statuses.some((s) => s.status === 'closed'), 'the old connection told');
    expect(p1.statuses.at(-1)).toEqual({ status: 'closed', detail: 'taken-over' });
    expect(restarted.transport.status).toBe('connected');
    expect(states.states.length).toBeGreaterThan(0);
    restarted.session.movePaddleTo(0);
    await waitFor(() => restarted.session.getState().ball?.p1y === 0, 'the new connection steers the seat');
    expect(states.states.every((state) => state.status === 'playing')).toBe(true);
    expect(server.proc.output()).not.toMatch(/p1 gone/);

    // The same over ws: the ws player started again.
    const restartedWs = await seat(2, 'ws', p2.clientId, p2.session.seatToken!);
    await waitFor(() => p2.statuses.some((s) => s.status === 'closed'), 'the old ws connection told');
    expect(p2.statuses.at(-1)).toEqual({ status: 'closed', detail: 'taken-over' });
    expect(restartedWs.transport.status).toBe('connected');
    expect(server.proc.output()).not.toMatch(/p2 gone/);
  }, 30_000);
});

describe('$SYS', () => {
  it('is refused to clients: it would list every client id', async () => {
    const client = await mqtt.connectAsync(brokerUrl, { clientId: 'sys-reader', reconnectPeriod: 0 });
    const refusal = await client.subscribeAsync('$SYS/#').then(
      () => null,
      (error: Error & { packet?: { granted?: number[] } }) => error.packet?.granted ?? [],
    );
    await client.endAsync();
    expect(refusal).toEqual([128]);
  });
});

describe('a player started again', () => {
  it('takes its seat over on Socket.io and WebRTC too, the old connection told why', async () => {
    const game = 'h3';
    const make = (player: 1 | 2, name: TransportName, clientId: string, token?: string) => seat(player, name, clientId, token, game);
    const sio = await make(1, 'socketio', 'h3-sio');
    const rtc = await make(2, 'webrtc', 'h3-rtc');
    const sioAgain = await make(1, 'socketio', 'h3-sio', sio.session.seatToken!);
    const rtcAgain = await make(2, 'webrtc', 'h3-rtc', rtc.session.seatToken!);
    await waitFor(() => sio.statuses.some((s) => s.status === 'closed') && rtc.statuses.some((s) => s.status === 'closed'), 'both old connections told');
    expect(sio.statuses.at(-1)).toEqual({ status: 'closed', detail: 'taken-over' });
    expect(rtc.statuses.at(-1)).toEqual({ status: 'closed', detail: 'taken-over' });
    expect(sioAgain.transport.status).toBe('connected');
    expect(rtcAgain.transport.status).toBe('connected');
    expect(server.proc.output()).not.toMatch(/\[h3\] p\d gone/);
  }, 60_000);

  it('as a second `pong bot` for the same seat: the first one says its seat was taken over and exits', async () => {
    const stateHome = await mkdtemp(path.join(tmpdir(), 'pong-seat-'));
    cleanups.push(() => rm(stateHome, { recursive: true, force: true }));
    const env = { XDG_STATE_HOME: stateHome };
    const args = ['bot', '--player', '1', '--game', 'h4', '--broker', brokerUrl, '--forever'];
    const first = runPong(args, env);
    await first.waitFor(/joined game h4/);
    await waitFor(() => existsSync(path.join(stateHome, 'pong', 'seats')), 'the seat file written');
    const second = runPong(args, env);
    await second.waitFor(/joined game h4/);
    expect(await first.exited).toBe(1);
    expect(first.output()).toContain('pong: your seat was taken over by a newer connection');
    expect(second.child.exitCode).toBeNull();
    await second.kill();
  }, 60_000);
});
