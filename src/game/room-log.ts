/** What a game's events say in the server's log, one line each; null for those not worth a line. */
import type { GameEvent, GameState } from './model.js';

export function describeEvent(event: GameEvent, game: GameState): string | null {
  switch (event.type) {
    case 'start':
      return `game on, first to ${game.config.pointsToWin}`;
    case 'score':
      return `p${event.scorer} scores, ${event.score.p1}-${event.score.p2}`;
    case 'end':
      return `p${event.winner} wins ${game.score.p1}-${game.score.p2}${event.forfeit ? ' by forfeit' : ''}`;
    case 'abandon':
      return 'abandoned: nobody came back';
    case 'pause':
      return 'paused';
    case 'resume':
      return 'resumed';
    case 'serve':
    case 'wall':
    case 'paddle':
      return null;
  }
}
