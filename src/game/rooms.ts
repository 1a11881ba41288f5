/**
 * Rooms on demand: the first join for a game id nobody has asked for yet creates its room, so
 * `pong play --game anything` works without configuring games on the server.
 *
 * A room costs nothing until it is played (it ticks only while somebody is in it, see
 * GameRoom) and goes away once nobody has been in it or watched it for `roomIdleMs`. Rooms are
 * limited per client and per address, as the connection that asked for them knows them (never
 * as a payload says), within the total cap: one script cannot fill the server with games.
 */
import { DropCounter } from '../protocol/drop-counter.js';
import { decodePayload } from '../protocol/validate.js';
import { isValidGameId, parseTopic, topics } from '../protocol/topics.js';
import type { SeatMessage } from '../protocol/messages.js';
import type { BusMessage, Sender } from '../bus/bus.js';
import type { SeatAuthority } from './seat-authority.js';
import { round } from './wire.js';
import { GameRoom, type GameRoomOptions } from './room.js';
import type { RoomSnapshot } from './snapshot.js';

export interface RoomManagerOptions extends Omit<GameRoomOptions, 'gameId' | 'restore'> {
  /** Joins for new game ids beyond this many rooms are refused, so a flood of ids cannot exhaust the server. */
  maxRooms?: number;
  /** Rooms one client (one connection's id) may have opened and still open. */
  roomsPerClient?: number;
  /** Rooms the connections of one address may have opened and still open. */
  roomsPerAddress?: number;
  /** A room nobody has been in or watched for this long is closed (ms). */
  roomIdleMs?: number;
  /** How often idle rooms are looked for (ms); the sweep is the manager's only timer. */
  sweepIntervalMs?: number;
  /**
   * Cluster mode: asked before a join opens a new room here (within the limits); false means
   * another node may own the game and the caller sees to it. Absent: rooms open here.
   */
  placement?: (gameId: string, join: BusMessage) => boolean;
}

/** What a room taken over in a cluster starts from besides its snapshot. */
export interface RoomOrigin {
  fence?: number;
  firstSeq?: number;
}

export const DEFAULT_MAX_ROOMS = 1000;
export const DEFAULT_ROOMS_PER_CLIENT = 4;
/** A classroom behind one NAT: thirty students, a game for each pair and then some. */
export const DEFAULT_ROOMS_PER_ADDRESS = 32;
export const DEFAULT_ROOM_IDLE_MS = 60_000;

export interface RoomCounters {
  open: number;
  closed: number;
  /** Joins the manager refused, by kind and reason (`join:room-limit-address`, `join:not-json`). */
  refused: Readonly<Record<string, number>>;
}

/** Why a join for a new game was refused, as its client is told. */
export type RoomRefusal = 'total' | 'client' | 'address';

