/**
 * Who sits in a room, on the room's behalf: joins (granted, refused, taken over) answered to
 * their client alone, leaves, commands checked against the seat's proof, players taken for gone
 * when their connection ends or they stop acking, and the forfeit and abandon deadlines. It
 * changes the game only through the room's commands.
 */
import type { BusView } from '../bus/bus.js';
import type { DropCounter } from '../protocol/drop-counter.js';
import type { JoinMessage, LeaveMessage, PlayerNumber, SeatMessage } from '../protocol/messages.js';
import { topics } from '../protocol/topics.js';
import type { LatencyBoard } from './latency-board.js';
import { seat, type Command, type GameState } from './model.js';
import type { Arrival } from './room-inbox.js';
import type { SeatBook } from './seat-book.js';
import { round } from './wire.js';

/** What the seating needs of its room. */
export interface SeatedRoom {
  readonly gameId: string;
  /** The game as it is now (it changes every tick). */
  game(): GameState;
  command(command: Command): void;
  /** A player (re)joined afresh: its paddle's message order starts over. */
  seatedAfresh(player: PlayerNumber): void;
  log(line: string): void;
}

export class RoomSeating {
  constructor(
    private readonly room: SeatedRoom,
    private readonly seats: SeatBook,
    private readonly latency: LatencyBoard,
    private readonly drops: DropCounter,
    private readonly bus: Pick<BusView, 'publish'>,
    private readonly clock: () => number,
    private readonly ackTimeoutMs: number,
  ) {}

  /**
   * The seat a serve, restart or ready is for: the one it names, or for a classic client's,
   * which names none, its sender's (see SeatBook.seatOf); null when the sender holds none.
   */
  commandSeat(named: PlayerNumber | undefined, arrival: Arrival, prefer: PlayerNumber | null): PlayerNumber | null {
    return named ?? this.seats.seatOf(arrival.sender?.clientId, prefer);
  }

  /** Whether a paddle or command for `player` proves it comes from the seat's holder. */
  allows(player: PlayerNumber, arrival: Arrival, token: string | undefined): boolean {
    return this.seats.allows(player, { sender: arrival.sender?.clientId, token });
  }

  join(join: JoinMessage, arrival: Arrival): void {
    if (join.spectator === true || join.player === undefined) return;
    const player = join.player;
    const now = this.clock();
    const { sender } = arrival;
    // Verified: the connection it came from holds the id it names (the gateways refuse a join
    // naming another's), so the connection, not a token in every message, proves the seat.
    const verified = sender?.clientId != null && sender.clientId === join.clientId;
    const outcome = this.seats.join(player, { clientId: join.clientId, token: join.token, verified, connection: sender?.clientId }, now);
    if (join.clientId !== undefined) {
      const answer: SeatMessage = { player, granted: outcome.granted, timestamp: round(now, 3) };
      if (outcome.granted && outcome.token !== null) answer.token = outcome.token;
      if (outcome.granted && outcome.tokenInMessages) answer.tokenInMessages = true;
      if (!outcome.granted) answer.reason = 'seat taken';
      // To the connection that asked (in a cluster, another node's client has an id of its own).
      this.answer(join.clientId, answer, sender?.clientId ?? join.clientId);
    }
    if (!outcome.granted) {
      this.drops.record('join', 'seat-taken');
      return;
    }
    if (outcome.previous !== null) {
      // Its token moved the seat to a newer client of the same player: the old one is told.
      this.answer(outcome.previous, { player, granted: false, timestamp: round(now, 3), reason: 'taken over' });
      this.room.log(`p${player} taken over by a newer connection`);
    }
    const fresh = !this.room.game().present[seat(player)];
    this.latency.seatTaken(player, join.transport, fresh && !outcome.back);
    if (fresh) {
      this.room.seatedAfresh(player);
      this.room.log(`p${player} ${outcome.back ? 'is back' : 'joined'}${join.transport ? ` over ${join.transport}` : ''}`);
    }
    this.room.command({ kind: 'join', player });
  }

  leave(leave: LeaveMessage, arrival: Arrival): void {
    if (!this.seats.isHolder(leave.player, { sender: arrival.sender?.clientId, clientId: leave.clientId, token: leave.token })) {
      return this.drops.record('leave', 'bad-token');
    }
    this.playerLeft(leave.player, leave.reason ?? 'left');
  }

  /**
   * A player's connection is gone; the score stays. During a game their seat is kept for them
   * (the game pauses until they re-join or forfeit); otherwise it is free for anyone.
   */
  playerLeft(player: PlayerNumber, reason: string): void {
    const game = this.room.game();
    if (!game.present[seat(player)]) return;
    const keep = game.status === 'playing' || game.status === 'paused';
    this.seats.gone(player, this.clock(), keep);
    this.room.log(`p${player} gone (${reason})${keep ? ', seat kept' : ''}`);
    this.room.command({ kind: 'leave', player });
  }

  /** The connection with this id has ended: whoever sat through it is gone. */
  connectionGone(connection: string): void {
    for (const player of this.seats.heldBy(connection)) this.playerLeft(player, 'connection closed');
  }

  /** Every tick: silent players are gone; missing ones who are out of time forfeit. */
  check(now: number): void {
    for (const player of this.seats.silent(now, this.ackTimeoutMs)) {
      this.playerLeft(player, `no acks for ${Math.round(this.ackTimeoutMs / 1000)} s`);
    }
    const due = this.seats.due(now);
    if (due === null) return;
    if (due.kind === 'abandon') {
      this.seats.free(1);
      this.seats.free(2);
      this.room.command({ kind: 'abandon', player: 1 });
    } else {
      this.seats.free(due.player);
      this.room.command({ kind: 'forfeit', player: due.player });
    }
  }

  /** A seat answer goes to its client alone: it may hold the seat's secret token. */
  private answer(clientId: string, answer: SeatMessage, to = clientId): void {
    this.bus.publish(topics.seat(this.room.gameId, clientId), JSON.stringify(answer), { qos: 1, retain: false, to });
  }
}
