/**
 * A client flooding past the rate limit is disconnected with the reason, on every transport;
 * a second client of the same gateway goes on as before. The limit is lowered for the test
 * (50 a second, burst 50) so 500 messages sent at once are well past it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { socketioTransport } from '../../src/transports/socketio/index.js';
import type { TransportClient, TransportFactory } from '../../src/transports/transport.js';
import { webrtcTransport } from '../../src/transports/webrtc/index.js';
import type { WebRtcClient } from '../../src/transports/webrtc/client.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import { startGatewayFixture, type TransportFixture } from '../helpers/gateway-fixture.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

const FLOOD = 500;
const limits = { ratePerSecond: 50, burst: 50 };
let fixture: TransportFixture | null = null;
afterEach(async () => {
  await fixture?.teardown();
  fixture = null;
});

async function start(factory: TransportFactory): Promise<TransportFixture> {
  fixture = await startGatewayFixture(factory, { gatewayOptions: { limits, ...(factory.name === 'mqtt' ? { mqttPort: 0 } : {}) } });
  return fixture;
}

/** A well-behaved client of the same gateway, still served after the flood. */
async function witness(fx: TransportFixture): Promise<TransportClient> {
  const client = fx.createClient('witness');
  await client.connect();
  return client;
}

async function stillServed(fx: TransportFixture, client: TransportClient): Promise<void> {
  const inbox: string[] = [];
  client.onMessage((_topic, payload) => inbox.push(payload));
  client.subscribe('pong/game/r/ball');
  await repeatUntil(() => fx.bus.publish('pong/game/r/ball', 'after the flood'), () => inbox.includes('after the flood'), 'the witness to be served');
  const seen: string[] = [];
  fx.bus.subscribe('pong/game/r/p1/paddle', (message) => seen.push(message.payload));
  client.publish('pong/game/r/p1/paddle', '{"y":1}', { qos: 1 });
  await waitFor(() => seen.length === 1, "the witness's publish on the bus");
}

describe('a client over the rate limit', () => {
  it('ws: closed with 1008 rate-limit', async () => {
    const fx = await start(wsTransport);
    const calm = await witness(fx);
    const flood = new WebSocket(`${fx.clientOptions('x').serverUrl.replace('http', 'ws')}/ws?clientId=flood`);
    await new Promise((resolve) => flood.once('open', resolve));
    const closed = new Promise<[number, string]>((resolve) => flood.once('close', (code, reason) => resolve([code, reason.toString()])));
    for (let i = 0; i < FLOOD; i++) flood.send('pub pong/game/r/join -\n{}');
    expect(await closed).toEqual([1008, 'rate-limit']);
    expect(fx.gateway.counters).toMatchObject({ kicked: 1, droppedBy: { 'rate-limit': 1 } });
    await stillServed(fx, calm);
  });

  it('socketio: told rate-limit, then disconnected', async () => {
    const fx = await start(socketioTransport);
    const calm = await witness(fx);
    const flood = io(fx.clientOptions('x').serverUrl, { path: '/socket.io/', transports: ['websocket'], reconnection: false });
    await new Promise((resolve) => flood.once('connect', () => resolve(undefined)));
    const told = new Promise<string>((resolve) => flood.once('err', (reason: string) => resolve(reason)));
    const gone = new Promise<string>((resolve) => flood.once('disconnect', (reason) => resolve(reason)));
    for (let i = 0; i < FLOOD; i++) flood.emit('pub', 'pong/game/r/join', '{}');
    expect(await told).toBe('rate-limit');
    expect(await gone).toBe('transport close');
    expect(fx.gateway.counters).toMatchObject({ kicked: 1, droppedBy: { 'rate-limit': 1 } });
    await stillServed(fx, calm);
  });

  it('mqtt: disconnected by the embedded broker', async () => {
    const fx = await start(mqttTransport);
    const calm = await witness(fx);
    const flood = fx.createClient('flood');
    await flood.connect();
    for (let i = 0; i < FLOOD; i++) flood.publish('pong/game/r/join', '{}');
    await waitFor(() => flood.status !== 'connected', 'the flooder to be cut off');
    expect(fx.gateway.counters).toMatchObject({ kicked: 1, droppedBy: { 'rate-limit': 1 } });
    await stillServed(fx, calm);
  });

  it('webrtc: told rate-limit (over signaling), then its session is closed', async () => {
    const fx = await start(webrtcTransport);
    const calm = await witness(fx);
    const flood = fx.createClient('flood') as WebRtcClient;
    await flood.connect();
    for (let i = 0; i < FLOOD; i++) flood.publish('pong/game/r/join', '{}', { qos: 1 });
    await waitFor(() => flood.status !== 'connected', 'the flooder to be cut off', 10_000);
    await waitFor(() => /rate-limit/.test(flood.lastRefusal ?? ''), 'the reason at the flooder');
    expect(fx.gateway.counters).toMatchObject({ kicked: 1, droppedBy: { 'rate-limit': 1 } });
    await stillServed(fx, calm);
  });
});
