/**
 * The gateway bridged to a real Mosquitto, met by Mosquitto's own command-line clients as a
 * spectator would use them, and checked for echoes: MQTT 5 no-local must keep what the bridge
 * publishes from coming back onto the bus.
 */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { connectAsync } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TopicBus, type BusMessage } from '../../src/bus/bus.js';
import { UpgradeRouter } from '../../src/bus/upgrade-router.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import type { Gateway } from '../../src/transports/transport.js';
import { requireBinary } from '../helpers/binaries.js';
import { mosquittoAvailable, startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

describe.runIf(mosquittoAvailable() && requireBinary('mosquitto_sub') && requireBinary('mosquitto_pub'))('mqtt gateway bridged to Mosquitto', () => {
  let broker: MosquittoBroker;
  let bus: TopicBus;
  let gateway: Gateway;
  let onBus: BusMessage[];
  const cleanups: Array<() => Promise<unknown> | void> = [];

  beforeEach(async () => {
    broker = await startMosquitto();
    bus = new TopicBus();
    onBus = [];
    bus.subscribe('pong/#', (message) => onBus.push(message));
    const server = http.createServer();
    gateway = mqttTransport.createGateway({
      bus,
      http: server,
      upgrades: new UpgradeRouter(server),
      host: '127.0.0.1',
      log: () => undefined,
      options: { brokerUrl: broker.url },
    });
    await gateway.start();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await gateway.stop();
    await broker.teardown();
  });

  it('shows bus messages to mosquitto_sub and takes mosquitto_pub messages onto the bus', async () => {
    const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'pong/game/demo/#', '-v']);
    cleanups.push(() => void sub.kill());
    let lines = '';
    sub.stdout.on('data', (chunk: Buffer) => (lines += chunk.toString()));
    await repeatUntil(
      () => bus.publish('pong/game/demo/ball', '{"x":20.5,"y":6.25,"seq":1}'),
      () => lines.includes('\n'),
      'mosquitto_sub to print a ball frame',
    );
    expect(lines.split('\n')[0]).toBe('pong/game/demo/ball {"x":20.5,"y":6.25,"seq":1}');

    const pub = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'pong/game/demo/p2/paddle', '-q', '1', '-m', '{"y":3}']);
    expect(pub.status).toBe(0);
    await waitFor(() => onBus.some((message) => message.topic === 'pong/game/demo/p2/paddle'), 'the mosquitto_pub message on the bus');
    expect(onBus.filter((message) => message.topic === 'pong/game/demo/p2/paddle').map(({ payload, qos, origin }) => ({ payload, qos, origin }))).toEqual([
      { payload: '{"y":3}', qos: 1, origin: 'mqtt' },
    ]);
  });

  it('puts each message on the bus exactly once, whichever side it came from', async () => {
    const peer = await connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanups.push(() => peer.endAsync(true));
    const inbox: string[] = [];
    peer.on('message', (_topic, payload) => inbox.push(payload.toString()));
    await peer.subscribeAsync('pong/game/once/#', { qos: 1 });

    await repeatUntil(() => bus.publish('pong/game/once/ball', 'from the bus'), () => inbox.includes('from the bus'), 'bus → Mosquitto → peer');
    const busPublishes = onBus.filter((message) => message.payload === 'from the bus').length;
    await peer.publishAsync('pong/game/once/p1/paddle', 'from a client', { qos: 1 });
    await peer.publishAsync('pong/game/once/barrier', 'barrier', { qos: 1 });
    await waitFor(() => onBus.some((message) => message.payload === 'barrier'), 'the barrier on the bus');

    // Every bus copy of 'from the bus' is one of ours: an echo would be an extra one, origin mqtt.
    expect(onBus.filter((message) => message.payload === 'from the bus').length).toBe(busPublishes);
    expect(onBus.filter((message) => message.payload === 'from the bus' && message.origin === 'mqtt')).toEqual([]);
    expect(onBus.filter((message) => message.payload === 'from a client')).toHaveLength(1);
    expect(inbox.filter((payload) => payload === 'from a client')).toHaveLength(1);
    expect(gateway.counters.messagesIn).toBe(2);
  });
});
