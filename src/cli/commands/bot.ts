import type { Argv, ArgumentsCamelCase } from 'yargs';
import { clientArgs, withClientOptions } from '../options.js';
import { createSession, startSession } from '../connect.js';
import { keepSeat } from '../seat-claim.js';
import { startBotPlayer } from '../../bot/bot-player.js';
import { GAP_MS } from '../../metrics/arrival-intervals.js';
import type { PlayerNumber } from '../../protocol/messages.js';
import { clientSecurity, withClientSecurityOptions } from '../security-options.js';

export const command = 'bot';
export const describe = 'A headless computer player: joins, serves, plays until the game ends';

export function builder(yargs: Argv) {
  return withClientSecurityOptions(withClientOptions(yargs))
    .option('player', { alias: 'p', type: 'number', choices: [1, 2], default: 2, describe: 'Seat to take' })
    .option('skill', { type: 'number', default: 0.8, describe: 'From 0 (hopeless) to 1 (nearly perfect)' })
    .option('forever', { type: 'boolean', default: false, describe: 'Keep playing after a game ends' })
    .check((argv) => {
      if (!(argv.skill >= 0 && argv.skill <= 1)) throw new Error(`invalid --skill '${argv.skill}': expected a number from 0 to 1`);
      return true;
    })
    .example('$0 bot', 'player 2 in game "demo" over MQTT')
    .example('$0 bot -p 1 -t ws & $0 bot -p 2 -t ws', 'a bot-vs-bot game over WebSocket');
}

type BotArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: BotArgs): Promise<void> {
  const args = { ...clientArgs(argv), ...clientSecurity(argv) };
  const player = argv.player as PlayerNumber;
  const keeper = keepSeat(args, player, `bot${player}`);
  const session = createSession(args, { kind: 'player', player }, keeper.clientId);
  const seat = keeper.claim(session);
  await startSession(session, args);
  const log = (line: string) => process.stdout.write(`bot p${player}: ${line}\n`);
  log(`joined game ${args.game} over ${args.transport}`);
  let lastScore = '';
  const unsubscribe = session.subscribe(() => {
    const state = session.getState().state;
    if (!state) return;
    const score = `${state.status} ${state.p1Score}-${state.p2Score}`;
    if (score !== lastScore) {
      lastScore = score;
      log(score);
    }
  });
  const bot = startBotPlayer(session, { skill: argv.skill, forever: argv.forever });
  const stopped = new Promise<'stopped'>((resolve) => {
    process.once('SIGINT', () => resolve('stopped'));
    process.once('SIGTERM', () => resolve('stopped'));
  });
  let outcome: Awaited<typeof bot.finished> | 'stopped';
  try {
    outcome = await Promise.race([bot.finished, stopped, seat.refused]);
  } catch (error) {
    await session.close();
    throw error;
  } finally {
    bot.stop();
    unsubscribe();
  }
  seat.release(session.getState().state);
  if (outcome !== 'stopped') {
    const latency = session.getState().latency;
    const how = outcome.forfeit ? ' by forfeit' : '';
    // A classic server's final state names no winner: the score does.
    const winner = outcome.winner ?? (outcome.p1Score === outcome.p2Score ? '?' : outcome.p1Score > outcome.p2Score ? 1 : 2);
    log(`final score ${outcome.p1Score}-${outcome.p2Score}, winner P${winner}${how}`);
    if (latency.unnumbered) {
      const { interval } = latency;
      log('classic server: it reads no acks (no round trip) and its frames carry no seq (loss unknown)');
      log(`frame interval p50 ${fmt(interval.p50)} ms, p99 ${fmt(interval.p99)} ms, jitter ${fmt(latency.jitter)} ms, gaps over ${GAP_MS} ms ${interval.gaps}`);
    } else {
      log(`one-way latency p50 ${fmt(latency.p50)} ms, p99 ${fmt(latency.p99)} ms, frames lost ${latency.framesLost}`);
    }
  }
  await session.close();
}

function fmt(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}
