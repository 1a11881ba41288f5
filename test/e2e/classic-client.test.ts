/**
 * A classic client (the pong-mqtt demo's, as test/helpers/classic-client.ts stands in for it:
 * its topic parsing, its messages without client id or token, its restart without player)
 * plays a whole game against `pong serve` and a pong bot: it never meets anything but a paddle
 * under p1/ or p2/ (the acks flow, where it ignores them), and its restart starts a new game.
 */
import { afterEach, expect, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { ClassicClient } from '../helpers/classic-client.js';
import mqtt from 'mqtt';
import type { StatsMessage } from '../../src/protocol/messages.js';
import { topics } from '../../src/protocol/topics.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'classic-client';
const POINTS = 2;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await killAll();
});

it('plays a game against pong serve, sees only paddles under p1/ and p2/, and restarts it without naming a player', async () => {
  const server = await startPongServe(['--game', GAME, '--points', String(POINTS), '--state-file', 'none']);
  const classic = await ClassicClient.connect(server.mqttUrl!, GAME, 1);
  cleanups.push(() => classic.close());
  runPong(['bot', '--player', '2', '--game', GAME, '--broker', server.mqttUrl!, '--skill', '0.3', '--forever']);

  await waitFor(() => classic.state?.status === 'ended', 'the end of the game', 150_000);
  const final = classic.state!;
  expect(Math.max(final.p1Score, final.p2Score)).toBe(POINTS);
  expect(classic.frames).toBeGreaterThan(300);
  // It drew the bot's paddle from p2/paddle, and never anything else from under p1/ or p2/,
  // while the bot acked every frame (on ack/p2, which it ignores).
  expect(classic.opponentPaddles).toBeGreaterThan(0);
  // (The bot joins after the classic client, so a short game has it ack fewer frames than the
  // client saw: most of them, not a fixed count.)
  expect(classic.byKind.get('ack') ?? 0).toBeGreaterThan(classic.frames / 2);
  expect(classic.notPaddles).toEqual([]);

  // Its `r`: a restart that names no player, counted for its seat.
  const before = classic.states.length;
  classic.restart();
  await waitFor(() => classic.states.slice(before).some((state) => state.status === 'playing'), 'the new game', 10_000);
  expect(classic.state).toMatchObject({ p1Score: 0, p2Score: 0 });
  const stats = await readRetainedStats(server.mqttUrl!, GAME);
  expect(Object.keys(stats.dropped ?? {}).filter((key) => key.startsWith('restart:'))).toEqual([]);
  expect(classic.notPaddles).toEqual([]);
}, 200_000);

/** The game's retained stats, as any subscriber gets them. */
async function readRetainedStats(brokerUrl: string, gameId: string): Promise<StatsMessage> {
  const client = await mqtt.connectAsync(brokerUrl, { reconnectPeriod: 0 });
  try {
    const stats = new Promise<StatsMessage>((resolve) => client.on('message', (_topic, payload) => resolve(JSON.parse(payload.toString()) as StatsMessage)));
    await client.subscribeAsync(topics.stats(gameId));
    return await stats;
  } finally {
    await client.endAsync();
  }
}
