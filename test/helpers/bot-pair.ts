/**
 * Two `pong bot`s, one a seat, playing one game to its end: what every whole-game test starts
 * and checks the same way.
 */
import { expect } from 'vitest';
import { runPong, type CliProcess } from './cli.js';

export interface BotPair {
  bot1: CliProcess;
  bot2: CliProcess;
}

/** Starts player 1 and player 2 with the same flags (game, transport, address, skill...). */
export function startBotPair(flags: readonly string[]): BotPair {
  return { bot1: runPong(['bot', '--player', '1', ...flags]), bot2: runPong(['bot', '--player', '2', ...flags]) };
}

/**
 * Waits for both bots to say the final score and exit cleanly; checks the game went to
 * `points` and the winner said is the one ahead. Resolves with the score and the winner.
 */
export async function expectPlayedToEnd({ bot1, bot2 }: BotPair, points: number): Promise<{ p1: number; p2: number; winner: number }> {
  const [, p1, p2, winner] = await bot1.waitFor(/final score (\d+)-(\d+), winner P(\d)/, 150_000);
  await bot2.waitFor(/final score/, 10_000);
  expect(await bot1.exited).toBe(0);
  expect(await bot2.exited).toBe(0);
  const score = { p1: Number(p1), p2: Number(p2), winner: Number(winner) };
  expect(Math.max(score.p1, score.p2)).toBe(points);
  expect(score.winner).toBe(score.p1 > score.p2 ? 1 : 2);
  return score;
}
