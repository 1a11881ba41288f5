/**
 * A client of a classic server: its ball frames carry no seq, no paddles, and floats as the
 * arithmetic left them; it reads no acks and sends no stats. Over a real broker with an MQTT
 * client publishing as the classic server does, the session plays those frames, numbered in
 * the order they arrive, sends no ack for them, and its latency figures say what cannot be
 * known (loss) beside what can (intervals, gaps).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import { GameSession } from '../../src/client/session.js';
import { topics } from '../../src/protocol/topics.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { startAedesBroker } from '../helpers/aedes-broker.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

const GAME = 'classic-frames';
const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('plays frames without seq, numbered on arrival, acks none, and says loss is unknown', async () => {
  const broker = await startAedesBroker();
  cleanups.push(() => broker.teardown());
  const transport = mqttTransport.createClient({ serverUrl: 'http://127.0.0.1:1', brokerUrl: broker.url, clientId: 'classic-p2' });
  const session = new GameSession({ gameId: GAME, role: { kind: 'player', player: 2 }, transport, clientId: 'classic-p2', latencyRefreshMs: 0 });
  cleanups.push(() => session.close());
  await session.start();
  const server: MqttClient = await mqtt.connectAsync(broker.url, { clientId: 'classic-server' });
  cleanups.push(() => server.endAsync());
  const sent: string[] = [];
  server.on('message', (topic) => sent.push(topic));
  await server.subscribeAsync(topics.all(GAME));

  let x = 20;
  const frame = () => {
    x -= 0.3;
    server.publish(topics.ball(GAME), JSON.stringify({ x, y: 6.19, dx: -0.3, dy: -0.3, timestamp: Date.now() }));
  };
  const seen: Array<{ seq: number; x: number }> = [];
  session.subscribe(() => {
    const ball = session.getState().ball;
    if (ball !== null && ball.seq !== seen.at(-1)?.seq) seen.push({ seq: ball.seq, x: ball.x });
  });
  await repeatUntil(frame, () => session.getState().ball !== null, 'a frame without seq');
  for (let i = 0; i < 20; i++) {
    frame();
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
  await waitFor(() => session.getState().ball!.x === x, 'the last frame');
  // Numbered one by one as they came, each drawn where it was sent (the unrounded floats too).
  expect(seen.length).toBeGreaterThanOrEqual(21);
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i]!.seq).toBe(seen[i - 1]!.seq + 1);
    expect(seen[i]!.x).toBeCloseTo(seen[i - 1]!.x - 0.3, 9);
  }
  expect(seen.at(-1)!.x).toBe(x);
  expect(String(x)).toMatch(/\d\.\d{6,}/);

  const latency = session.getState().latency;
  expect(latency.unnumbered).toBe(true);
  expect(latency.framesLost).toBe(0);
  expect(latency.interval.p50).not.toBeNull();
  expect(latency.interval.max).toBeGreaterThanOrEqual(latency.interval.p50!);
  // Nothing acked: the classic server reads no acks, and ours would be numbers of our own.
  expect(sent.filter((topic) => parseAck(topic))).toEqual([]);

  // A server that numbers its frames again (ours took the game over): acked, loss counted.
  server.publish(topics.ball(GAME), JSON.stringify({ x: 20, y: 6, dx: 0.5, dy: 0, timestamp: Date.now(), seq: 500 }));
  await waitFor(() => sent.includes(topics.ack(GAME, 2)), 'the ack of a frame with seq');
  expect(session.getState().ball!.seq).toBe(500);
  expect(session.getState().latency.unnumbered).toBe(false);
});

function parseAck(topic: string): boolean {
  return topic.includes('/ack');
}
