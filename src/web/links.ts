/**
 * The page's addresses, the ones a teacher writes on the board:
 *
 *   /?game=demo&player=2&transport=webrtc   play seat 2 of game demo over WebRTC
 *   /?game=demo&watch&transport=mqtt        watch it over MQTT
 *   /compare?game=demo                      the same game over every transport, side by side
 *   /                                       the lobby (transport= picks its transport)
 *
 * `new` on a play link opens the game if the server does not have it yet. Pure: parsed and
 * written here, tested without a browser.
 */
import type { PlayerNumber } from '../protocol/messages.js';
import { isValidGameId } from '../protocol/topics.js';
import type { TransportName } from '../transports/transport.js';
import { isTransportName } from './server-info.js';

export type Route =
  | { page: 'lobby'; transport: TransportName | null; message: string | null }
  | { page: 'play'; game: string; player: PlayerNumber; transport: TransportName | null; create: boolean }
  | { page: 'watch'; game: string; transport: TransportName | null }
  | { page: 'compare'; game: string };

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const transportText = query.get('transport');
  const transport = isTransportName(transportText) ? transportText : null;
  const lobby = (message: string | null): Route => ({ page: 'lobby', transport, message });
  if (transportText !== null && transport === null) {
    return lobby(`Unknown transport “${transportText}”: choose ws, socketio, mqtt or webrtc.`);
  }
  const game = query.get('game');
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/compare') {
    if (game === null) return { page: 'compare', game: 'demo' };
    return isValidGameId(game) ? { page: 'compare', game } : lobby(badGame(game));
  }
  if (path !== '/' && path !== '/index.html') return lobby(`No page at ${pathname}.`);
  if (game === null) return lobby(null);
  if (!isValidGameId(game)) return lobby(badGame(game));
  if (query.has('watch')) return { page: 'watch', game, transport };
  const player = query.get('player');
  if (player === '1' || player === '2') return { page: 'play', game, player: Number(player) as PlayerNumber, transport, create: query.has('new') };
  if (player !== null) return lobby(`There is no seat “${player}”: a game has seats 1 and 2.`);
  return { page: 'watch', game, transport };
}

function badGame(game: string): string {
  return `“${game.slice(0, 80)}” is not a game id: 1–64 letters, digits, _ or -.`;
}

export function playLink(game: string, player: PlayerNumber, transport: TransportName, create = false): string {
  return `/?${query({ game, player: String(player), transport })}${create ? '&new' : ''}`;
}

export function watchLink(game: string, transport: TransportName): string {
  return `/?${query({ game })}&watch&${query({ transport })}`;
}

export function compareLink(game: string): string {
  return `/compare?${query({ game })}`;
}

export function lobbyLink(transport: TransportName | null): string {
  return transport === null ? '/' : `/?${query({ transport })}`;
}

function query(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
