/**
 * Who holds each seat of one game, and the proof they do. A client that joins with a client
 * id gets a random token for its seat; from then on only messages carrying that token count
 * for the seat, and a re-join with it gets the seat back after a drop. A client that joins
 * without a client id (the classic demo's) cannot be answered, so it holds its seat unprotected,
 * as before tokens existed.
 *
 * While a game is in progress a holder who goes away keeps the seat until their deadline
 * (gone + forfeitAfterMs); outside a game there is nothing to come back to and the seat is freed.
 */
import { randomBytes } from 'node:crypto';
import type { PlayerNumber } from '../protocol/messages.js';

export interface SeatClaim {
  clientId?: string | undefined;
  token?: string | undefined;
}

export type JoinOutcome =
  /** `token` is sent to the client (null: nothing new to tell it, or a classic client). */
  | { granted: true; token: string | null; back: boolean }
  | { granted: false };

interface Seat {
  /** null with taken: a classic client, unprotected. */
  clientId: string | null;
  token: string | null;
  taken: boolean;
  goneAt: number | null;
  lastAckAt: number;
  /** Our clients ack every frame from the start; a classic one only once it has acked. */
  acks: boolean;
}

/** What a game restored from the state file knew about a seat. */
export interface SavedSeat {
  clientId: string;
  token: string;
}

export interface SeatBookOptions {
  forfeitAfterMs: number;
  newToken?: () => string;
}

export type SeatDeadline =
  | { kind: 'forfeit'; player: PlayerNumber }
  | { kind: 'abandon' };

export function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

function emptySeat(): Seat {
  return { clientId: null, token: null, taken: false, goneAt: null, lastAckAt: 0, acks: false };
}

const PLAYERS: readonly PlayerNumber[] = [1, 2];

export class SeatBook {
  private readonly seats: Record<PlayerNumber, Seat> = { 1: emptySeat(), 2: emptySeat() };
  private readonly forfeitAfterMs: number;
  private readonly newToken: () => string;

  constructor(options: SeatBookOptions) {
    this.forfeitAfterMs = options.forfeitAfterMs;
    this.newToken = options.newToken ?? randomToken;
  }

  join(player: PlayerNumber, claim: SeatClaim, now: number): JoinOutcome {
    const seat = this.seats[player];
    const back = seat.goneAt !== null;
    if (!seat.taken || (seat.token === null && back && claim.clientId !== undefined)) {
      // A free seat, or one a classic client left unprotected and is not in.
      const protectedSeat = claim.clientId !== undefined;
      this.seats[player] = {
        clientId: claim.clientId ?? null,
        token: protectedSeat ? this.newToken() : null,
        taken: true,
        goneAt: null,
        lastAckAt: now,
        acks: protectedSeat,
      };
      return { granted: true, token: this.seats[player].token, back };
    }
    if (seat.token === null) {
      if (claim.clientId !== undefined) return { granted: false };
      return this.returned(seat, now, null);
    }
    if (claim.token === seat.token) {
      if (claim.clientId !== undefined) seat.clientId = claim.clientId;
      return this.returned(seat, now, seat.token);
    }
    // The same client saying hello twice (a join repeated on connect): nothing new to tell it.
    if (!back && claim.clientId !== undefined && claim.clientId === seat.clientId) {
      return { granted: true, token: null, back: false };
    }
    return { granted: false };
  }

  /** Whether a paddle, serve, restart or ready for this seat may count. */
  allows(player: PlayerNumber, token: string | undefined): boolean {
    const seat = this.seats[player];
    return seat.token === null || token === seat.token;
  }

  /**
   * Whether a leave is about the seat's current holder: it names the holder's client id (a
   * will for an older connection names another), or carries the token without naming anyone.
   */
  isHolder(player: PlayerNumber, claim: SeatClaim): boolean {
    const seat = this.seats[player];
    if (!seat.taken) return false;
    if (seat.token === null) return true;
    if (claim.clientId !== undefined) return claim.clientId === seat.clientId;
    return claim.token === seat.token;
  }

  ack(player: PlayerNumber, now: number): void {
    const seat = this.seats[player];
    if (!seat.taken) return;
    seat.lastAckAt = now;
    seat.acks = true;
  }

  /** Seats in, expected to ack, and silent for longer than `timeoutMs`. */
  silent(now: number, timeoutMs: number): PlayerNumber[] {
    return PLAYERS.filter((player) => {
      const seat = this.seats[player];
      return seat.taken && seat.goneAt === null && seat.acks && now - seat.lastAckAt > timeoutMs;
    });
  }

  /** The holder went away: `keep` (a game in progress) reserves the seat, otherwise it is freed. */
  gone(player: PlayerNumber, now: number, keep: boolean): void {
    if (keep) this.seats[player].goneAt = now;
    else this.free(player);
  }

  free(player: PlayerNumber): void {
    this.seats[player] = emptySeat();
  }

  /** Frees every seat whose holder is away: for when the game they would come back to is over. */
  freeAbsent(): void {
    for (const player of PLAYERS) if (this.seats[player].goneAt !== null) this.free(player);
  }

  holderOf(player: PlayerNumber): string | null {
    const seat = this.seats[player];
    return seat.taken && seat.token !== null ? seat.clientId : null;
  }

  /** When `player`'s holder went away, their seat kept; null while they are in or it is free. */
  goneAt(player: PlayerNumber): number | null {
    return this.seats[player].goneAt;
  }

  missing(): PlayerNumber[] {
    return PLAYERS.filter((player) => this.seats[player].goneAt !== null);
  }

  /** The earliest moment a missing player forfeits; null when nobody is missing. */
  forfeitAt(): number | null {
    const deadlines = this.missing().map((player) => this.seats[player].goneAt! + this.forfeitAfterMs);
    return deadlines.length === 0 ? null : Math.min(...deadlines);
  }

  /** What is due at `now`: a forfeit, or, when both have been gone too long, dropping the game. */
  due(now: number): SeatDeadline | null {
    // Asked every tick; nobody away is by far the common case.
    if (this.seats[1].goneAt === null && this.seats[2].goneAt === null) return null;
    const late = this.missing().filter((player) => now >= this.seats[player].goneAt! + this.forfeitAfterMs);
    if (late.length === 0) return null;
    if (late.length === 2) return { kind: 'abandon' };
    return { kind: 'forfeit', player: late[0]! };
  }

  /** Protected seats, for the state file: enough for their holders to re-join after a restart. */
  saved(): Partial<Record<'p1' | 'p2', SavedSeat>> {
    const out: Partial<Record<'p1' | 'p2', SavedSeat>> = {};
    for (const player of PLAYERS) {
      const seat = this.seats[player];
      if (seat.taken && seat.token !== null && seat.clientId !== null) {
        out[player === 1 ? 'p1' : 'p2'] = { clientId: seat.clientId, token: seat.token };
      }
    }
    return out;
  }

  /** Seats of a restored game: held for their holders, who are all away until they re-join. */
  restore(saved: Partial<Record<'p1' | 'p2', SavedSeat>>, now: number): void {
    for (const player of PLAYERS) {
      const entry = saved[player === 1 ? 'p1' : 'p2'];
      if (entry === undefined) continue;
      this.seats[player] = { clientId: entry.clientId, token: entry.token, taken: true, goneAt: now, lastAckAt: now, acks: true };
    }
  }

  private returned(seat: Seat, now: number, token: string | null): JoinOutcome {
    const back = seat.goneAt !== null;
    seat.goneAt = null;
    seat.lastAckAt = now;
    return { granted: true, token, back };
  }
}
