/**
 * One fuzzing connection per transport, raw where the transport allows it (frames and events no
 * well-behaved client would send) and through our own client where it does not (WebRTC). Each
 * sends what fuzz-messages.ts makes, plus garbage of its own framing, and records in a Tally
 * where every message must be counted.
 */
import net from 'node:net';
import { WebSocket } from 'ws';
import { io, type Socket } from 'socket.io-client';
import { MqttTransportClient } from '../../src/transports/mqtt/client.js';
import { WebRtcClient } from '../../src/transports/webrtc/client.js';
import { fuzzPublish, type Tally } from './fuzz-messages.js';

export interface FuzzConnection {
  /** Sends one message and records where it must be counted. */
  sendOne(rng: () => number, tally: Tally): void;
  close(): Promise<void>;
}

export interface FuzzTarget {
  gameId: string;
  httpUrl: string;
  mqttUrl: string;
}

const flagsOf = (retain: boolean) => (retain ? 'r' : '-');

export async function wsFuzzer(target: FuzzTarget, clientId: string): Promise<FuzzConnection> {
  const ws = new WebSocket(`${target.httpUrl.replace(/^http/, 'ws')}/ws?clientId=${clientId}`, { perMessageDeflate: false });
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    sendOne(rng, tally) {
      const roll = rng();
      if (roll < 0.08) {
        ws.send(Buffer.from(Array.from({ length: 1 + Math.floor(rng() * 64) }, () => Math.floor(rng() * 256))), { binary: true });
        return tally.add({ where: 'gateway', reason: 'bad-frame' });
      }
      if (roll < 0.14) {
        ws.send(['hello world', 'pub', 'pub a b c d', 'PUB x', '', 'sub', 'will a b c', 'bye now', `pub pong/game/${target.gameId}/join zz\n{}`][Math.floor(rng() * 9)]!);
        return tally.add({ where: 'gateway', reason: 'bad-frame' });
      }
      if (roll < 0.17) {
        ws.send(`sub pong/#/x${Math.floor(rng() * 1000)}`);
        return tally.add({ where: 'gateway', reason: 'bad-filter' });
      }
      const message = fuzzPublish(rng, { gameId: target.gameId, clientId, mqtt: false });
      ws.send(`pub ${message.topic} ${flagsOf(message.retain)}\n${message.payload}`);
      tally.add(message.expect);
    },
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

export async function socketioFuzzer(target: FuzzTarget, clientId: string): Promise<FuzzConnection> {
  const socket: Socket = io(target.httpUrl, { path: '/socket.io/', transports: ['websocket'], reconnection: false, query: { clientId } });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  return {
    sendOne(rng, tally) {
      const roll = rng();
      if (roll < 0.14) {
        const garbage: unknown[][] = [['pub', 42], ['pub', 'a'], ['pub', 'a', 'b', { qos: 7 }], ['pub', 'a', 'b', 'c', 'd'], ['sub', 1], ['unsub'], ['hello', 'x'], ['pub', null, Buffer.from([0, 1, 2])], ['will', 5]];
        const [event, ...args] = garbage[Math.floor(rng() * garbage.length)]!;
        socket.emit(event as string, ...args);
        return tally.add({ where: 'gateway', reason: 'malformed' });
      }
      if (roll < 0.17) {
        socket.emit('sub', `pong/#/x${Math.floor(rng() * 1000)}`);
        return tally.add({ where: 'gateway', reason: 'bad-filter' });
      }
      const message = fuzzPublish(rng, { gameId: target.gameId, clientId, mqtt: false });
      socket.emit('pub', message.topic, message.payload, { qos: 0, retain: message.retain });
      tally.add(message.expect);
    },
    close: async () => {
      socket.disconnect();
    },
  };
}

export async function webrtcFuzzer(target: FuzzTarget, clientId: string): Promise<FuzzConnection> {
  const client = new WebRtcClient({ serverUrl: target.httpUrl, brokerUrl: target.mqttUrl, clientId, connectTimeoutMs: 15_000 });
  await client.connect();
  return {
    sendOne(rng, tally) {
      if (rng() < 0.03) {
        client.subscribe(`pong/#/x${Math.floor(rng() * 1_000_000)}`);
        return tally.add({ where: 'gateway', reason: 'bad-filter' });
      }
      const message = fuzzPublish(rng, { gameId: target.gameId, clientId, mqtt: false });
      // The reliable channel: a fuzz message lost on the unordered one would be counted nowhere.
      client.publish(message.topic, message.payload, { qos: 1, retain: message.retain });
      tally.add(message.expect);
    },
    close: () => client.close(),
  };
}

export async function mqttFuzzer(target: FuzzTarget, clientId: string): Promise<FuzzConnection> {
  const client = new MqttTransportClient({ serverUrl: target.httpUrl, brokerUrl: target.mqttUrl, clientId });
  await client.connect();
  return {
    sendOne(rng, tally) {
      const message = fuzzPublish(rng, { gameId: target.gameId, clientId, mqtt: true });
      client.publish(message.topic, message.payload, { qos: 0, retain: message.retain });
      tally.add(message.expect);
    },
    close: () => client.close(),
  };
}

/**
 * A TCP connection that sends bytes no MQTT broker can parse (a reserved packet type) and waits
 * for the broker to close it: ending it ourselves could beat the parse error to the broker.
 */
export function mqttGarbageConnection(mqttUrl: string, rng: () => number): Promise<void> {
  const url = new URL(mqttUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => {
      // Type 0 (reserved) with remaining length 0: a whole packet, refused as soon as it is read.
      socket.write(Buffer.from([0x00, 0x00, ...Array.from({ length: 32 }, () => Math.floor(rng() * 256))]));
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the broker kept a connection that sent garbage'));
    }, 5_000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
