/**
 * The MQTT gateway's own duties: what it says when it cannot listen, and that the bridge
 * between broker and bus carries both ways without echoes, against a plain mqtt.js client
 * standing in for any MQTT client (a classic-demo client, mosquitto_pub). What every gateway
 * does (refusals, limits, wills, stop) is the gateway contract's, run here once against the
 * embedded broker.
 */
import http from 'node:http';
import net from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { TopicBus, type BusMessage } from '../../src/bus/bus.js';
import { UpgradeRouter } from '../../src/bus/upgrade-router.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import type { Gateway, GatewayOptions } from '../../src/transports/transport.js';
import { startAedesBroker } from '../helpers/aedes-broker.js';
import { freePort } from '../helpers/free-port.js';
import { connectMqttPeer, mqttRefusal } from '../helpers/raw-peers/mqtt.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';
import { runGatewayContract } from './gateway-contract.js';

runGatewayContract({
  label: 'mqtt (embedded broker)',
  factory: mqttTransport,
  options: { mqttPort: 0 },
  // A new gateway comes back on the port the first one got.
  sameAddress: (first) => ({ mqttPort: Number(new URL(first.describe()).port) }),
  url: /^mqtt:\/\/127\.0\.0\.1:\d+$/,
  connect: connectMqttPeer,
  claim: { probe: mqttRefusal, answer: 'connack 2 Connection refused: Identifier rejected' },
  routesTopics: false,
  answersRefusedPublishes: false,
  // $SYS lists every client id; a refused subscription is a failure code in SUBACK.
  badFilter: { filter: '$SYS/#', answer: 'suback $SYS/# (Subscribe error: Unspecified error)' },
  oversized: { ended: /^closed$/, counted: 'packet-too-large' },
  rateLimited: { told: null, ended: /^closed$/ },
  stopped: /^closed$/,
  sharesHttp: false,
  stalledLimits: { drainTimeoutMs: 300 },
});

const cleanups: Array<() => Promise<unknown> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function gateway(options: GatewayOptions, bus = new TopicBus()): Gateway {
  const server = http.createServer();
  const created = mqttTransport.createGateway({ bus, http: server, upgrades: new UpgradeRouter(server), host: '127.0.0.1', log: () => undefined, options });
  cleanups.push(() => created.stop());
  return created;
}

async function mqttPeer(url: string): Promise<{ client: MqttClient; inbox: Array<[string, string]> }> {
  const client = await connectAsync(url, { reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync(true));
  const inbox: Array<[string, string]> = [];
  client.on('message', (topic, payload) => inbox.push([topic, payload.toString()]));
  return { client, inbox };
}

describe('mqtt gateway, embedded broker', () => {
  it('says the port is in use in one line, with the stable code', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as net.AddressInfo).port;
    const failing = gateway({ mqttPort: port });
    const error = await failing.start().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'TransportError', code: 'EADDRINUSE' });
    expect((error as Error).message).toMatch(new RegExp(`^port ${port} is in use — `));
    expect((error as Error).message).not.toContain('\n');
  });

  it('bridges both ways, once each, with qos and retain', async () => {
    const bus = new TopicBus();
    const started = gateway({ mqttPort: 0 }, bus);
    await started.start();
    const onBus: BusMessage[] = [];
    bus.subscribe('pong/#', (message) => onBus.push(message));
    const peer = await mqttPeer(started.describe());
    await peer.client.subscribeAsync('pong/game/b/ball');
    await repeatUntil(() => bus.publish('pong/game/b/ball', '{"x":1}'), () => peer.inbox.length > 0, 'bus → broker → client');
    expect(peer.inbox[0]).toEqual(['pong/game/b/ball', '{"x":1}']);
    await peer.client.publishAsync('pong/game/b/state', '{"rev":3}', { qos: 1, retain: true });
    await peer.client.publishAsync('not-pong/elsewhere', 'ignored', { qos: 1 });
    await peer.client.publishAsync('pong/game/b/end', 'end', { qos: 1 });
    await waitFor(() => onBus.some((message) => message.topic === 'pong/game/b/end'), 'client → broker → bus');
    const fromClient = onBus.filter((message) => message.origin === 'mqtt');
    expect(fromClient.map(({ topic, payload, qos, retain }) => ({ topic, payload, qos, retain }))).toEqual([
      { topic: 'pong/game/b/state', payload: '{"rev":3}', qos: 1, retain: true },
      { topic: 'pong/game/b/end', payload: 'end', qos: 1, retain: false },
    ]);
    expect(onBus.filter((message) => message.payload === '{"x":1}' && message.origin === 'mqtt')).toEqual([]);
  });
});

describe('mqtt gateway, external broker', () => {
  it('says the broker cannot be reached in one line, with the stable code', async () => {
    const port = await freePort();
    const failing = gateway({ brokerUrl: `mqtt://127.0.0.1:${port}` });
    const error = await failing.start().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'TransportError', code: 'EUNREACHABLE' });
    expect((error as Error).message).toMatch(new RegExp(`^cannot reach broker mqtt://127\\.0\\.0\\.1:${port} — ECONNREFUSED`));
    expect((error as Error).message).not.toContain('\n');
  });

  it("bridges to a broker that speaks only MQTT 3.1.1 (another pong's Aedes) without echoes", async () => {
    const broker = await startAedesBroker();
    cleanups.push(() => broker.teardown());
    const bus = new TopicBus();
    const onBus: BusMessage[] = [];
    bus.subscribe('pong/#', (message) => onBus.push(message));
    const bridged = gateway({ brokerUrl: broker.url }, bus);
    await bridged.start();
    const peer = await mqttPeer(broker.url);
    await peer.client.subscribeAsync('pong/game/v4/#', { qos: 1 });
    await repeatUntil(() => bus.publish('pong/game/v4/ball', 'from the bus'), () => peer.inbox.length > 0, 'bus → broker → client');
    const fromBus = onBus.filter((message) => message.payload === 'from the bus').length;
    await peer.client.publishAsync('pong/game/v4/p1/paddle', 'from a client', { qos: 1 });
    await peer.client.publishAsync('pong/game/v4/barrier', 'barrier', { qos: 1 });
    await waitFor(() => onBus.some((message) => message.payload === 'barrier'), 'the barrier on the bus');
    expect(onBus.filter((message) => message.payload === 'from the bus')).toHaveLength(fromBus);
    expect(onBus.filter((message) => message.origin === 'mqtt').map((message) => message.payload)).toEqual(['from a client', 'barrier']);
    // 3.1.1 brokers forward live messages with retain cleared; only MQTT 5's retain-as-published keeps it.
  });

  it('describes the external broker URL', () => {
    expect(gateway({ brokerUrl: 'mqtt://broker.example:1884' }).describe()).toBe('mqtt://broker.example:1884');
  });
});
