/**
 * `pong serve` killed mid-game (SIGKILL, nothing flushed on the way out) and started again on
 * the same ports with the same state file: the game comes back with its score, the bots'
 * clients reconnect on their own and re-join their seats, and the game plays to a winner.
 * One bot plays over MQTT (the embedded broker dies with the server), the other over ws.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, runPong } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { readRetainedState } from '../helpers/state.js';
import { expectFinishedFrom, GameProbe, totalPoints } from './probe.js';

const dirs: string[] = [];
let probe: GameProbe | null = null;
afterAll(async () => {
  await killAll();
  await probe?.close().catch(() => {});
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('a server restart', () => {
  it('keeps the score (state file), and the game finishes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pong-restart-'));
    dirs.push(dir);
    const [port, mqttPort] = [await freePort(), await freePort()];
    const gameId = 'restart';
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const httpUrl = `http://127.0.0.1:${port}`;
    const serveArgs = ['serve', '-t', 'mqtt,ws', '--port', String(port), '--mqtt-port', String(mqttPort), '--game', gameId]
      .concat(['--points', '2', '--state-file', path.join(dir, 'games.json')]);
    const first = runPong(serveArgs);
    await first.waitFor(/press Ctrl-C to stop/);

    probe = await new GameProbe('mqtt', { mqttUrl }, gameId).connect();
    const env = { XDG_STATE_HOME: path.join(dir, 'home') };
    const common = ['--game', gameId, '--skill', '0.4'];
    const bot1 = runPong(['bot', '-p', '1', '-t', 'mqtt', '--broker', mqttUrl, ...common], env);
    const bot2 = runPong(['bot', '-p', '2', '-t', 'ws', '--server', httpUrl, ...common], env);

    // Just after a point, while the ball waits for the serve: no point can land mid-kill.
    const before = await probe.waitState(
      (s) => s.status === 'playing' && totalPoints(s) >= 1 && s.servingPlayer !== null,
      'a point scored',
      90_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = runPong(serveArgs);
    await second.waitFor(/press Ctrl-C to stop/);
    const after = await readRetainedState('mqtt', { mqttUrl }, gameId);
    console.log(`score before the kill ${before.p1Score}-${before.p2Score}, after the restart ${after.p1Score}-${after.p2Score} (${after.status})`);
    expect({ p1: after.p1Score, p2: after.p2Score }).toEqual({ p1: before.p1Score, p2: before.p2Score });
    expect(after.rev).toBeGreaterThan(before.rev!);
    expect(second.output()).toMatch(/restored \d+-\d+/);

    await expectFinishedFrom(before, bot1, bot2, 2);
  }, 180_000);
});
