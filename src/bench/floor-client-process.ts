/**
 * Entry of one floor client: a bare library client acking one game's frames (floors/
 * bare-ackers.ts), in a process of its own, as each bot player of the game bench is.
 */
import { runClients } from './clients-main.js';
import { startBareAcker } from './floors/bare-ackers.js';

runClients(async (config) => {
  const acker = await startBareAcker({ transport: config.transport, urls: config.urls, game: config.games[0]!, player: config.player ?? 1 });
  return {
    failed: 0,
    get frames() {
      return acker.frames;
    },
    wire: null,
    close: () => acker.close(),
  };
});