export class RoomManager implements SeatAuthority {
  private readonly options: RoomManagerOptions;
  private readonly live = new Map<string, GameRoom>();
  /** Who asked for each room a join created (the server's own rooms have nobody). */
  private readonly openedBy = new Map<string, Sender>();
  /** Rooms the server itself opened (`--game`): they stay open, played or not. */
  private readonly pinned = new Set<string>();
  private readonly drops = new DropCounter();
  private unsubscribe: (() => void) | null = null;
  private sweeper: { cancel(): void } | null = null;
  private started = false;
  private refused = 0;
  private closedCount = 0;

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
    this.scheduleSweep();
  }

  /**
   * The manager's one timer: the loop's timers when injected, else Node's, never keeping the
   * process alive. It runs only while a room may close (one not pinned is open): an idle server
   * with only its own rooms wakes for nothing.
   */
  private scheduleSweep(): void {
    if (this.sweeper !== null || !this.started || !this.anyUnpinned()) return;
    const every = this.options.sweepIntervalMs ?? Math.min(5_000, this.idleMs() / 2);
    const run = () => {
      this.sweeper = null;
      this.sweep(this.options.clock());
      this.scheduleSweep();
    };
    const timers = this.options.timers;
    if (timers !== undefined) {
      this.sweeper = { cancel: () => timers.clearTimeout(handle) };
      const handle = timers.setTimeout(run, every);
      return;
    }
    const timer = setTimeout(run, every);
    timer.unref();
    this.sweeper = { cancel: () => clearTimeout(timer) };
  }

  private anyUnpinned(): boolean {
    for (const gameId of this.live.keys()) if (!this.pinned.has(gameId)) return true;
    return false;
  }

  /** Closes the rooms idle for roomIdleMs at `now`, except the server's own. */
  sweep(now: number): void {
    const idleMs = this.idleMs();
    for (const [gameId, room] of this.live) {
      if (this.pinned.has(gameId) || !room.idle(now, idleMs)) continue;
      room.close();
      this.live.delete(gameId);
      this.openedBy.delete(gameId);
      this.closedCount += 1;
      this.options.log?.(`[${gameId}] room closed: nobody in it for ${Math.round(idleMs / 1000)} s`);
    }
  }

  /** For the server's report: rooms open, closed for being idle, and joins refused by reason. */
  counters(): RoomCounters {
    return { open: this.live.size, closed: this.closedCount, refused: this.drops.snapshot() };
  }

  /** Rooms closed for being idle, since start. */
  get closedRooms(): number {
    return this.closedCount;
  }

  /** Keeps this game's room open whether or not anyone plays it (the server's `--game`). */
  pin(gameId: string): GameRoom {
    this.pinned.add(gameId);
    return this.ensureRoom(gameId);
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

  /** A client connection ended: its seats, in any room, are left. */
  connectionGone(clientId: string): void {
    for (const room of this.live.values()) room.connectionGone(clientId);
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
  ensureRoom(gameId: string, restore?: RoomSnapshot, origin: RoomOrigin = {}): GameRoom {
    const existing = this.live.get(gameId);
    if (existing !== undefined) return existing;
    if (!isValidGameId(gameId)) throw new RangeError(`invalid game id: ${JSON.stringify(gameId)}`);
    const {
      maxRooms: _maxRooms,
      roomsPerClient: _roomsPerClient,
      roomsPerAddress: _roomsPerAddress,
      roomIdleMs: _roomIdleMs,
      sweepIntervalMs: _sweepIntervalMs,
      placement: _placement,
      ...roomOptions
    } = this.options;
    const room = new GameRoom({
      ...roomOptions,
      ...origin,
      gameId,
      // A restored match keeps the length it was started with, whatever --points says now.
      ...(restore ? { restore, pointsToWin: restore.pointsToWin } : {}),
    });
    this.live.set(gameId, room);
    this.options.log?.(`[${gameId}] room created`);
    if (this.started) {
      room.start();
      this.scheduleSweep();
    }
    return room;
  }

  /**
   * The room stops here without a word on the bus (cluster mode: its lease is gone or handed
   * over, and its retained state is the next owner's to replace). Returns it, or undefined.
   */
  evict(gameId: string): GameRoom | undefined {
    const room = this.live.get(gameId);
    if (room === undefined) return undefined;
    room.stop();
    this.live.delete(gameId);
    this.openedBy.delete(gameId);
    this.pinned.delete(gameId);
    return room;
  }

  /** Stops every room and stops creating new ones; rooms keep their games for a later start(). */
  stopAll(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.sweeper?.cancel();
    this.sweeper = null;
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
    const refusal = this.refusal(message.sender);
    if (refusal !== null) {
      this.refused += 1;
      this.drops.record('join', `room-limit-${refusal}`);
      if (join.value.clientId !== undefined && join.value.player !== undefined) {
        this.answer(parsed.gameId, join.value.clientId, join.value.player, ROOM_LIMIT_REASONS[refusal](this.limitOf(refusal)));
      }
      return;
    }
    if (this.options.placement !== undefined && !this.options.placement(parsed.gameId, message)) return;
    const room = this.ensureRoom(parsed.gameId);
    if (message.sender !== undefined) this.openedBy.set(parsed.gameId, message.sender);
    // The bus delivered this join before the new room subscribed, so hand it over directly.
    room.deliver(message.topic, message.payload, message.at, message.sender);
  }

  /** Why a new room may not be opened for this sender; null if it may. Checked before the room costs anything. */
  private refusal(sender: Sender | undefined): RoomRefusal | null {
    if (this.live.size >= this.limitOf('total')) return 'total';
    if (sender === undefined) return null;
    let byClient = 0;
    let byAddress = 0;
    for (const opener of this.openedBy.values()) {
      if (sender.clientId !== null && opener.clientId === sender.clientId) byClient += 1;
      if (opener.address === sender.address) byAddress += 1;
    }
    if (sender.clientId !== null && byClient >= this.limitOf('client')) return 'client';
    if (byAddress >= this.limitOf('address')) return 'address';
    return null;
  }

  private limitOf(refusal: RoomRefusal): number {
    switch (refusal) {
      case 'total':
        return this.options.maxRooms ?? DEFAULT_MAX_ROOMS;
      case 'client':
        return this.options.roomsPerClient ?? DEFAULT_ROOMS_PER_CLIENT;
      case 'address':
        return this.options.roomsPerAddress ?? DEFAULT_ROOMS_PER_ADDRESS;
    }
  }

  private idleMs(): number {
    return this.options.roomIdleMs ?? DEFAULT_ROOM_IDLE_MS;
  }

  /** The refused client is told why, on its own seat topic (to it alone). */
  private answer(gameId: string, clientId: string, player: 1 | 2, reason: string): void {
    const answer: SeatMessage = { player, granted: false, timestamp: round(this.options.clock(), 3), reason };
    this.options.bus.publish(topics.seat(gameId, clientId), JSON.stringify(answer), { qos: 1, retain: false, to: clientId });
  }
}

/** What a client refused a new room reads: the limit, and the flag that changes it. */
const ROOM_LIMIT_REASONS: Record<RoomRefusal, (limit: number) => string> = {
  total: (limit) => `the server has ${limit} games open, its limit (pong serve --max-rooms)`,
  client: (limit) => `you already opened ${limit} games that are still open (pong serve --rooms-per-client)`,
  address: (limit) => `your address already opened ${limit} games that are still open (pong serve --rooms-per-address)`,
};
