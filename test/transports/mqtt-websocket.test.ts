/**
 * MQTT over WebSocket into the embedded broker, as a browser's mqtt.js speaks it: at /mqtt on
 * the server's HTTP port, and at / and /mqtt on a port of its own. The same broker as over TCP,
 * behind the same doors: the per-address limit on the real address, client ids held once across
 * the server (a seat token as the password takes one over), the publish policy, `$` topics
 * refused, packets bounded from their header. A username and password it does not need are
 * accepted and ignored. Real sockets, ports the OS picks.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BusMessage } from '../../src/bus/bus.js';
import { GameSession } from '../../src/client/session.js';
import { topics } from '../../src/protocol/topics.js';
import { PongServer, type ServerOptions } from '../../src/server/server.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import type { ConnectionStatus } from '../../src/transports/transport.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'mqtt-ws';
const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options: Partial<ServerOptions> = {}): Promise<{ server: PongServer; http: string; own: string }> {
  const server = new PongServer({
    transports: ['mqtt'],
    host: '127.0.0.1',
    port: 0,
    mqttPort: 0,
    games: [GAME],
    extra: { mqtt: { wsPort: 0 } },
    ...options,
  });
  await server.start();
  cleanups.push(() => server.stop());
  const [http, own] = server.mqttWebSocketUrls;
  return { server, http: http!, own: own! };
}

async function connect(url: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  cleanups.push(() => client.endAsync(true));
  return client;
}

function droppedBy(server: PongServer): Record<string, number> {
  return server.gateway('mqtt')!.counters.droppedBy;
}

describe('MQTT over WebSocket on the embedded broker', () => {
  it('is served at /mqtt on the HTTP port and at / and /mqtt on its own port, a username and password ignored', async () => {
    const { server, http, own } = await startServer();
    expect(http).toMatch(new RegExp(`^${server.httpUrl!.replace('http', 'ws')}/mqtt$`));
    expect(own).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const tcp = await connect(server.mqttUrl!, { clientId: 'tcp-listener' });
    const joins: string[] = [];
    tcp.on('message', (topic, payload) => topic === topics.join(GAME) && joins.push(payload.toString()));
    await tcp.subscribeAsync(topics.join(GAME));
    for (const [i, url] of [http, own, own.replace(/\/mqtt$/, '/')].entries()) {
      const clientId = `page-${i}`;
      const client = await connect(url, { clientId, username: 'raptor', password: 'a password nobody checks' });
      const state = new Promise<string>((resolve) => client.on('message', (_topic, payload) => resolve(payload.toString())));
      await client.subscribeAsync(topics.state(GAME));
      expect(JSON.parse(await state)).toMatchObject({ status: 'waiting' });
      await client.publishAsync(topics.join(GAME), JSON.stringify({ spectator: true, timestamp: Date.now(), clientId }), { qos: 1 });
      await waitFor(() => joins.some((join) => join.includes(clientId)), `${url}'s join over TCP`);
    }
    // Any other path is not MQTT.
    expect(await upgradeRefusal(http.replace(/\/mqtt$/, '/'))).toEqual({ status: 404, reason: undefined });
    expect(await upgradeRefusal(own.replace(/\/mqtt$/, '/other'))).toEqual({ status: 404, reason: undefined });
  });

  it('knows each client by its real address, and counts it against the same per-address limit as TCP', async () => {
    const { server, http, own } = await startServer({ limits: { connectionsPerAddress: 2 } });
    const senders: BusMessage['sender'][] = [];
    server.bus.subscribe(topics.join(GAME), (message) => senders.push(message.sender));
    await connect(server.mqttUrl!, { clientId: 'first-tcp' });
    const page = await connect(http, { clientId: 'first-ws' });
    await page.publishAsync(topics.join(GAME), JSON.stringify({ spectator: true, timestamp: Date.now(), clientId: 'first-ws' }), { qos: 1 });
    await waitFor(() => senders.length > 0, 'the join on the bus');
    expect(senders[0]).toEqual({ clientId: 'first-ws', address: '127.0.0.1' });

    // A third connection from 127.0.0.1, on either WebSocket door, is refused before the upgrade.
    for (const url of [http, own]) {
      const refusal = await upgradeRefusal(url);
      expect(refusal).toEqual({ status: 429, reason: 'too-many-connections' });
    }
    await page.endAsync();
    await waitFor(() => server.gateway('mqtt')!.counters.connections === 1, 'the page gone');
    await connect(own, { clientId: 'second-ws' });
  });

  it('holds a client id once across TCP and WebSocket; a seat token as the password takes it over', async () => {
    const { server, http } = await startServer();
    const transport = mqttTransport.createClient({ serverUrl: 'http://127.0.0.1:1', brokerUrl: server.mqttUrl!, clientId: 'p1-tcp' });
    const session = new GameSession({ gameId: GAME, role: { kind: 'player', player: 1 }, transport, clientId: 'p1-tcp' });
    cleanups.push(() => session.close());
    const granted = new Promise<void>((resolve) => session.onSeat((seat) => seat.granted && resolve()));
    await session.start();
    await granted;
    const statuses: Array<{ status: ConnectionStatus; detail: string | undefined }> = [];
    session.onConnection((status, detail) => statuses.push({ status, detail }));

    await expect(connect(http, { clientId: 'p1-tcp' })).rejects.toThrow(/Identifier rejected/);
    await expect(connect(http, { clientId: 'p1-tcp', username: 'pong', password: 'not-the-token' })).rejects.toThrow(/Identifier rejected/);
    expect(droppedBy(server)['client-id-taken']).toBe(2);
    expect(statuses).toEqual([]);

    // Someone else's paddle for seat 1: acknowledged, discarded, counted.
    const mallory = await connect(http, { clientId: 'mallory' });
    await mallory.publishAsync(topics.paddle(GAME, 1), JSON.stringify({ y: 9, timestamp: Date.now() }), { qos: 1 });
    await waitFor(() => (droppedBy(server)['seat'] ?? 0) === 1, 'the seat refusal counted');

    const page = await connect(http, { clientId: 'p1-tcp', username: 'pong', password: session.seatToken! });
    await waitFor(() => statuses.some((s) => s.status === 'closed'), 'the TCP connection told');
    expect(statuses.at(-1)).toEqual({ status: 'closed', detail: 'taken-over' });
    // The page now holds the seat: its paddle counts.
    await page.publishAsync(topics.paddle(GAME, 1), JSON.stringify({ y: 0, timestamp: Date.now() }), { qos: 1 });
    await waitFor(() => server.rooms.get(GAME)!.state.paddles.p1.targetY === 0, 'the page steering seat 1');
  });

  it('refuses $ subscriptions and closes a connection whose packet is too large, from its header', async () => {
    const { server, http, own } = await startServer();
    const reader = await connect(own, { clientId: 'sys-reader' });
    const refusal = await reader.subscribeAsync('$SYS/#').then(
      () => null,
      (error: Error & { packet?: { granted?: number[] } }) => error.packet?.granted ?? [],
    );
    expect(refusal).toEqual([128]);

    // A PUBLISH announcing 48 KiB in its first bytes, the rest never sent.
    const announced = await rawMqttSocket(http, 'big-header');
    announced.send(Buffer.from([0x30, 0x80, 0x80, 0x03]));
    await closed(announced);
    // One WebSocket message of 80 KiB: refused from its frame header.
    const whole = await rawMqttSocket(own, 'big-message');
    whole.send(Buffer.alloc(80 * 1024, 0x30));
    await closed(whole);
    await waitFor(() => droppedBy(server)['packet-too-large'] === 2, 'both counted');
  });
});

/** The HTTP answer to an upgrade the server refuses. */
function upgradeRefusal(url: string): Promise<{ status: number; reason: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mqtt');
    ws.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, reason: response.headers['x-pong-refusal'] as string | undefined });
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error(`${url} was let in`));
    });
    ws.on('error', () => undefined);
  });
}

/** A WebSocket to the broker that has sent a CONNECT (MQTT 3.1.1, clean session) and been answered. */
async function rawMqttSocket(url: string, clientId: string): Promise<WebSocket> {
  const ws = new WebSocket(url, 'mqtt');
  cleanups.push(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const id = Buffer.from(clientId);
  const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([4, 2, 0, 60, 0, id.length]), id]);
  const connack = new Promise<void>((resolve) => ws.once('message', () => resolve()));
  ws.send(Buffer.concat([Buffer.from([0x10, body.length]), body]));
  await connack;
  return ws;
}

function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => ws.once('close', () => resolve()));
}
