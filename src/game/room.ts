/**
 * One authoritative game on the topic bus. It listens to its own command and input topics,
 * keeps the pure game state, and at every tick publishes a ball frame (always, even while
 * waiting, so spectators and latency measurement never starve), the retained state whenever
 * it changes and the retained stats about twice a second. It never learns which transport a
 * message came from; everything it receives is decoded and what fails is counted, not thrown.
 */
import type { Clock } from '../metrics/clock.js';
import { DEFAULT_FPS, DEFAULT_POINTS } from '../protocol/constants.js';
import type { PlayerNumber, SeatMessage, StatsMessage } from '../protocol/messages.js';
import { parseTopic, topics } from '../protocol/topics.js';
import { DropCounter } from '../protocol/drop-counter.js';
import { decodePayload, type PayloadKind } from '../protocol/validate.js';
import type { BusMessage, Sender, TopicBus } from '../bus/bus.js';
import { DEFAULT_AUTO_SERVE_MS, ticksForMs } from './config.js';
import { LatencyBoard } from './latency-board.js';
import { FixedRateLoop, type LoopTimers } from './loop.js';
import type { RoomLoop, TickScheduler } from './scheduler.js';
import { createGame, seat, type Command, type GameEvent, type GameState } from './model.js';
import { withTarget } from './paddle.js';
import { advance, applyCommand } from './rules.js';
import { SeatBook } from './seat-book.js';
import { gameFromSnapshot, type RoomSnapshot } from './snapshot.js';
import { ballFrameText, round, stateKey, stateMessage, type Absence } from './wire.js';

export interface GameRoomOptions {
  gameId: string;
  bus: TopicBus;
  clock: Clock;
  pointsToWin?: number;
  fps?: number;
  autoServeMs?: number;
  log?: (line: string) => void;
  /** Seeds serve angles; defaults to one drawn from the game id and the clock. */
  seed?: number;
  /** Loop timing, see FixedRateLoop. */
  timers?: LoopTimers;
  spinMs?: number;
  /** Tick on the server's shared loop (see scheduler.ts) instead of a loop of the room's own. */
  scheduler?: TickScheduler;
  statsIntervalMs?: number;
  watcherTimeoutMs?: number;
  /** A seated player silent (no acks) for longer than this is taken for gone. */
  ackTimeoutMs?: number;
  /** How long a gone player's seat is kept before they forfeit. */
  forfeitAfterMs?: number;
  /** Seat tokens; random (crypto) unless a test needs them predictable. */
  newToken?: () => string;
  /** A game restored from the state file, instead of a new one. */
  restore?: RoomSnapshot;
  /** Called after every state publication, e.g. to save the game. */
  onStateChange?: (room: GameRoom) => void;
}

/** Everything stateKey is computed from, as plain values. */
interface KeyInputs {
  status: GameState['status'];
  p1Score: number;
  p2Score: number;
  servingPlayer: PlayerNumber | null;
  winner: PlayerNumber | null;
  p1Present: boolean;
  p2Present: boolean;
  autoServeTick: number | null;
  forfeit: boolean;
  p1GoneAt: number | null;
  p2GoneAt: number | null;
}

export const DEFAULT_ACK_TIMEOUT_MS = 3000;
export const DEFAULT_FORFEIT_AFTER_MS = 60_000;

/**
 * Paddle messages may arrive out of order on unordered channels; an older one is ignored. A
 * seq far below the last one is a restarted client, not a late packet.
 */
const PADDLE_SEQ_RESTART_GAP = 600;

/** Latest-wins, never retained; one object for every frame of every room. */
const BALL_OPTIONS = Object.freeze({ qos: 0, retain: false } as const);

