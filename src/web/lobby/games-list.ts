/**
 * The lobby's list of games, from the retained `state` of every game (`pong/game/+/state`):
 * a game is listed while its room is open; an empty retained payload (the room closed) removes
 * it. Malformed states are dropped, as every client drops them. Pure.
 */
import type { StateMessage } from '../../protocol/messages.js';
import { parseTopic } from '../../protocol/topics.js';
import { decodePayload } from '../../protocol/validate.js';

export interface GameRow {
  game: string;
  status: StateMessage['status'];
  score: string;
  /** Whether each seat is taken (present, or kept for a player who is away). */
  seats: { p1: boolean; p2: boolean };
}

export class GamesList {
  private readonly states = new Map<string, StateMessage>();

  /** Takes one message; true when the list changed. */
  receive(topic: string, payload: string): boolean {
    const parsed = parseTopic(topic);
    if (parsed === null || parsed.kind !== 'state') return false;
    if (payload.length === 0) return this.states.delete(parsed.gameId);
    const decoded = decodePayload('state', payload);
    if (!decoded.ok) return false;
    const current = this.states.get(parsed.gameId);
    const rev = decoded.value.rev;
    if (current?.rev !== undefined && rev !== undefined && rev < current.rev && rev > 1) return false;
    this.states.set(parsed.gameId, decoded.value);
    return true;
  }

  has(game: string): boolean {
    return this.states.has(game);
  }

  state(game: string): StateMessage | null {
    return this.states.get(game) ?? null;
  }

  rows(): GameRow[] {
    return [...this.states.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([game, state]) => ({ game, status: state.status, score: `${state.p1Score}–${state.p2Score}`, seats: seatsOf(state) }));
  }
}

/** A seat is taken when its player is there or is kept for them while they are away. */
export function seatsOf(state: StateMessage): { p1: boolean; p2: boolean } {
  const missing = state.missing ?? [];
  return {
    p1: state.players?.p1 === true || missing.includes(1),
    p2: state.players?.p2 === true || missing.includes(2),
  };
}
