/**
 * A player's hold on its seat, over any transport: the join that asks for it (with the token,
 * once there is one), the server's answers, the token kept and shown where the server asked for
 * it, the re-join when the server shows us absent, and the will that says we are gone if the
 * connection dies without a goodbye.
 */
import type { Clock } from '../metrics/clock.js';
import type { LeaveMessage, PlayerNumber, SeatMessage, StateMessage } from '../protocol/messages.js';
import { topics } from '../protocol/topics.js';
import type { TransportClient } from '../transports/transport.js';

/**
 * A seated player the server shows as absent (it restarted, or took us for gone while we were
 * slow), or one whose join was never answered, says who it is again, at most this often, until
 * the state shows it in.
 */
export const REJOIN_INTERVAL_MS = 1000;
/** A server that has not answered a join by then is a classic one, which grants no tokens. */
const SEAT_ANSWER_WAIT_MS = 2000;

export interface SeatHolderOptions {
  gameId: string;
  clientId: string;
  player: PlayerNumber;
  name?: string | undefined;
  transport: TransportClient;
  clock: Clock;
  publish: (topic: string, body: object, qos: 0 | 1) => void;
}

export class SeatHolder {
  private token: string | null = null;
  /** The server cannot see which connection our messages come from: the token goes in each. */
  private tokenInMessages = false;
  /** The server granted us our seat (and has not refused it since). */
  private seated = false;
  /** The server has answered a join of ours (so it hands out seat tokens). */
  private answered = false;
  private lastJoinAt = -Infinity;
  private readonly listeners = new Set<(seat: SeatMessage) => void>();

  constructor(private readonly options: SeatHolderOptions) {}

  get seatToken(): string | null {
    return this.token;
  }

  get isSeated(): boolean {
    return this.seated;
  }

  /** See GameSession.useToken. */
  useToken(token: string, tokenInMessages: boolean): void {
    this.token = token;
    this.tokenInMessages = tokenInMessages;
    this.options.transport.setSeatToken(tokenInMessages ? null : token);
  }

  onSeat(listener: (seat: SeatMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks for the seat (again): after every connect, and when the server shows us absent. */
  join(extra: { transport: string }): void {
    const { gameId, clientId, player, name } = this.options;
    this.lastJoinAt = this.options.clock();
    const join = { player, timestamp: this.lastJoinAt, clientId, ...extra, ...(name ? { name } : {}), ...this.tokenField() };
    this.options.publish(topics.join(gameId), join, 1);
  }

  /** An answer to our join: true when the paddle should be sent now (a fresh grant, or a new proof). */
  answer(seat: SeatMessage): boolean {
    let changed = false;
    this.seated = seat.granted;
    this.answered = true;
    if (seat.granted) {
      const carry = seat.tokenInMessages === true;
      const fresh = seat.token !== undefined && seat.token !== this.token;
      if (fresh) this.token = seat.token!;
      if (fresh || carry !== this.tokenInMessages) {
        this.tokenInMessages = carry;
        // Shown on connecting only to a server that checks it: an external broker is not ours.
        this.options.transport.setSeatToken(carry ? null : this.token);
        this.registerWill();
        changed = true;
      }
    }
    for (const listener of this.listeners) listener(seat);
    return changed;
  }

  /**
   * Whether to join again: we are connected, the state shows us absent, and we hold the seat or
   * our join went unanswered (lost on its way: a refusal, by contrast, is final).
   */
  forgotten(state: StateMessage | null, connected: boolean, now: number): boolean {
    if (!connected || (!this.seated && this.answered)) return false;
    if (state?.players?.[this.options.player === 1 ? 'p1' : 'p2'] !== false) return false;
    return now - this.lastJoinAt >= REJOIN_INTERVAL_MS;
  }

  /** Our first join is unanswered yet: a paddle sent now would be for a seat not yet ours. */
  awaitingSeat(now: number): boolean {
    return this.token === null && !this.answered && now - this.lastJoinAt < SEAT_ANSWER_WAIT_MS;
  }

  get hasToken(): boolean {
    return this.token !== null;
  }

  /** Set before every connection: the transport registers it again on each reconnect. */
  registerWill(): void {
    this.options.transport.setWill({ topic: topics.leave(this.options.gameId), payload: JSON.stringify(this.leave('connection lost')), qos: 1 });
  }

  leave(reason: string): LeaveMessage {
    const { player, clientId } = this.options;
    return { player, timestamp: this.options.clock(), clientId, reason, ...this.proof() };
  }

  /**
   * The token, only where the server asked for it in every message: elsewhere the connection
   * proves the seat, and the token stays out of messages that other clients may read.
   */
  proof(): { token?: string } {
    return this.token !== null && this.tokenInMessages ? { token: this.token } : {};
  }

  /** In a join the token always goes (the server reads it alone): it is how a seat comes back. */
  private tokenField(): { token?: string } {
    return this.token !== null ? { token: this.token } : {};
  }
}
