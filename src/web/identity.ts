/**
 * Who this page is to the server: a client id per game and seat, kept with the seat's token in
 * the tab's sessionStorage, so a reload is the same client and takes its seat back, as the
 * terminal client's seat file does. Another tab gets its own id (sessionStorage is per tab).
 */
import type { PlayerNumber } from '../protocol/messages.js';

export interface SeatRecord {
  clientId: string;
  token: string | null;
}

export function newClientId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function key(game: string, player: PlayerNumber): string {
  return `pong:seat:${game}:${player}`;
}

export function loadSeat(game: string, player: PlayerNumber): SeatRecord {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key(game, player)) ?? 'null') as Partial<SeatRecord> | null;
    if (stored !== null && typeof stored.clientId === 'string') {
      return { clientId: stored.clientId, token: typeof stored.token === 'string' ? stored.token : null };
    }
  } catch {
    // A damaged record is a new seat.
  }
  return { clientId: newClientId(`web-p${player}`), token: null };
}

export function saveSeat(game: string, player: PlayerNumber, seat: SeatRecord): void {
  try {
    sessionStorage.setItem(key(game, player), JSON.stringify(seat));
  } catch {
    // Storage refused (private mode, quota): a reload is then a new client.
  }
}

export function forgetSeat(game: string, player: PlayerNumber): void {
  try {
    sessionStorage.removeItem(key(game, player));
  } catch {
    // Nothing to forget.
  }
}