export class GameRoom {
  readonly gameId: string;
  private readonly bus: TopicBus;
  private readonly clock: Clock;
  private readonly fps: number;
  private readonly log: (line: string) => void;
  private readonly timers: LoopTimers | undefined;
  private readonly spinMs: number | undefined;
  private readonly statsIntervalMs: number;
  private readonly drops = new DropCounter();
  private readonly latency: LatencyBoard;
  private readonly seats: SeatBook;
  private readonly ackTimeoutMs: number;
  private readonly onStateChange: ((room: GameRoom) => void) | undefined;
  private game: GameState;
  /** Who served the rally in flight: a restart replays it from their serve. */
  private rallyServer: PlayerNumber | null = null;
  private frameSeq = 0;
  private stateRev = 0;
  private publishedKey = '';
  /** What publishedKey was made from (see keyInputsUnchanged). */
  private keyedFrom: KeyInputs | null = null;
  private readonly lastPaddleSeq: { p1: number | undefined; p2: number | undefined } = { p1: undefined, p2: undefined };
  private statsAt: number;
  private ticksSinceStats = 0;
  private loop: RoomLoop | null = null;
  private started = false;
  /** Last time anyone was in the game, joined it or watched it. */
  private lastActivityAt: number;
  private readonly scheduler: TickScheduler | undefined;
  private readonly ballTopic: string;
  private unsubscribers: Array<() => void> = [];

  constructor(options: GameRoomOptions) {
    if (parseTopic(topics.ball(options.gameId)) === null) {
      throw new RangeError(`invalid game id: ${JSON.stringify(options.gameId)}`);
    }
    this.gameId = options.gameId;
    this.ballTopic = topics.ball(options.gameId);
    this.bus = options.bus;
    this.clock = options.clock;
    this.fps = options.fps ?? DEFAULT_FPS;
    this.log = options.log ?? (() => {});
    this.timers = options.timers;
    this.spinMs = options.spinMs;
    this.scheduler = options.scheduler;
    this.statsIntervalMs = options.statsIntervalMs ?? 500;
    this.latency = new LatencyBoard({ watcherTimeoutMs: options.watcherTimeoutMs ?? 10_000 });
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.onStateChange = options.onStateChange;
    this.seats = new SeatBook({
      forfeitAfterMs: options.forfeitAfterMs ?? DEFAULT_FORFEIT_AFTER_MS,
      ...(options.newToken ? { newToken: options.newToken } : {}),
    });
    const now = this.clock();
    this.game = createGame(
      {
        fps: this.fps,
        pointsToWin: options.pointsToWin ?? DEFAULT_POINTS,
        autoServeTicks: ticksForMs(options.autoServeMs ?? DEFAULT_AUTO_SERVE_MS, this.fps),
      },
      options.seed ?? seedFrom(options.gameId, now),
    );
    if (options.restore !== undefined) {
      this.game = gameFromSnapshot(this.game, options.restore);
      this.stateRev = options.restore.rev;
      this.seats.restore(options.restore.seats, now);
      this.log(`[${this.gameId}] restored ${this.game.score.p1}-${this.game.score.p2}, waiting for the players`);
    }
    this.statsAt = now;
    this.lastActivityAt = now;
    this.subscribe();
    this.publishState(now);
  }

  /** The current game state (an immutable snapshot). */
  get state(): GameState {
    return this.game;
  }

  /** seq of the last ball frame published; 0 before the first. */
  get seq(): number {
    return this.frameSeq;
  }

  get dropped(): Readonly<Record<string, number>> {
    return this.drops.snapshot();
  }

  get droppedTotal(): number {
    return this.drops.total;
  }

  /** Started (by start(), until stop()): it ticks whenever anyone is in it. */
  get running(): boolean {
    return this.started;
  }

  /** Ticking now: started, and somebody is in the game (see occupied). */
  get ticking(): boolean {
    return this.loop?.running ?? false;
  }

  /**
   * Nobody in it, or coming back to it, for `idleMs`: nothing to tick for and nobody to tell.
   * A watcher's ack or any join counts as somebody.
   */
  idle(now: number, idleMs: number): boolean {
    if (this.occupied()) this.lastActivityAt = now;
    return now - this.lastActivityAt >= idleMs;
  }

