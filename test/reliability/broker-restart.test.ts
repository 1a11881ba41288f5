/**
 * A real Mosquitto killed and started again on the same port mid-game, with `pong serve
 * --broker` and both bots on it: everyone reconnects on their own, the players re-join, and
 * the game plays to a winner.
 */
import { afterAll, describe, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { mosquittoAvailable, startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { expectFinishedFrom, GameProbe, totalPoints } from './probe.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

let mosquitto: MosquittoBroker | null = null;
let probe: GameProbe | null = null;
let home = '';
afterAll(async () => {
  await killAll();
  await probe?.close().catch(() => {});
  await mosquitto?.teardown();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('a broker restart', () => {
  it('mid-game: the game finishes', async (context) => {
    if (!mosquittoAvailable()) return context.skip();
    mosquitto = await startMosquitto();
    home = await mkdtemp(path.join(tmpdir(), 'pong-broker-'));
    const gameId = 'broker-restart';
    await startPongServe(['--broker', mosquitto.url, '--game', gameId, '--points', '3', '--state-file', 'none']);
    probe = await new GameProbe('mqtt', { mqttUrl: mosquitto.url }, gameId).connect();
    const common = ['--game', gameId, '--broker', mosquitto.url, '--skill', '0.4'];
    const env = { XDG_STATE_HOME: home };
    const bot1 = runPong(['bot', '-p', '1', ...common], env);
    const bot2 = runPong(['bot', '-p', '2', ...common], env);
    const before = await probe.waitState((s) => s.status === 'playing' && totalPoints(s) >= 1, 'a point scored', 90_000);

    await mosquitto.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await mosquitto.start();

    await expectFinishedFrom(before, bot1, bot2, 3);
  }, 180_000);
});
