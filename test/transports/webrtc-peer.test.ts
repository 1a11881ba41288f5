/**
 * WebRTC specifics on real peer connections over loopback: candidates before the description,
 * which channel carries what, re-negotiation after the server drops a peer, the reason of a
 * refusal kept by the client, ICE servers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpgradeRouter } from '../../src/bus/upgrade-router.js';
import { TopicBus, type BusMessage } from '../../src/bus/bus.js';
import { ClientHub } from '../../src/transports/hub.js';
import type { ConnectionStatus } from '../../src/transports/transport.js';
import { WebRtcClient, WebRtcGateway, webrtcTransport } from '../../src/transports/webrtc/index.js';
import type { DialLink, SignalingLink } from '../../src/transports/webrtc/links.js';
import { RtcServerSession } from '../../src/transports/webrtc/server-session.js';
import type { SignalMessage } from '../../src/transports/webrtc/signal.js';
import { startGatewayFixture, type TransportFixture } from '../helpers/gateway-fixture.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(options: Parameters<typeof startGatewayFixture>[1] = {}): Promise<TransportFixture> {
  const started = await startGatewayFixture(webrtcTransport, options);
  cleanups.push(() => started.teardown());
  return started;
}

async function connected(from: TransportFixture, clientId: string): Promise<WebRtcClient> {
  const client = from.createClient(clientId);
  if (!(client instanceof WebRtcClient)) throw new Error('not a WebRTC client');
  await client.connect();
  return client;
}

function inbox(client: WebRtcClient, topic: string): string[] {
  const payloads: string[] = [];
  client.onMessage((received, payload) => {
    if (received === topic) payloads.push(payload);
  });
  return payloads;
}

function onBus(bus: TopicBus, filter: string): BusMessage[] {
  const log: BusMessage[] = [];
  bus.subscribe(filter, (message) => log.push(message));
  return log;
}

/** Subscribes and returns once a probe published on the bus has come through. */
async function subscribed(client: WebRtcClient, bus: TopicBus, topic: string): Promise<void> {
  const seen = inbox(client, topic);
  client.subscribe(topic);
  await repeatUntil(() => bus.publish(topic, 'probe', { qos: 1 }), () => seen.length > 0, `a probe on ${topic}`);
}

function ballFrame(seq: number): string {
  return JSON.stringify({ x: 20 + (seq % 19) / 2, y: 6.25, dx: 0.5, dy: -0.5, timestamp: 1763774400123.412 + seq * 16.667, seq });
}

describe('webrtc signaling order', () => {
  it('opens when the server candidates arrive before its answer (and ours never reach it)', async () => {
    const bus = new TopicBus();
    const hub = new ClientHub(bus, 'webrtc');
    const toClient: string[] = [];
    let clientCandidatesWithheld = 0;
    let session: RtcServerSession | null = null;

    // The server's answer is held until one of its candidates has gone ahead of it. The
    // client's candidates are dropped, so ICE can only pair through the candidates the client
    // buffered before it had the answer.
    const dial: DialLink = async (clientEvents) => {
      let heldAnswer: SignalMessage | null = null;
      let candidatesDelivered = 0;
      const deliver = (message: SignalMessage) => {
        toClient.push(message.type);
        clientEvents.onMessage(message);
      };
      const serverLink: SignalingLink = {
        send: (message) => {
          if (message.type === 'answer' && candidatesDelivered === 0) {
            heldAnswer = message;
            return;
          }
          if (message.type === 'candidate') candidatesDelivered += 1;
          setImmediate(() => {
            deliver(message);
            if (heldAnswer !== null) {
              const answer = heldAnswer;
              heldAnswer = null;
              setImmediate(() => deliver(answer));
            }
          });
        },
        close: async () => clientEvents.onClose('server closed signaling'),
      };
      const served = new RtcServerSession(serverLink, { connectionId: 'reorder', clientId: null, address: '127.0.0.1', iceServers: [], hub });
      session = served;
      return {
        send: (message) => {
          if (message.type === 'candidate') {
            clientCandidatesWithheld += 1;
            return;
          }
          setImmediate(() => served.onMessage(message));
        },
        close: () => served.end(),
      };
    };

    const client = new WebRtcClient({ serverUrl: 'http://127.0.0.1:1', brokerUrl: '', clientId: 'reorder', connectTimeoutMs: 5_000 }, { dial });
    cleanups.push(async () => {
      await client.close();
      await session?.end();
    });
    await client.connect();

    expect(toClient.indexOf('candidate')).toBeGreaterThanOrEqual(0);
    expect(toClient.indexOf('candidate')).toBeLessThan(toClient.indexOf('answer'));
    expect(clientCandidatesWithheld).toBeGreaterThan(0);
    await subscribed(client, bus, 'pong/game/order/state');
    const seen = onBus(bus, 'pong/game/order/p1/paddle');
    client.publish('pong/game/order/p1/paddle', '{"y":4.5}', { qos: 1 });
    await waitFor(() => seen.length === 1, 'the publish on the bus');
  });
});

