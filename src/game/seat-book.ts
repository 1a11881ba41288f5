/**
 * Who holds each seat of one game, and the proof they do. A client that joins with a client
 * id gets a random, secret token for its seat. What proves a message is the holder's:
 * - the connection it came from, where a gateway of this server saw it (`verified`): the id a
 *   connection holds is unique across the server, so the holder's id is proof enough;
 * - otherwise (through an external broker, where anyone may write any id) the token in it.
 * A join with the token gets the seat back from any client id, and moves it there. A client
 * that joins without a client id (the classic demo's) cannot be answered, so it holds its seat
 * unprotected, as before tokens existed.
 *
 * While a game is in progress a holder who goes away keeps the seat until their deadline
 * (gone + forfeitAfterMs); outside a game there is nothing to come back to and the seat is freed.
 */
import { randomBytes } from 'node:crypto';
import type { PlayerNumber } from '../protocol/messages.js';

export interface SeatClaim {
  clientId?: string | undefined;
  token?: string | undefined;
  /** The claim came from a connection that holds `clientId`, as a gateway of this server knows. */
  verified?: boolean;
  /** The id of the connection it came from, where a gateway knows it (a classic client's too). */
  connection?: string | null | undefined;
}

/** What proves a message (paddle, command, leave) is for its seat's holder. */
export interface SeatProof {
  /** The client id of the connection it came from, where a gateway of this server knows it. */
  sender?: string | null | undefined;
  token?: string | undefined;
  /** The client id the payload names (only a leave names one). */
  clientId?: string | undefined;
}

export type JoinOutcome =
  | {
      granted: true;
      /** Sent to the client (null: nothing new to tell it, or a classic client). */
      token: string | null;
      back: boolean;
      /** The seat's proof is its token, not its connection: the client must put it in every message. */
      tokenInMessages: boolean;
      /** The client the seat was moved from by this join's token, to be told so. */
      previous: string | null;
    }
  | { granted: false };

interface Seat {
  /** null with taken: a classic client, unprotected. */
  clientId: string | null;
  token: string | null;
  /** The holder's connection was seen to hold clientId, so its messages need no token. */
  verified: boolean;
  /** The id of the connection that took or last re-took the seat, where a gateway knew it. */
  connection: string | null;
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
  return { clientId: null, token: null, verified: false, connection: null, taken: false, goneAt: null, lastAckAt: 0, acks: false };
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
    const verified = claim.verified === true && claim.clientId !== undefined;
    if (!seat.taken || (seat.token === null && back && claim.clientId !== undefined)) {
      // A free seat, or one a classic client left unprotected and is not in.
      const protectedSeat = claim.clientId !== undefined;
      this.seats[player] = {
        clientId: claim.clientId ?? null,
        token: protectedSeat ? this.newToken() : null,
        verified,
        connection: claim.connection ?? null,
        taken: true,
        goneAt: null,
        lastAckAt: now,
        acks: protectedSeat,
      };
      return { granted: true, token: this.seats[player].token, back, tokenInMessages: protectedSeat && !verified, previous: null };
    }
    if (seat.token === null) {
      if (claim.clientId !== undefined) return { granted: false };
      seat.connection = claim.connection ?? null;
      return this.returned(seat, now, null, null);
    }
    if (claim.token === seat.token) {
      const previous = claim.clientId !== undefined && claim.clientId !== seat.clientId ? seat.clientId : null;
      if (claim.clientId !== undefined) seat.clientId = claim.clientId;
      seat.verified = verified;
      seat.connection = claim.connection ?? null;
      return this.returned(seat, now, seat.token, previous);
    }
    if (claim.clientId !== undefined && claim.clientId === seat.clientId) {
      // The holder's own connection, back after a drop: its token again, to it alone.
      if (verified && seat.verified) {
        seat.connection = claim.connection ?? null;
        return this.returned(seat, now, back ? seat.token : null, null);
      }
      // The same client saying hello twice (a join repeated on connect): nothing new to tell it.
      if (!back && !seat.verified) return { granted: true, token: null, back: false, tokenInMessages: true, previous: null };
    }
    return { granted: false };
  }

  /** Whether a paddle, serve, restart or ready for this seat may count. */
  allows(player: PlayerNumber, proof: SeatProof): boolean {
    const seat = this.seats[player];
    if (seat.token === null) return true;
    if (seat.verified && proof.sender != null && proof.sender === seat.clientId) return true;
    return proof.token === seat.token;
  }

  /**
   * Whether a leave is about the seat's current holder: it comes from the holder's connection,
   * or (through an external broker) names the holder's client id (a will for an older
   * connection names another), or carries the token without naming anyone.
   */
  isHolder(player: PlayerNumber, proof: SeatProof): boolean {
    const seat = this.seats[player];
    if (!seat.taken) return false;
    if (seat.token === null) return true;
    if (proof.sender != null) return (seat.verified && proof.sender === seat.clientId) || proof.token === seat.token;
    if (proof.clientId !== undefined) return proof.clientId === seat.clientId;
    return proof.token === seat.token;
  }

  /** The seats the connection with this id sits in (and is in, not away from). */
  heldBy(connection: string): PlayerNumber[] {
    return PLAYERS.filter((player) => {
      const seat = this.seats[player];
      return seat.taken && seat.goneAt === null && seat.connection === connection;
    });
  }

  /**
   * The seat a command naming none (a classic client's restart) is for: the one its connection
   * sits in. Where no connection is known (through an external broker), one a classic client
   * holds, as the classic server takes any such command and a classic seat takes any message.
   * `prefer` (the serving player, for a serve) wins where it is one of them.
   */
  seatOf(connection: string | null | undefined, prefer: PlayerNumber | null): PlayerNumber | null {
    const candidates =
      connection != null
        ? this.heldBy(connection)
        : PLAYERS.filter((player) => {
            const seat = this.seats[player];
            return seat.taken && seat.token === null && seat.goneAt === null;
          });
    if (prefer !== null && candidates.includes(prefer)) return prefer;
    return candidates[0] ?? null;
  }

  /** Whether `token` is the token of a seat `clientId` holds. */
  proves(clientId: string, token: string): boolean {
    return PLAYERS.some((player) => {
      const seat = this.seats[player];
      return seat.taken && seat.token === token && seat.clientId === clientId;
    });
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
      // Not verified: whoever connects with that id must show the token to be its holder again.
      this.seats[player] = {
        clientId: entry.clientId,
        token: entry.token,
        verified: false,
        connection: null,
        taken: true,
        goneAt: now,
        lastAckAt: now,
        acks: true,
      };
    }
  }

  private returned(seat: Seat, now: number, token: string | null, previous: string | null): JoinOutcome {
    const back = seat.goneAt !== null;
    seat.goneAt = null;
    seat.lastAckAt = now;
    return { granted: true, token, back, tokenInMessages: seat.token !== null && !seat.verified, previous };
  }
}