  /** The clientId holding `player`'s seat with a token; null if free or held by a classic client. */
  holderOf(player: PlayerNumber): string | null {
    return this.seats.holderOf(player);
  }

  /**
   * The connection with this id has ended (the server saw it; no will needed): whoever sat
   * through it is gone, as if it had said so.
   */
  connectionGone(connection: string): void {
    for (const player of this.seats.heldBy(connection)) this.playerLeft(player, 'connection closed');
  }

  /** Whether `token` is the token of a seat `clientId` holds here. */
  proves(clientId: string, token: string): boolean {
    return this.seats.proves(clientId, token);
  }

  /** What to save so the game survives a restart; null when no game is in progress. */
  snapshot(): RoomSnapshot | null {
    const { status, score, config } = this.game;
    if (status !== 'playing' && status !== 'paused') return null;
    return {
      p1Score: score.p1,
      p2Score: score.p2,
      servingPlayer: this.game.servingPlayer ?? this.rallyServer ?? 1,
      pointsToWin: config.pointsToWin,
      rev: this.stateRev,
      seats: this.seats.saved(),
    };
  }

  /**
   * Starts the 60 Hz loop, which runs while anyone is in the game; after a stop() the game
   * resumes exactly where it was.
   */
  start(): void {
    this.subscribe();
    this.started = true;
    this.tickIfOccupied();
  }

  /** Stops the loop and leaves the bus; the game state is kept for a later start(). */
  stop(): void {
    this.started = false;
    this.loop?.stop();
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
  }

  /** Stops for good and clears what it left retained (its state and stats), so it is not listed as a game. */
  close(): void {
    this.stop();
    this.bus.publish(topics.state(this.gameId), '', { qos: 1, retain: true });
    this.bus.publish(topics.stats(this.gameId), '', { qos: 0, retain: true });
  }

  /**
   * Someone is in the game or has a seat kept in it, or a game is in progress (a restored one
   * waits for its players): then it ticks. An empty waiting room costs nothing.
   */
  private occupied(): boolean {
    const { status, present } = this.game;
    return present.p1 || present.p2 || status === 'playing' || status === 'paused';
  }

  private tickIfOccupied(): void {
    if (!this.started || !this.occupied()) {
      // An empty room keeps no histograms: a thousand of them would hold megabytes for nobody.
      if (!this.occupied()) this.latency.clear();
      this.loop?.stop();
      return;
    }
    if (this.loop === null) {
      this.loop = this.scheduler?.ticker((tick) => this.tick(tick.actual)) ?? new FixedRateLoop({
        clock: this.clock,
        fps: this.fps,
        ...(this.timers === undefined ? {} : { timers: this.timers }),
        ...(this.spinMs === undefined ? {} : { spinMs: this.spinMs }),
        onTick: (tick) => this.tick(tick.actual),
      });
    }
    if (!this.loop.running) this.loop.start();
  }

  /**
   * One simulation tick and its publications; the loop calls it, tests call it directly. The
   * ball frame goes last: the players' acks for it can only be read once the tick is over, so
   * any work after it would be counted in their round trip.
   */
  tick(now: number): void {
    const result = advance(this.game);
    this.game = result.state;
    this.report(result.events);
    this.checkSeats(now);
    this.publishStateIfChanged(now);
    this.ticksSinceStats += 1;
    if (now - this.statsAt >= this.statsIntervalMs) this.publishStats(now);
    this.publishBall();
  }

  /**
   * A player's connection is gone; the score stays. During a game their seat is kept for them
   * (the game pauses until they re-join or forfeit); otherwise it is free for anyone.
   */
  playerLeft(player: PlayerNumber, reason = 'left'): void {
    if (!this.game.present[seat(player)]) return;
    const keep = this.game.status === 'playing' || this.game.status === 'paused';
    this.seats.gone(player, this.clock(), keep);
    this.log(`[${this.gameId}] p${player} gone (${reason})${keep ? ', seat kept' : ''}`);
    this.command({ kind: 'leave', player });
  }

