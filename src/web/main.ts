/**
 * The browser page `pong serve` hands out at `/` and `/compare`: it reads its address (see
 * links.ts), asks the server what it serves, and shows the lobby, a game or the comparison.
 */
import { h, notice } from './dom.js';
import { lobbyLink, parseRoute } from './links.js';
import { defaultTransport, fetchServerInfo, type ServerInfo } from './server-info.js';
import { pageOrigin } from './transports/server-urls.js';
import { startLobby } from './lobby/lobby-page.js';
import { startGamePage } from './game/game-page.js';
import { startComparePage } from './compare/compare-page.js';
import type { TransportName } from '../transports/transport.js';

async function main(root: HTMLElement): Promise<void> {
  let info: ServerInfo;
  try {
    info = await fetchServerInfo();
  } catch (error) {
    root.replaceChildren(notice('error', `Cannot ask the server what it serves: ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  const serverUrl = pageOrigin(location).httpUrl;
  const route = parseRoute(location.pathname, location.search);
  const lobby = (transport: TransportName | null, message: string | null, newGame?: string): Promise<void> => {
    const chosen = transport ?? defaultTransport(info);
    if (chosen === null) {
      root.replaceChildren(h('h1', {}, 'pong'), notice('error', 'This server serves no transport the page can use: start it with pong serve --transport all.'));
      return Promise.resolve();
    }
    history.replaceState(null, '', lobbyLink(transport));
    return startLobby({ root, info, serverUrl, transport: chosen, message, ...(newGame !== undefined ? { newGame } : {}) });
  };
  switch (route.page) {
    case 'lobby':
      return lobby(route.transport, route.message);
    case 'compare':
      return startComparePage({ root, info, serverUrl, game: route.game, toLobby: (message) => void lobby(null, message) });
    case 'play':
    case 'watch': {
      const transport = route.transport ?? defaultTransport(info);
      if (transport === null) return lobby(null, null);
      return startGamePage({
        root,
        info,
        serverUrl,
        game: route.game,
        transport,
        player: route.page === 'play' ? route.player : null,
        create: route.page === 'play' && route.create,
        toLobby: (message) => void lobby(route.transport, message, route.game),
      });
    }
  }
}

const root = document.getElementById('app');
if (root !== null) void main(root);
