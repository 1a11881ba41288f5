/**
 * A player's process dies mid-game, on every transport: the game pauses with that player
 * missing, and when the same command is run again (it finds its seat token where the first run
 * saved it) the game resumes with the same score and plays to a winner. And when the player
 * never comes back, the other wins by forfeit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { transportNames } from '../../src/transports/registry.js';
import type { TransportName } from '../../src/transports/transport.js';
import { GameProbe, totalPoints, urlFlags } from './probe.js';

/** Weak bots on a short match: a whole game, with a drop in it, in well under a minute. */
const BOT = ['--skill', '0.4'];
const probes: GameProbe[] = [];
let home = '';

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'pong-home-'));
});
afterAll(async () => {
  await killAll();
  await Promise.all(probes.map((probe) => probe.close().catch(() => {})));
  await rm(home, { recursive: true, force: true });
});

async function startGame(transport: TransportName, gameId: string, serveFlags: string[]) {
  const server = await startPongServe(['--transport', transport, '--game', gameId, ...serveFlags]);
  const probe = await new GameProbe(transport, server, gameId).connect();
  probes.push(probe);
  // Seat tokens go to a state directory of this test's own, never the user's.
  const env = { XDG_STATE_HOME: path.join(home, gameId) };
  const botArgs = (player: 1 | 2) => ['bot', '--player', String(player), '--game', gameId, '-t', transport, ...urlFlags(transport, server), ...BOT];
  const bot1 = runPong(botArgs(1), env);
  const bot2 = runPong(botArgs(2), env);
  await probe.waitState((s) => s.status === 'playing' && totalPoints(s) >= 1, 'the first point', 60_000);
  return { probe, bot1, bot2, again: () => runPong(botArgs(2), env) };
}

describe.concurrent('a player who drops', () => {
  it.each(transportNames.map((name) => [name]))(
    'over %s: the game pauses with them missing, and resumes with the same score when they come back',
    async (transport) => {
      const gameId = `drop-${transport}`;
      const { probe, bot1, bot2, again } = await startGame(transport, gameId, ['--points', '2']);

      bot2.child.kill('SIGKILL');
      const paused = await probe.waitState((s) => s.status === 'paused', 'the pause');
      expect(paused).toMatchObject({ players: { p1: true, p2: false }, missing: [2] });
      expect(paused.forfeitAt).toBeGreaterThan(Date.now() + 30_000);

      const back = again();
      await back.waitFor(/joined game/);
      const resumed = await probe.waitState((s) => s.status !== 'paused', 'the game to resume');
      expect(resumed).toMatchObject({ status: 'playing', p1Score: paused.p1Score, p2Score: paused.p2Score, missing: [] });

      const [, p1, p2] = await bot1.waitFor(/final score (\d+)-(\d+), winner P\d/, 120_000);
      await probe.waitState((s) => s.status === 'ended', 'the end of the game', 10_000);
      await back.waitFor(/final score/, 30_000);
      expect(await bot1.exited).toBe(0);
      expect(await back.exited).toBe(0);
      expect(Math.max(Number(p1), Number(p2))).toBe(2);
      expect(Number(p1)).toBeGreaterThanOrEqual(paused.p1Score);
      expect(Number(p2)).toBeGreaterThanOrEqual(paused.p2Score);
    },
    150_000,
  );

  // Over MQTT too: the embedded broker once dropped the final state as a duplicate of the
  // ball frames that overtook it (see DeliveryLanes in src/transports/mqtt/embedded-broker.ts).
  it.each([['ws'], ['mqtt']] as const)('over %s, and never comes back, loses by forfeit (--forfeit-after 2)', async (transport) => {
    const gameId = `forfeit-${transport}`;
    const { probe, bot1, bot2 } = await startGame(transport, gameId, ['--points', '9', '--forfeit-after', '2']);
    bot2.child.kill('SIGKILL');
    const paused = await probe.waitState((s) => s.status === 'paused', 'the pause');
    const ended = await probe.waitState((s) => s.status === 'ended', 'the forfeit', 15_000);
    expect(ended).toMatchObject({ winner: 1, forfeit: true, p1Score: paused.p1Score, p2Score: paused.p2Score, missing: [] });
    await bot1.waitFor(/final score \d+-\d+, winner P1 by forfeit/, 10_000);
    expect(await bot1.exited).toBe(0);
  }, 120_000);
});