describe('webrtc data channels', () => {
  it('carries a 300-frame ball stream on the unreliable channel and state in order on the reliable one', async () => {
    const server = await fixture();
    const client = await connected(server, 'stream');
    await subscribed(client, server.bus, 'pong/game/s/ball');
    await subscribed(client, server.bus, 'pong/game/s/state');
    const balls = inbox(client, 'pong/game/s/ball');
    const states = inbox(client, 'pong/game/s/state');
    const before = structuredClone(client.channelMessages);

    const frames = Array.from({ length: 300 }, (_, seq) => ballFrame(seq));
    const revisions = Array.from({ length: 300 }, (_, rev) => `{"status":"playing","p1Score":0,"p2Score":0,"rev":${rev}}`);
    for (let i = 0; i < 300; i++) {
      server.bus.publish('pong/game/s/ball', frames[i]!);
      server.bus.publish('pong/game/s/state', revisions[i]!, { qos: 1, retain: true });
      // A few frames per turn of the event loop, like a loop that has fallen a little behind.
      if (i % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => states.length === 300 && balls.length === 300, '300 ball frames and 300 states');

    // Unordered: on loopback nothing is lost, but arrival order is not promised.
    expect([...balls].sort()).toEqual([...frames].sort());
    expect(states).toEqual(revisions);
    expect(client.channelMessages.unreliable.in - before.unreliable.in).toBe(300);
    expect(client.channelMessages.reliable.in - before.reliable.in).toBe(300);
  });

  it('sends qos 0 publishes on the unreliable channel and qos 1 on the reliable one', async () => {
    const server = await fixture();
    const client = await connected(server, 'sender');
    const paddles = onBus(server.bus, 'pong/game/up/p1/paddle');
    const joins = onBus(server.bus, 'pong/game/up/join');
    for (let seq = 0; seq < 300; seq++) {
      client.publish('pong/game/up/p1/paddle', `{"y":${seq % 10},"timestamp":${seq},"seq":${seq}}`);
      if (seq % 50 === 0) client.publish('pong/game/up/join', `{"player":1,"timestamp":${seq}}`, { qos: 1 });
      if (seq % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => paddles.length === 300 && joins.length === 6, 'every paddle and join on the bus');
    expect(client.channelMessages.unreliable.out).toBe(300);
    expect(client.channelMessages.reliable.out).toBe(6);
    expect(joins.map((message) => JSON.parse(message.payload).timestamp)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(paddles.every((message) => message.origin === 'webrtc' && message.qos === 0)).toBe(true);
  });

  it('sends a retained qos 0 publish on the reliable channel: reliable by default, like qos 1', async () => {
    const server = await fixture();
    const client = await connected(server, 'retainer');
    const states = onBus(server.bus, 'pong/game/rt/state');
    client.publish('pong/game/rt/state', '{"status":"waiting"}', { qos: 0, retain: true });
    client.publish('pong/game/rt/state', '{"status":"playing"}', { qos: 0, retain: true, reliable: false });
    await waitFor(() => states.length === 2, 'both publishes on the bus');
    expect(client.channelMessages.reliable.out).toBe(1);
    expect(client.channelMessages.unreliable.out).toBe(1);
    expect(states.map((message) => message.retain)).toEqual([true, true]);
  });
});

describe('webrtc recovery', () => {
  it('re-negotiates when the server closes the peer mid-stream, and the stream resumes', async () => {
    const server = await fixture({ clientExtra: { reconnectBaseMs: 50, reconnectMaxMs: 500 } });
    const client = await connected(server, 'dropped');
    await subscribed(client, server.bus, 'pong/game/k/ball');
    const balls = inbox(client, 'pong/game/k/ball');
    const statuses: Array<[ConnectionStatus, string | undefined]> = [];
    client.onStatus((status, detail) => statuses.push([status, detail]));

    let seq = 0;
    const ticker = setInterval(() => server.bus.publish('pong/game/k/ball', ballFrame(seq++)), 5);
    cleanups.push(async () => clearInterval(ticker));
    await waitFor(() => balls.length >= 20, 'the stream to flow');

    const gateway = server.gateway;
    if (!(gateway instanceof WebRtcGateway)) throw new Error('not the WebRTC gateway');
    await gateway.dropPeers();
    await waitFor(() => client.status !== 'connected', 'the client to notice the dropped peer');
    await waitFor(() => client.status === 'connected', 'the client to re-negotiate', 10_000);
    const resumedAt = seq;
    await waitFor(() => balls.some((frame) => JSON.parse(frame).seq > resumedAt + 10), 'frames after the re-negotiation');

    expect(statuses.map(([status]) => status)).toEqual(['reconnecting', 'connected']);
    expect(statuses[0]![1]).toMatch(/peer connection|channel closed/);
    expect(gateway.counters.connections).toBe(1);
  });

  it('re-dials signaling and re-negotiates when the signaling link drops', async () => {
    const server = await fixture({ clientExtra: { reconnectBaseMs: 50, reconnectMaxMs: 500 } });
    const client = await connected(server, 'resignal');
    await subscribed(client, server.bus, 'pong/game/rs/state');
    const statuses: ConnectionStatus[] = [];
    client.onStatus((status) => statuses.push(status));
    const gateway = server.gateway as WebRtcGateway;
    await gateway.stop();
    await waitFor(() => client.status === 'reconnecting', 'the drop to be noticed');
    await gateway.start();
    await waitFor(() => client.status === 'connected', 'the client to come back', 10_000);
    const states = inbox(client, 'pong/game/rs/state');
    await repeatUntil(() => server.bus.publish('pong/game/rs/state', 'again', { qos: 1 }), () => states.includes('again'), 'the old subscription');
    expect(statuses).toEqual(['reconnecting', 'connected']);
  });
});

describe('webrtc refusals at the client', () => {
  it('keeps the reason the server gave when it cut the client off for its rate', async () => {
    const server = await fixture({ gatewayOptions: { limits: { ratePerSecond: 50, burst: 50 } } });
    const flood = await connected(server, 'flood');
    for (let i = 0; i < 500; i++) flood.publish('pong/game/r/join', '{}', { qos: 1 });
    await waitFor(() => flood.status !== 'connected', 'the flooder to be cut off', 10_000);
    await waitFor(() => /rate-limit/.test(flood.lastRefusal ?? ''), 'the reason at the flooder');
  });
});

describe('webrtc ICE servers', () => {
  it('passes ICE servers through, and an unreachable STUN server does not stop a loopback connection', async () => {
    const server = await fixture({
      gatewayOptions: { extra: { iceServers: ['stun:127.0.0.1:9'] } },
      clientExtra: { iceServers: ['stun:127.0.0.1:9', 'stun:localhost:9'] },
    });
    const client = await connected(server, 'stunned');
    await subscribed(client, server.bus, 'pong/game/ice/ball');
  });

  it('refuses an ICE server that is not a stun: or turn: URL when the client is made', () => {
    expect(() =>
      webrtcTransport.createClient({ serverUrl: 'http://127.0.0.1:1', brokerUrl: '', clientId: 'x', extra: { iceServers: ['127.0.0.1:3478'] } }),
    ).toThrow(TypeError);
  });
});

describe('webrtc gateway with Socket.io signaling', () => {
  it('takes a client back on a new gateway of the same HTTP server', async () => {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const bus = new TopicBus();
    const upgrades = new UpgradeRouter(http);
    const context = { bus, http, upgrades, host: '127.0.0.1', log: () => undefined, options: { extra: { signaling: 'socketio' } } };
    const serverUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    const first = new WebRtcGateway(context);
    await first.start();
    const client = new WebRtcClient({ serverUrl, brokerUrl: '', clientId: 'sio', extra: { signaling: 'socketio', reconnectBaseMs: 50 } });
    cleanups.push(() => client.close());
    await client.connect();
    await subscribed(client, bus, 'pong/game/sio/state');
    await first.stop();
    await waitFor(() => client.status === 'reconnecting', 'the client to notice');

    const second = new WebRtcGateway(context);
    await second.start();
    cleanups.push(() => second.stop());
    await waitFor(() => client.status === 'connected', 'the client to come back', 10_000);
    await subscribed(client, bus, 'pong/game/sio/state');
  });
});
