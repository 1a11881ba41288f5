/**
 * MQTT over WebSocket at /mqtt on the server's HTTP port, the browser page's path to the
 * embedded broker, with mqtt.js in Node as the page uses it: the retained state, a seat answer
 * to its own client only (another client subscribed to every seat answer gets nothing), and a
 * held client id refused as over TCP. (mqtt-websocket.test.ts has the limits and the port.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { PongServer } from '../../src/server/server.js';
import { waitFor } from '../helpers/wait.js';

let server: PongServer;
let url: string;
const clients: MqttClient[] = [];

function connect(clientId: string, options: mqtt.IClientOptions = {}): MqttClient {
  const client = mqtt.connect(url, { clientId, protocolVersion: 4, reconnectPeriod: 0, ...options });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = new PongServer({ transports: ['mqtt', 'ws'], host: '127.0.0.1', port: 0, mqttPort: 0, games: ['demo'] });
  await server.start();
  url = `${server.httpUrl!.replace(/^http/, 'ws')}/mqtt`;
});

afterAll(async () => {
  for (const client of clients) client.end(true);
  await server.stop();
});

describe('MQTT over WebSocket at /mqtt', () => {
  it('delivers the retained state and answers a join on the client’s own seat topic alone', async () => {
    const player = connect('ws-player-2');
    const eavesdropper = connect('ws-eavesdropper');
    const seen: Array<{ who: string; topic: string; payload: string }> = [];
    player.on('message', (topic, payload) => seen.push({ who: 'player', topic, payload: payload.toString() }));
    eavesdropper.on('message', (topic, payload) => seen.push({ who: 'eavesdropper', topic, payload: payload.toString() }));
    await Promise.all([player, eavesdropper].map((client) => new Promise((resolve) => client.once('connect', resolve))));
    await eavesdropper.subscribeAsync('pong/game/demo/#');
    await player.subscribeAsync(['pong/game/demo/state', 'pong/game/demo/seat/ws-player-2']);
    await waitFor(() => seen.some((m) => m.who === 'player' && m.topic === 'pong/game/demo/state'), 'the retained state');
    await player.publishAsync('pong/game/demo/join', JSON.stringify({ player: 2, timestamp: Date.now(), clientId: 'ws-player-2' }), { qos: 1 });
    await waitFor(() => seen.some((m) => m.who === 'player' && m.topic === 'pong/game/demo/seat/ws-player-2'), 'the seat answer');
    const grant = JSON.parse(seen.find((m) => m.topic === 'pong/game/demo/seat/ws-player-2')!.payload) as { granted: boolean; token?: string };
    expect(grant.granted).toBe(true);
    expect(grant.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await waitFor(() => seen.some((m) => m.who === 'eavesdropper' && m.topic === 'pong/game/demo/state' && m.payload.includes('"p2":true')), 'p2 seated in the state');
    expect(seen.filter((m) => m.who === 'eavesdropper' && m.topic.includes('/seat/'))).toEqual([]);
  });

  it('refuses a client id another connection holds, as over TCP', async () => {
    const first = connect('ws-held-id');
    await new Promise((resolve) => first.once('connect', resolve));
    const second = connect('ws-held-id');
    const refusal = await new Promise<Error>((resolve) => second.once('error', resolve));
    expect(refusal.message).toMatch(/Identifier rejected/i);
    expect(first.connected).toBe(true);
  });
});