  /**
   * Handles one message as if it came off the bus (the room manager forwards the first join).
   * `at` is when it arrived, if the bus stamped it; otherwise now. `sender` is the connection it
   * came from, where a gateway of this server knows it.
   */
  deliver(topic: string, payload: string, at?: number, sender?: Sender): void {
    const parsed = parseTopic(topic);
    if (parsed === null || parsed.gameId !== this.gameId) return;
    switch (parsed.kind) {
      case 'paddle':
        return this.onPaddle(parsed.player, payload, sender);
      case 'ack': {
        const now = at ?? this.clock();
        const ack = this.decode('ack', payload);
        if (ack === null) return;
        this.latency.playerAck(parsed.player, ack, now);
        this.seats.ack(parsed.player, now);
        return;
      }
      case 'watcherAck': {
        const now = at ?? this.clock();
        const ack = this.decode('watcherAck', payload);
        if (ack === null) return;
        this.latency.watcherAck(parsed.clientId, ack, now);
        this.lastActivityAt = now;
        return;
      }
      case 'join':
        return this.onJoin(payload, sender);
      case 'leave':
        return this.onLeave(payload, sender);
      case 'serve':
      case 'restart':
      case 'ready': {
        const message = this.decode(parsed.kind, payload);
        if (message === null) return;
        if (!this.seats.allows(message.player, { sender: sender?.clientId, token: message.token })) {
          return this.drops.record(parsed.kind, 'bad-token');
        }
        this.command({ kind: parsed.kind, player: message.player });
        return;
      }
      case 'ball':
      case 'state':
      case 'stats':
      case 'seat':
        // Our own publications; the room does not subscribe to them.
        return;
    }
  }

  private subscribe(): void {
    if (this.unsubscribers.length > 0) return;
    const id = this.gameId;
    const handler = (message: BusMessage) => this.deliver(message.topic, message.payload, message.at, message.sender);
    const filters = [
      topics.paddle(id, 1),
      topics.paddle(id, 2),
      topics.ack(id, 1),
      topics.ack(id, 2),
      topics.watcherAck(id, '+'),
      topics.join(id),
      topics.leave(id),
      topics.serve(id),
      topics.restart(id),
      topics.ready(id),
    ];
    this.unsubscribers = filters.map((filter) => this.bus.subscribe(filter, handler));
  }

  private decode<K extends PayloadKind>(kind: K, payload: string) {
    const result = decodePayload(kind, payload);
    if (result.ok) return result.value;
    this.drops.record(kind, result.reason);
    return null;
  }

  private onPaddle(player: PlayerNumber, payload: string, sender: Sender | undefined): void {
    const message = this.decode('paddle', payload);
    if (message === null) return;
    if (!this.seats.allows(player, { sender: sender?.clientId, token: message.token })) return this.drops.record('paddle', 'bad-token');
    const key = seat(player);
    const last = this.lastPaddleSeq[key];
    if (message.seq !== undefined) {
      if (last !== undefined && message.seq <= last && last - message.seq < PADDLE_SEQ_RESTART_GAP) return;
      this.lastPaddleSeq[key] = message.seq;
    }
    const paddles = { ...this.game.paddles, [key]: withTarget(this.game.paddles[key], message.y, this.game.config) };
    this.game = { ...this.game, paddles };
  }

