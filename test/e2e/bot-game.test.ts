/**
 * End to end, per transport: `pong serve` and two `pong bot` processes play a whole game to a
 * winner over real sockets, and the retained state topic shows the final score. The games run
 * side by side: each is mostly waiting on the network, and the run must stay short.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, startPongServe } from '../helpers/cli.js';
import { expectPlayedToEnd, startBotPair } from '../helpers/bot-pair.js';
import { readRetainedState } from '../helpers/state.js';
import { mosquittoAvailable, startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { transportNames } from '../../src/transports/registry.js';
import type { TransportName } from '../../src/transports/transport.js';

const POINTS = 2;
/** Weak bots miss often enough that a 2-point game takes well under a minute. */
const SKILL = '0.4';

let mosquitto: MosquittoBroker | null = null;
afterAll(async () => {
  await killAll();
  await mosquitto?.teardown();
});

function urlFlags(transport: TransportName, urls: { mqttUrl?: string; httpUrl?: string }): string[] {
  return transport === 'mqtt' ? ['--broker', urls.mqttUrl!] : ['--server', urls.httpUrl!];
}

async function playBotGame(transport: TransportName, gameId: string, urls: { mqttUrl?: string; httpUrl?: string }, flags: string[] = []) {
  const common = ['--game', gameId, '--transport', transport, ...urlFlags(transport, urls), '--skill', SKILL, ...flags];
  const bots = startBotPair(common);
  const { p1, p2, winner } = await expectPlayedToEnd(bots, POINTS);
  // Every frame was measured: the bot reports real one-way figures, not dashes.
  expect(bots.bot1.output()).toMatch(/one-way latency p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms/);

  const state = await readRetainedState(transport, urls, gameId);
  expect(state).toMatchObject({ status: 'ended', p1Score: p1, p2Score: p2, winner });
}

describe.concurrent('a bot-vs-bot game', () => {
  it.each(transportNames.map((name) => [name]))('over %s finishes with a winner; the state topic shows the final score', async (transport) => {
    const gameId = `e2e-${transport}`;
    const server = await startPongServe(['--transport', transport, '--points', String(POINTS), '--game', gameId]);
    await playBotGame(transport, gameId, server);
  }, 180_000);

  it('over webrtc with Socket.io signaling (--signaling socketio) finishes too', async () => {
    const gameId = 'e2e-webrtc-sio';
    const server = await startPongServe(['--transport', 'webrtc', '--points', String(POINTS), '--game', gameId]);
    await playBotGame('webrtc', gameId, server, ['--signaling', 'socketio']);
  }, 180_000);

  it('over MQTT through a real Mosquitto (pong serve --broker) finishes too', async (context) => {
    if (!mosquittoAvailable()) return context.skip();
    mosquitto = await startMosquitto();
    const gameId = 'e2e-mosquitto';
    await startPongServe(['--transport', 'mqtt', '--broker', mosquitto.url, '--points', String(POINTS), '--game', gameId]);
    await playBotGame('mqtt', gameId, { mqttUrl: mosquitto.url });
  }, 180_000);
});
