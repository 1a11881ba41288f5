/**
 * Rooms on demand: the first join for a game id nobody has asked for yet creates its room, so
 * `pong play --game anything` works without configuring games on the server.
 */
import { decodePayload, DropCounter } from '../protocol/validate.js';
import { isValidGameId, parseTopic, topics } from '../protocol/topics.js';
import type { BusMessage } from '../server/bus.js';
import type { SeatAuthority } from '../transports/transport.js';
import { GameRoom, type GameRoomOptions } from './room.js';
import type { RoomSnapshot } from './snapshot.js';

export interface RoomManagerOptions extends Omit<GameRoomOptions, 'gameId' | 'restore'> {
  /** Joins for new game ids beyond this many rooms are refused, so a flood of ids cannot exhaust the server. */
  maxRooms?: number;
}

export class RoomManager implements SeatAuthority {
  private readonly options: RoomManagerOptions;
  private readonly live = new Map<string, GameRoom>();
  private readonly drops = new DropCounter();
  private unsubscribe: (() => void) | null = null;
  private started = false;
  private refused = 0;

  /** Listens for joins at once; rooms tick only after start(), so a caller can tick them itself. */
  constructor(options: RoomManagerOptions) {
    this.options = options;
    this.listen();
  }

  /** Starts every room's loop, and from now on each new room's as it is created. */
  start(): void {
    this.listen();
    this.started = true;
    for (const room of this.live.values()) room.start();
  }

  get rooms(): ReadonlyMap<string, GameRoom> {
    return this.live;
  }

  get(gameId: string): GameRoom | undefined {
    return this.live.get(gameId);
  }

  /** Joins the manager dropped before any room saw them (malformed, or over maxRooms). */
  get dropped(): Readonly<Record<string, number>> {
    return this.drops.snapshot();
  }

  get refusedRooms(): number {
    return this.refused;
  }

  holderOf(gameId: string, player: 1 | 2): string | null {
    return this.live.get(gameId)?.holderOf(player) ?? null;
  }

  proves(clientId: string, token: string): boolean {
    for (const room of this.live.values()) if (room.proves(clientId, token)) return true;
    return false;
  }

  /** Games saved before a restart come back paused, their seats kept for their players. */
  restore(games: ReadonlyMap<string, RoomSnapshot>): void {
    for (const [gameId, snapshot] of games) {
      if (this.live.has(gameId) || !isValidGameId(gameId)) continue;
      this.ensureRoom(gameId, snapshot);
    }
  }

  /** The room for this id, created if need be (and started if the manager is). */
  ensureRoom(gameId: string, restore?: RoomSnapshot): GameRoom {
    const existing = this.live.get(gameId);
    if (existing !== undefined) return existing;
    if (!isValidGameId(gameId)) throw new RangeError(`invalid game id: ${JSON.stringify(gameId)}`);
    const { maxRooms: _maxRooms, ...roomOptions } = this.options;
    const room = new GameRoom({
      ...roomOptions,
      gameId,
      // A restored match keeps the length it was started with, whatever --points says now.
      ...(restore ? { restore, pointsToWin: restore.pointsToWin } : {}),
    });
    this.live.set(gameId, room);
    this.options.log?.(`[${gameId}] room created`);
    if (this.started) room.start();
    return room;
  }

  /** Stops every room and stops creating new ones; rooms keep their games for a later start(). */
  stopAll(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.started = false;
    for (const room of this.live.values()) room.stop();
  }

  private listen(): void {
    this.unsubscribe ??= this.options.bus.subscribe(topics.anyGame('join'), (message) => this.onJoin(message));
  }

  private onJoin(message: BusMessage): void {
    const parsed = parseTopic(message.topic);
    if (parsed === null || this.live.has(parsed.gameId)) return;
    const join = decodePayload('join', message.payload);
    if (!join.ok) {
      this.drops.record('join', join.reason);
      return;
    }
    if (this.live.size >= (this.options.maxRooms ?? 1000)) {
      this.refused += 1;
      return;
    }
    // The bus delivered this join before the new room subscribed, so hand it over directly.
    this.ensureRoom(parsed.gameId).deliver(message.topic, message.payload, message.at, message.sender);
  }
}
