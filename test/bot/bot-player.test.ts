/**
 * A bot decides once for each thing it receives, not again for its own paddle move: moving the
 * paddle notifies every listener of the session, the bot's own included. Two bots over real ws
 * connections to a real server; the first one's decisions are counted by its clock.
 */
import { afterEach, expect, it } from 'vitest';
import { PongServer } from '../../src/server/server.js';
import type { GameSession } from '../../src/client/session.js';
import { startBotPlayer, type BotPlayer } from '../../src/bot/bot-player.js';
import type { PlayerNumber } from '../../src/protocol/messages.js';
import { seatedWsPlayer } from '../helpers/seated-player.js';

const GAME = 'bot-decides-once';
let server: PongServer | null = null;
const sessions: GameSession[] = [];
let bot: BotPlayer | null = null;
const others: BotPlayer[] = [];

afterEach(async () => {
  bot?.stop();
  for (const other of others.splice(0)) other.stop();
  for (const session of sessions.splice(0)) await session.close();
  await server?.stop();
  server = null;
  bot = null;
});

async function seated(player: PlayerNumber, url: string): Promise<GameSession> {
  const { session } = await seatedWsPlayer(url, GAME, player, `bot-once-p${player}`);
  sessions.push(session);
  return session;
}

it('makes one decision per notification it did not cause itself', { timeout: 30_000 }, async () => {
  server = new PongServer({ transports: ['ws'], host: '127.0.0.1', port: 0, mqttPort: 0, games: [GAME] });
  await server.start();
  const botSession = await seated(1, server.httpUrl!);
  const opponent = await seated(2, server.httpUrl!);

  // Hears every notification, those of the bot's own moves included, and counts those apart.
  let notifications = 0;
  let ownMoves = 0;
  let ownMoveInProgress = false;
  botSession.subscribe(() => {
    if (ownMoveInProgress) ownMoves += 1;
    else notifications += 1;
  });
  const move = botSession.movePaddleTo.bind(botSession);
  botSession.movePaddleTo = (y: number) => {
    ownMoveInProgress = true;
    try {
      move(y);
    } finally {
      ownMoveInProgress = false;
    }
  };

  let decisions = 0;
  others.push(startBotPlayer(opponent, { skill: 1, forever: true }));
  bot = startBotPlayer(botSession, { skill: 1, forever: true, now: () => ((decisions += 1), performance.now()) });
  // Until the bot has chased the ball for a while: each of its moves re-entered it before.
  const deadline = Date.now() + 20_000;
  while (ownMoves < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  bot.stop();

  expect(ownMoves).toBeGreaterThanOrEqual(30);
  expect(notifications).toBeGreaterThan(60);
  expect(decisions).toBe(notifications);
});
