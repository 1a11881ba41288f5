/**
 * Socket.io specifics over real sockets on port 0: the exact event protocol, refusal of
 * malformed events, long-polling, sharing the HTTP port with the ws endpoint, and gateway
 * restarts. What every gateway does (refusals, limits, wills, stop) is the gateway contract's,
 * run here once against a bare socket.io-client.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { connect as netConnect, type Socket as NetSocket } from 'node:net';
import { io as rawIo, type Socket as RawSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TopicBus, type BusMessage } from '../../src/bus/bus.js';
import { UpgradeRouter } from '../../src/bus/upgrade-router.js';
import { SocketIoClient, SocketIoGateway, socketioTransport } from '../../src/transports/socketio/index.js';
import type { ConnectionStatus, Gateway, GatewayContext } from '../../src/transports/transport.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import { connectSocketIoPeer, socketIoRefusal } from '../helpers/raw-peers/socketio.js';
import { runGatewayContract } from './gateway-contract.js';

runGatewayContract({
  label: 'socketio',
  factory: socketioTransport,
  url: /^http:\/\/127\.0\.0\.1:\d+$/,
  connect: connectSocketIoPeer,
  claim: { probe: socketIoRefusal, answer: 'err client-id-taken disconnected, then transport close' },
  routesTopics: true,
  answersRefusedPublishes: true,
  badFilter: { filter: 'pong/#/ball', answer: 'bad-filter pong/#/ball' },
  // Past maxHttpBufferSize engine.io closes the connection itself, before the gateway sees it.
  oversized: { ended: /^transport close$/, counted: null },
  rateLimited: { told: 'rate-limit disconnected', ended: /^transport close$/ },
  // Not 'io server disconnect': clients keep retrying for a restart.
  stopped: /^transport close$/,
  sharesHttp: true,
  stalledLimits: { stalledBytes: 256 * 1024 },
});

interface Fixture {
  http: HttpServer;
  bus: TopicBus;
  context: GatewayContext;
  gateway: SocketIoGateway;
  url: string;
}

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(): Promise<Fixture> {
  const http = createServer((_request, response) => {
    response.writeHead(404);
    response.end('not found');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const bus = new TopicBus();
  const context: GatewayContext = {
    bus,
    http,
    upgrades: new UpgradeRouter(http),
    host: '127.0.0.1',
    log: () => undefined,
    options: {},
  };
  const gateway = new SocketIoGateway(context);
  await gateway.start();
  cleanups.push(async () => {
    await gateway.stop();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return { http, bus, context, gateway, url: gateway.describe() };
}

function client(url: string, extra: Record<string, unknown> = {}, connectTimeoutMs?: number): SocketIoClient {
  const created = new SocketIoClient({
    serverUrl: url,
    brokerUrl: 'mqtt://127.0.0.1:1',
    clientId: 'test',
    extra,
    ...(connectTimeoutMs !== undefined && { connectTimeoutMs }),
  });
  cleanups.push(() => created.close());
  return created;
}

/** A bare socket.io-client, to speak the event protocol exactly as another program would. */
async function raw(url: string, transports: Array<'websocket' | 'polling'> = ['websocket']): Promise<RawSocket> {
  const socket = rawIo(url, { transports, forceNew: true, reconnection: false });
  cleanups.push(() => {
    socket.close();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function collect(bus: TopicBus, filter: string): BusMessage[] {
  const seen: BusMessage[] = [];
  bus.subscribe(filter, (message) => seen.push(message));
  return seen;
}

/** Round trip through the gateway: once this arrives, everything the socket sent before has been handled. */
async function barrier(socket: RawSocket, fixture: Fixture, tag: string): Promise<void> {
  const seen = collect(fixture.bus, `pong/barrier/${tag}`);
  socket.emit('pub', `pong/barrier/${tag}`, tag, { qos: 1, retain: false });
  await until(() => seen.length === 1, `barrier ${tag}`);
}

describe('Socket.io gateway: event protocol', () => {
  it('is named socketio', () => {
    expect(socketioTransport.name).toBe('socketio');
  });

  it('relays pub to the bus and bus messages to msg, byte for byte', async () => {
    const fixture = await serve();
    const onBus = collect(fixture.bus, 'pong/game/x/#');
    const socket = await raw(fixture.url);
    const received: unknown[][] = [];
    socket.on('msg', (...args: unknown[]) => received.push(args));

    socket.emit('sub', 'pong/game/x/+');
    await barrier(socket, fixture, 'sub');
    const payload = '{"x":20.5,"y":6.25,"dx":0.5,"dy":-0.5,"timestamp":1763774400123.412,"seq":1042,"s":"é ✓"}';
    fixture.bus.publish('pong/game/x/ball', payload);
    await until(() => received.length === 1, 'msg');
    expect(received[0]).toEqual(['pong/game/x/ball', payload]);

    socket.emit('pub', 'pong/game/x/p1/paddle', '{"y":4.5}', { qos: 0, retain: false });
    socket.emit('pub', 'pong/game/x/state', '{"status":"waiting"}', { qos: 1, retain: true });
    socket.emit('pub', 'pong/game/x/join', '{"player":1}');
    await until(() => onBus.length === 4, 'publishes on the bus');
    expect(onBus.map(({ topic, payload: body, qos, retain, origin }) => ({ topic, body, qos, retain, origin }))).toEqual([
      { topic: 'pong/game/x/ball', body: payload, qos: 0, retain: false, origin: 'server' },
      { topic: 'pong/game/x/p1/paddle', body: '{"y":4.5}', qos: 0, retain: false, origin: 'socketio' },
      { topic: 'pong/game/x/state', body: '{"status":"waiting"}', qos: 1, retain: true, origin: 'socketio' },
      { topic: 'pong/game/x/join', body: '{"player":1}', qos: 0, retain: false, origin: 'socketio' },
    ]);
    // pong/game/x/+ matches state and join (one level) but not p1/paddle (two levels).
    await until(() => received.length === 3, 'own publishes echoed by the subscription');
    expect(received.slice(1)).toEqual([
      ['pong/game/x/state', '{"status":"waiting"}'],
      ['pong/game/x/join', '{"player":1}'],
    ]);

    socket.emit('unsub', 'pong/game/x/+');
    await barrier(socket, fixture, 'unsub');
    fixture.bus.publish('pong/game/x/ball', payload);
    await barrier(socket, fixture, 'after-unsub');
    expect(received).toHaveLength(3);
  });

  it('sends one message, encoded once, intact to a websocket client and a polling client alike', async () => {
    const fixture = await serve();
    const sockets = [await raw(fixture.url, ['websocket']), await raw(fixture.url, ['polling'])];
    const received: unknown[][][] = sockets.map(() => []);
    sockets.forEach((socket, i) => {
      socket.on('msg', (...args: unknown[]) => received[i]!.push(args));
      socket.emit('sub', 'pong/game/both/ball');
    });
    for (const [i, socket] of sockets.entries()) await barrier(socket, fixture, `sub-${i}`);
    // Frames on each side of the WebSocket length boundaries, quotes and non-ASCII to escape.
    const payloads = ['{"x":1}', 'y'.repeat(120), 'z'.repeat(70_000), '{"s":"é 🏓 \\"quoted\\" \\n"}'];
    for (const payload of payloads) fixture.bus.publish('pong/game/both/ball', payload);
    await until(() => received.every((messages) => messages.length === payloads.length), 'every message on both');
    const expected = payloads.map((payload) => ['pong/game/both/ball', payload]);
    expect(received[0]).toEqual(expected);
    expect(received[1]).toEqual(expected);
  });

  it('drops and counts malformed events, answers err, and keeps the connection usable', async () => {
    const fixture = await serve();
    const onBus = collect(fixture.bus, 'pong/#');
    const socket = await raw(fixture.url);
    const errors: unknown[][] = [];
    socket.on('err', (...args: unknown[]) => errors.push(args));

    socket.emit('pub', 42, '{"y":1}', { qos: 0 });
    socket.emit('pub', 'pong/game/m/p1/paddle', 7, { qos: 0 });
    socket.emit('pub');
    socket.emit('pub', 'pong/game/m/p1/paddle', '{"y":1}', { qos: 2 });
    socket.emit('pub', 'pong/game/m/p1/paddle', '{"y":1}', 'qos0');
    socket.emit('sub', 12);
    socket.emit('sub');
    socket.emit('unsub', { filter: '#' });
    socket.emit('hello', 'world');
    await until(() => errors.length === 9, 'an err for each malformed event');

    expect(errors).toEqual([
      ['malformed', 'pub'],
      ['malformed', 'pub'],
      ['malformed', 'pub'],
      ['malformed', 'pub'],
      ['malformed', 'pub'],
      ['malformed', 'sub'],
      ['malformed', 'sub'],
      ['malformed', 'unsub'],
      ['malformed', 'hello'],
    ]);
    expect(fixture.gateway.counters.dropped).toBe(9);
    expect(fixture.gateway.malformed).toBe(9);
    expect(fixture.gateway.counters.droppedBy['malformed']).toBe(9);
    expect(onBus).toEqual([]);
    expect(socket.connected).toBe(true);

    socket.emit('pub', 'pong/game/m/p1/paddle', '{"y":2}', { qos: 0, retain: false });
    await until(() => onBus.length === 1, 'a good publish after the bad ones');
    expect(onBus[0]?.payload).toBe('{"y":2}');
  });

});

describe('Socket.io client', () => {
  it('publishes, subscribes with wildcards and counts the bytes of the socket underneath', async () => {
    const fixture = await serve();
    const onBus = collect(fixture.bus, 'pong/game/c/#');
    const player = client(fixture.url);
    const statuses: ConnectionStatus[] = [];
    player.onStatus((status) => statuses.push(status));
    await player.connect();
    expect(player.status).toBe('connected');
    // The HTTP upgrade request and the Socket.io handshake are on the wire already.
    expect(player.wire.bytesOut).toBeGreaterThan(150);
    expect(player.wire.bytesIn).toBeGreaterThan(150);

    const received: Array<[string, string]> = [];
    player.onMessage((topic, payload) => received.push([topic, payload]));
    player.subscribe('pong/game/c/+');
    const before = player.wire;
    player.publish('pong/game/c/join', '{"player":1}', { qos: 1 });
    await until(() => received.length === 1, 'own join back');
    expect(received[0]).toEqual(['pong/game/c/join', '{"player":1}']);
    expect(onBus[0]).toMatchObject({ topic: 'pong/game/c/join', qos: 1, retain: false, origin: 'socketio' });

    const after = player.wire;
    // A pub event is its payload plus the topic, the flags and a few bytes of Socket.io and
    // WebSocket framing (client frames are masked).
    expect(after.bytesOut - before.bytesOut).toBeGreaterThan(12 + 17);
    expect(after.bytesOut - before.bytesOut).toBeLessThan(120);
    expect(after.messagesOut).toBe(before.messagesOut + 1);
    expect(after.messagesIn).toBe(before.messagesIn + 1);

    await player.close();
    expect(statuses).toEqual(['connecting', 'connected', 'closed']);
    expect(player.status).toBe('closed');
  });

  it('rejects with EUNREACHABLE, one line, when nothing listens', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    for (const extra of [{}, { polling: true }]) {
      const player = client(`http://127.0.0.1:${closedPort}`, extra, 2_000);
      const error = await player.connect().then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toMatchObject({ name: 'TransportError', code: 'EUNREACHABLE' });
      const message = (error as Error).message;
      expect(message).toContain(`127.0.0.1:${closedPort}`);
      expect(message).toContain('ECONNREFUSED');
      expect(message).not.toContain('\n');
      expect(player.status).toBe('disconnected');
    }
  });

  it('rejects with EUNREACHABLE when the server never answers within connectTimeoutMs', async () => {
    const silent = createServer(() => undefined);
    const held: NetSocket[] = [];
    silent.on('connection', (socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as { port: number }).port;
    const player = client(`http://127.0.0.1:${port}`, { polling: true }, 300);
    // Given up on by the deadline asked for (ours, or Socket.io's own, which is set to it), not
    // by a default or a failure: no timing measured, the reason says which rule ended it.
    await expect(player.connect()).rejects.toMatchObject({
      code: 'EUNREACHABLE',
      message: expect.stringMatching(/: (no connection within 300 ms|timeout)$/),
    });
  });

  it('works over long-polling when asked to, and the server allows polling alone', async () => {
    const fixture = await serve();
    const onBus = collect(fixture.bus, 'pong/game/p/#');
    const player = client(fixture.url, { polling: true });
    await player.connect();
    const received: string[] = [];
    player.onMessage((_topic, payload) => received.push(payload));
    player.subscribe('pong/game/p/ball');
    player.publish('pong/game/p/p1/paddle', '{"y":3}');
    await until(() => onBus.length === 1, 'paddle over polling');
    fixture.bus.publish('pong/game/p/ball', '{"seq":1}');
    await until(() => received.length === 1, 'ball over polling');
    expect(player.wire.bytesIn).toBeGreaterThan(0);
    expect(player.wire.bytesOut).toBeGreaterThan(0);
    await until(() => player.carrier === 'websocket', 'the upgrade from polling');

    const poller = client(fixture.url, { polling: 'only' });
    await poller.connect();
    expect(poller.carrier).toBe('polling');
    const before = poller.wire;
    poller.publish('pong/game/p/p2/paddle', '{"y":8}');
    await until(() => onBus.some((message) => message.topic === 'pong/game/p/p2/paddle'), 'paddle over long-polling only');
    // One POST: request line and headers, then the engine.io and Socket.io framing of the event.
    expect(poller.wire.bytesOut - before.bytesOut).toBeGreaterThan(100);
    expect(poller.carrier).toBe('polling');

    // A client that can only poll (a proxy that blocks upgrades) is served too.
    const pollingOnly = await raw(fixture.url, ['polling']);
    const got: unknown[][] = [];
    pollingOnly.on('msg', (...args: unknown[]) => got.push(args));
    pollingOnly.emit('sub', 'pong/game/p/ball');
    await barrier(pollingOnly, fixture, 'polling-only');
    fixture.bus.publish('pong/game/p/ball', '{"seq":2}');
    await until(() => got.length === 1, 'ball to a polling-only client');
    expect(got[0]).toEqual(['pong/game/p/ball', '{"seq":2}']);
    expect(pollingOnly.io.engine.transport.name).toBe('polling');
  });

  it('drops QoS 0 publishes made while disconnected, sends QoS 1 ones on reconnect, and resubscribes', async () => {
    const fixture = await serve();
    const onBus = collect(fixture.bus, 'pong/game/d/#');
    const player = client(fixture.url, { reconnectBaseMs: 50, reconnectMaxMs: 100 });
    const statuses: Array<[ConnectionStatus, string | undefined]> = [];
    player.onStatus((status, detail) => statuses.push([status, detail]));
    const received: string[] = [];
    player.onMessage((topic) => received.push(topic));
    await player.connect();
    player.subscribe('pong/game/d/ball');

    await fixture.gateway.stop();
    await until(() => player.status === 'disconnected' || player.status === 'reconnecting', 'drop noticed');
    player.publish('pong/game/d/p1/paddle', '{"y":1}');
    player.publish('pong/game/d/serve', '{"player":1}', { qos: 1 });
    expect(player.counters.droppedOffline).toBe(1);
    await until(() => player.status === 'reconnecting', 'reconnecting');

    await fixture.gateway.start();
    await until(() => player.status === 'connected', 'reconnected');
    await until(() => onBus.length === 1, 'the buffered serve');
    expect(onBus.map((message) => message.topic)).toEqual(['pong/game/d/serve']);

    fixture.bus.publish('pong/game/d/ball', '{"seq":9}');
    await until(() => received.length === 1, 'ball through the subscription sent again');
    expect(statuses.map(([status]) => status)).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'reconnecting',
      'connected',
    ]);
    expect(statuses[2]?.[1]).toBe('transport close');
    expect(statuses[3]?.[1]).toBe('1');
  });

  it('uses WebSocket only unless extra.polling is exactly true', async () => {
    const fixture = await serve();
    const requests: string[] = [];
    fixture.http.prependListener('request', (request) => requests.push(request.url ?? ''));
    const byFactory = socketioTransport.createClient({
      serverUrl: fixture.url,
      brokerUrl: '',
      clientId: 'f',
      extra: { polling: 'yes' },
    });
    cleanups.push(() => byFactory.close());
    await byFactory.connect();
    expect(byFactory.name).toBe('socketio');
    expect((byFactory as SocketIoClient).carrier).toBe('websocket');
    expect(requests).toEqual([]);

    const poller = client(fixture.url, { polling: true });
    await poller.connect();
    expect(requests.some((url) => url.includes('transport=polling'))).toBe(true);
  });

  it('is connected once, and refuses use after close', async () => {
    const fixture = await serve();
    const player = client(fixture.url);
    const first = player.connect();
    await expect(player.connect()).rejects.toMatchObject({ code: 'EPROTOCOL' });
    await first;
    await expect(player.connect()).rejects.toMatchObject({ code: 'EPROTOCOL' });
    await player.close();
    expect(() => player.publish('pong/game/z/ball', '{}')).toThrow(expect.objectContaining({ code: 'ECLOSED' }));
    expect(() => player.subscribe('pong/#')).toThrow(expect.objectContaining({ code: 'ECLOSED' }));
    await expect(player.connect()).rejects.toMatchObject({ code: 'ECLOSED' });
    await player.close();
  });
});

describe('Socket.io gateway on the shared HTTP port', () => {
  it('leaves other upgrade paths to the router: /ws works alongside, unknown paths get 404', async () => {
    const fixture = await serve();
    const ws: Gateway = wsTransport.createGateway(fixture.context);
    await ws.start();
    cleanups.push(() => ws.stop());

    const wsClient = wsTransport.createClient({ serverUrl: fixture.url, brokerUrl: '', clientId: 'ws-player' });
    cleanups.push(() => wsClient.close());
    const sioClient = client(fixture.url);
    await Promise.all([wsClient.connect(), sioClient.connect()]);

    const viaWs: string[] = [];
    const viaSio: string[] = [];
    wsClient.onMessage((_topic, payload) => viaWs.push(payload));
    sioClient.onMessage((_topic, payload) => viaSio.push(payload));
    wsClient.subscribe('pong/game/both/p2/paddle');
    sioClient.subscribe('pong/game/both/p1/paddle');
    await until(() => fixture.gateway.counters.connections === 1 && ws.counters.connections === 1, 'both attached');
    // Subscriptions are in place once a retained probe comes back on each.
    fixture.bus.publish('pong/game/both/p1/paddle', '{"y":0}', { retain: true });
    fixture.bus.publish('pong/game/both/p2/paddle', '{"y":0}', { retain: true });
    sioClient.subscribe('pong/game/both/+/none');
    await until(() => viaWs.length === 1 && viaSio.length === 1, 'retained probes');

    sioClient.publish('pong/game/both/p2/paddle', '{"y":5}');
    wsClient.publish('pong/game/both/p1/paddle', '{"y":7}');
    await until(() => viaWs.length === 2 && viaSio.length === 2, 'cross-transport paddles');
    expect(viaWs[1]).toBe('{"y":5}');
    expect(viaSio[1]).toBe('{"y":7}');

    const answer = await rawUpgrade(fixture.url, '/nowhere');
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
  });

  it('stops without disturbing the other handlers of the HTTP server, and starts again on it', async () => {
    const fixture = await serve();
    const ws: Gateway = wsTransport.createGateway(fixture.context);
    await ws.start();
    cleanups.push(() => ws.stop());
    await raw(fixture.url);
    await fixture.gateway.stop();
    expect(fixture.http.listening).toBe(true);

    const page = await fetch(`${fixture.url}/socket.io/?EIO=4&transport=polling`);
    expect(page.status).toBe(404);
    expect(await page.text()).toBe('not found');
    const probe = new WebSocket(`${fixture.url.replace('http', 'ws')}/ws`);
    await new Promise<void>((resolve, reject) => {
      probe.once('open', resolve);
      probe.once('error', reject);
    });
    probe.close();

    // And it can start again on the same server.
    await fixture.gateway.start();
    await raw(fixture.url);
    expect(fixture.gateway.counters.connections).toBe(1);
  });
});

/** Sends a bare upgrade request and returns the first bytes of the answer. */
async function rawUpgrade(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(3_000, () => {
      socket.destroy();
      resolve(answer);
    });
  });
}
