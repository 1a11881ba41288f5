/**
 * Where a client takes the other paddle from: the ball frames when they carry both paddles, as
 * pong's server writes them, and then it stops listening to the paddle topics, whose every
 * message would be one more to relay and to read; the paddle topics when the frames lack them,
 * as a classic server writes them. Over a real broker with an MQTT client as the classic
 * server, and over a real pong server on ws.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import { GameSession } from '../../src/client/session.js';
import { topics } from '../../src/protocol/topics.js';
import { PongServer } from '../../src/server/server.js';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import type { TransportClient } from '../../src/transports/transport.js';
import { startAedesBroker, type StandaloneBroker } from '../helpers/aedes-broker.js';
import { seatedWsPlayer } from '../helpers/seated-player.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

const GAME = 'paddle-source';
const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Counts what reaches the client on the other player's paddle topic. */
function paddleMessagesTo(transport: TransportClient, player: 1 | 2): { count: number } {
  const counter = { count: 0 };
  const topic = topics.paddle(GAME, player);
  transport.onMessage((received) => {
    if (received === topic) counter.count += 1;
  });
  return counter;
}

it('follows the paddle topic of a classic server, and stops listening while the frames carry the paddles', async () => {
  const broker: StandaloneBroker = await startAedesBroker();
  cleanups.push(() => broker.teardown());
  const transport = mqttTransport.createClient({ serverUrl: 'http://127.0.0.1:1', brokerUrl: broker.url, clientId: 'source-p1' });
  const session = new GameSession({ gameId: GAME, role: { kind: 'player', player: 1 }, transport, clientId: 'source-p1' });
  cleanups.push(() => session.close());
  const relayed = paddleMessagesTo(transport, 2);
  await session.start();
  const server: MqttClient = await mqtt.connectAsync(broker.url, { clientId: 'classic-server' });
  cleanups.push(() => server.endAsync());

  let seq = 0;
  const frame = (paddles: { p1y: number; p2y: number } | null) => {
    seq += 1;
    const body = { x: 20, y: 6, dx: 0.5, dy: 0, timestamp: Date.now(), seq, ...(paddles ?? {}) };
    server.publish(topics.ball(GAME), JSON.stringify(body));
  };
  const opponentAt = (y: number) => server.publish(topics.paddle(GAME, 2), JSON.stringify({ y, timestamp: Date.now() }));
  const shown = () => session.getState().paddles.p2;

  // A classic server: no paddles in the frames, the opponent's paddle from its topic.
  await repeatUntil(() => frame(null), () => session.getState().ball !== null, 'a frame without paddles');
  await repeatUntil(() => opponentAt(2), () => shown() === 2, 'the opponent paddle from its topic');

  // Frames with both paddles: those are drawn, and the paddle topic is left.
  frame({ p1y: 4.5, p2y: 7 });
  await waitFor(() => shown() === 7, 'the opponent paddle from the frame');
  // Whatever the broker still delivered before it took the unsubscribe is not drawn.
  await new Promise((resolve) => setTimeout(resolve, 300));
  relayed.count = 0;
  for (let i = 0; i < 5; i++) opponentAt(1);
  frame({ p1y: 4.5, p2y: 8 });
  await waitFor(() => session.getState().ball?.seq === seq, 'the frame sent after the paddle moves');
  expect(relayed.count).toBe(0);
  expect(shown()).toBe(8);

  // Frames without paddles again (a classic server took the topic over): listening again.
  frame(null);
  await repeatUntil(() => opponentAt(3), () => shown() === 3, 'the opponent paddle from its topic once more');
  expect(relayed.count).toBeGreaterThan(0);
});

it('does not have pong\'s server relay the opponent\'s paddle moves, and draws them from the frames', async () => {
  const server = new PongServer({ transports: ['ws'], host: '127.0.0.1', port: 0, mqttPort: 0, games: [GAME] });
  await server.start();
  cleanups.push(() => server.stop());
  const seated = async (player: 1 | 2) => {
    const seatedPlayer = await seatedWsPlayer(server.httpUrl!, GAME, player, `source-ws-p${player}`);
    cleanups.push(() => seatedPlayer.session.close());
    return seatedPlayer;
  };
  const p1 = await seated(1);
  const p2 = await seated(2);
  const relayed = paddleMessagesTo(p1.transport, 2);
  await waitFor(() => (p1.session.getState().ball?.seq ?? 0) > 10, 'ten frames at player 1');
  // The unsubscribe went out with the first frame; what the server relayed before it, it relayed.
  await new Promise((resolve) => setTimeout(resolve, 200));
  relayed.count = 0;

  for (const y of [1, 2.5, 6, 8.25]) {
    p2.session.movePaddleTo(y);
    await waitFor(() => p1.session.getState().paddles.p2 === y, `player 2's paddle at ${y} on player 1's screen`);
  }
  expect(relayed.count).toBe(0);
});