  private onJoin(payload: string, sender: Sender | undefined): void {
    const join = this.decode('join', payload);
    if (join === null) return;
    const now = this.clock();
    this.lastActivityAt = now;
    if (join.spectator === true || join.player === undefined) return;
    const player = join.player;
    // Verified: the connection it came from holds the id it names (the gateways refuse a join
    // naming another's), so the connection, not a token in every message, proves the seat.
    const verified = sender?.clientId != null && sender.clientId === join.clientId;
    const outcome = this.seats.join(player, { clientId: join.clientId, token: join.token, verified, connection: sender?.clientId }, now);
    if (join.clientId !== undefined) {
      const answer: SeatMessage = { player, granted: outcome.granted, timestamp: round(now, 3) };
      if (outcome.granted && outcome.token !== null) answer.token = outcome.token;
      if (outcome.granted && outcome.tokenInMessages) answer.tokenInMessages = true;
      if (!outcome.granted) answer.reason = 'seat taken';
      this.answer(join.clientId, answer);
    }
    if (!outcome.granted) {
      this.drops.record('join', 'seat-taken');
      return;
    }
    if (outcome.previous !== null) {
      // Its token moved the seat to a newer client of the same player: the old one is told.
      this.answer(outcome.previous, { player, granted: false, timestamp: round(now, 3), reason: 'taken over' });
      this.log(`[${this.gameId}] p${player} taken over by a newer connection`);
    }
    const fresh = !this.game.present[seat(player)];
    this.latency.seatTaken(player, join.transport, fresh && !outcome.back);
    if (fresh) {
      this.lastPaddleSeq[seat(player)] = undefined;
      const how = outcome.back ? 'is back' : 'joined';
      this.log(`[${this.gameId}] p${player} ${how}${join.transport ? ` over ${join.transport}` : ''}`);
    }
    this.command({ kind: 'join', player });
  }

  /** A seat answer goes to its client alone: it may hold the seat's secret token. */
  private answer(clientId: string, answer: SeatMessage): void {
    this.bus.publish(topics.seat(this.gameId, clientId), JSON.stringify(answer), { qos: 1, retain: false, to: clientId });
  }

  private onLeave(payload: string, sender: Sender | undefined): void {
    const leave = this.decode('leave', payload);
    if (leave === null) return;
    if (!this.seats.isHolder(leave.player, { sender: sender?.clientId, clientId: leave.clientId, token: leave.token })) {
      return this.drops.record('leave', 'bad-token');
    }
    this.playerLeft(leave.player, leave.reason ?? 'left');
  }

  /** Silent players are gone; missing ones who are out of time forfeit. */
  private checkSeats(now: number): void {
    for (const player of this.seats.silent(now, this.ackTimeoutMs)) {
      this.playerLeft(player, `no acks for ${Math.round(this.ackTimeoutMs / 1000)} s`);
    }
    const due = this.seats.due(now);
    if (due === null) return;
    if (due.kind === 'abandon') {
      this.seats.free(1);
      this.seats.free(2);
      this.command({ kind: 'abandon', player: 1 });
    } else {
      this.seats.free(due.player);
      this.command({ kind: 'forfeit', player: due.player });
    }
  }

  private command(command: Command): void {
    const result = applyCommand(this.game, command);
    this.game = result.state;
    // Nothing to come back to once a game is over: kept seats are free again.
    if (this.game.status !== 'playing' && this.game.status !== 'paused') this.seats.freeAbsent();
    this.report(result.events);
    this.publishStateIfChanged(this.clock());
    this.tickIfOccupied();
  }

  private report(events: readonly GameEvent[]): void {
    for (const event of events) {
      if (event.type === 'serve') this.rallyServer = event.player;
      const line = describe(event, this.game);
      if (line !== null) this.log(`[${this.gameId}] ${line}`);
    }
  }

  private publishBall(): void {
    this.frameSeq += 1;
    const text = ballFrameText(this.game, this.frameSeq, this.clock);
    this.bus.publish(this.ballTopic, text, BALL_OPTIONS);
    this.latency.frameSent(this.frameSeq, this.game.present);
  }

  private absence(): Absence {
    return { missing: this.seats.missing(), forfeitAt: this.seats.forfeitAt() };
  }

  private publishStateIfChanged(now: number): void {
    if (this.keyInputsUnchanged()) return;
    if (stateKey(this.game, this.absence()) !== this.publishedKey) this.publishState(now);
    else this.keyedFrom = this.keyInputs();
  }

