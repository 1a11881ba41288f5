/**
 * Entry of one bot player a bench runs: the session and bot brain `pong bot` uses, in a
 * process of its own, so its CPU is one client's CPU.
 */
import { startBotPlayer } from '../bot/bot-player.js';
import { GameSession } from '../client/session.js';
import { createTransportClient, runClients, wireTotals } from './clients-main.js';

runClients(async (config) => {
  const player = config.player ?? 1;
  const game = config.games[0]!;
  const clientId = `bench-p${player}-${process.pid}`;
  const transport = createTransportClient(config, clientId);
  let frames = 0;
  const ballTopic = `pong/game/${game}/ball`;
  transport.onMessage((topic) => {
    if (topic === ballTopic) frames += 1;
  });
  const session = new GameSession({ gameId: game, role: { kind: 'player', player }, transport, clientId, name: `bench ${player}` });
  await session.start();
  const bot = startBotPlayer(session, { skill: 0.9, forever: true });
  return {
    failed: 0,
    get frames() {
      return frames;
    },
    get wire() {
      return wireTotals([transport]);
    },
    close: async () => {
      bot.stop();
      await session.close();
    },
  };
});