  /**
   * Whether nothing stateKey reads has changed since publishedKey was made: then neither has
   * the key. Most ticks only move the ball, and this spares building the key string for them.
   * The seats' absence (missing, forfeitAt) is a function of their two goneAt times.
   */
  private keyInputsUnchanged(): boolean {
    const k = this.keyedFrom;
    const g = this.game;
    return (
      k !== null &&
      k.status === g.status &&
      k.p1Score === g.score.p1 &&
      k.p2Score === g.score.p2 &&
      k.servingPlayer === g.servingPlayer &&
      k.winner === g.winner &&
      k.p1Present === g.present.p1 &&
      k.p2Present === g.present.p2 &&
      k.autoServeTick === g.autoServeTick &&
      k.forfeit === g.forfeit &&
      k.p1GoneAt === this.seats.goneAt(1) &&
      k.p2GoneAt === this.seats.goneAt(2)
    );
  }

  private keyInputs(): KeyInputs {
    const g = this.game;
    return {
      status: g.status,
      p1Score: g.score.p1,
      p2Score: g.score.p2,
      servingPlayer: g.servingPlayer,
      winner: g.winner,
      p1Present: g.present.p1,
      p2Present: g.present.p2,
      autoServeTick: g.autoServeTick,
      forfeit: g.forfeit,
      p1GoneAt: this.seats.goneAt(1),
      p2GoneAt: this.seats.goneAt(2),
    };
  }

  private publishState(now: number): void {
    const absence = this.absence();
    this.publishedKey = stateKey(this.game, absence);
    this.keyedFrom = this.keyInputs();
    this.stateRev += 1;
    const message = stateMessage(this.game, now, this.stateRev, absence);
    this.bus.publish(topics.state(this.gameId), JSON.stringify(message), { qos: 1, retain: true });
    this.onStateChange?.(this);
  }

  private publishStats(now: number): void {
    this.latency.expireWatchers(now);
    const stats: StatsMessage = { timestamp: round(now, 3), ...this.latency.snapshot() };
    if (this.drops.total > 0) stats.dropped = this.drops.snapshot();
    const elapsed = now - this.statsAt;
    if (elapsed > 0) {
      const errorP99 = this.loop?.running ? this.loop.errorSummary().p99 : 0;
      stats.tick = { hz: round((this.ticksSinceStats * 1000) / elapsed, 2), errorP99: round(errorP99, 3) };
    }
    this.statsAt = now;
    this.ticksSinceStats = 0;
    this.bus.publish(topics.stats(this.gameId), JSON.stringify(stats), { qos: 0, retain: true });
    for (const [clientId, summary] of this.latency.watcherSummaries()) {
      const message = { timestamp: round(now, 3), ...summary };
      this.bus.publish(topics.watcherStats(this.gameId, clientId), JSON.stringify(message), { qos: 0 });
    }
  }
}

function describe(event: GameEvent, game: GameState): string | null {
  switch (event.type) {
    case 'start':
      return `game on, first to ${game.config.pointsToWin}`;
    case 'score':
      return `p${event.scorer} scores, ${event.score.p1}-${event.score.p2}`;
    case 'end':
      return `p${event.winner} wins ${game.score.p1}-${game.score.p2}${event.forfeit ? ' by forfeit' : ''}`;
    case 'abandon':
      return 'abandoned: nobody came back';
    case 'pause':
      return 'paused';
    case 'resume':
      return 'resumed';
    case 'serve':
    case 'wall':
    case 'paddle':
      return null;
  }
}

/** FNV-1a of the id mixed with the start time: distinct rooms and runs serve differently. */
function seedFrom(gameId: string, now: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < gameId.length; i++) hash = Math.imul(hash ^ gameId.charCodeAt(i), 0x01000193);
  return (hash ^ Math.floor(now)) >>> 0;
}
