/**
 * One authoritative game on the topic bus. Its inbox takes the game's client messages, one
 * handler per kind (see room-inbox.ts); it keeps the pure game state and the seats; and at every
 * tick of its loop (injected: the server's shared one, or its own) publishes a ball frame, the
 * retained state when it changed (state-publisher.ts) and the stats about twice a second. It
 * ticks only while somebody is in it. It never learns which transport a message came from, only
 * which connection, where a gateway of the server saw it; what fails to decode is counted.
 */
import type { BusMessage, BusView } from '../bus/bus.js';
import type { Clock } from '../metrics/clock.js';
import { DEFAULT_FPS, DEFAULT_POINTS } from '../protocol/constants.js';
import { DropCounter } from '../protocol/drop-counter.js';
import type { CommandMessage, PlayerNumber } from '../protocol/messages.js';
import { parseTopic, topics } from '../protocol/topics.js';
import { DEFAULT_AUTO_SERVE_MS, ticksForMs } from './config.js';
import { LatencyBoard } from './latency-board.js';
import { createGame, seat, type Command, type GameEvent, type GameState } from './model.js';
import { withTarget } from './paddle.js';
import { RoomInbox, type Arrival, type InboxHandlers } from './room-inbox.js';
import { RoomSeating } from './room-seating.js';
import { describeEvent } from './room-log.js';
import { roomLoopFactory, type LoopFactory } from './room-loop.js';
import { advance, applyCommand } from './rules.js';
import type { RoomLoop } from './scheduler.js';
import { SeatBook } from './seat-book.js';
import { gameFromSnapshot, type RoomSnapshot } from './snapshot.js';
import { StatePublisher } from './state-publisher.js';
import { StatsPublisher } from './stats-publisher.js';
import { ballFrameText } from './wire.js';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_FORFEIT_AFTER_MS, type GameRoomOptions } from './room-options.js';

export { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_FORFEIT_AFTER_MS, type GameRoomOptions } from './room-options.js';

/**
 * Paddle messages may arrive out of order on unordered channels; an older one is ignored. A
 * seq far below the last one is a restarted client, not a late packet.
 */
const PADDLE_SEQ_RESTART_GAP = 600;

/** Latest-wins, never retained; one object for every frame of every room. */
const BALL_OPTIONS = Object.freeze({ qos: 0, retain: false } as const);

export class GameRoom {
  readonly gameId: string;
  private readonly bus: BusView;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly drops = new DropCounter();
  private readonly latency: LatencyBoard;
  private readonly seats: SeatBook;
  private readonly inbox: RoomInbox;
  private readonly statePublisher: StatePublisher;
  private readonly statsPublisher: StatsPublisher;
  private readonly makeLoop: LoopFactory;
  private readonly seating: RoomSeating;
  private readonly onStateChange: GameRoomOptions['onStateChange'];
  private readonly ballTopic: string;
  private game: GameState;
  /** Who served the rally in flight: a restart replays it from their serve. */
  private rallyServer: PlayerNumber | null = null;
  private frameSeq = 0;
  private readonly lastPaddleSeq: { p1: number | undefined; p2: number | undefined } = { p1: undefined, p2: undefined };
  private loop: RoomLoop | null = null;
  private started = false;
  /** Last time anyone was in the game, joined it or watched it. */
  private lastActivityAt: number;
  private unsubscribers: Array<() => void> = [];

  constructor(options: GameRoomOptions) {
    if (parseTopic(topics.ball(options.gameId)) === null) {
      throw new RangeError(`invalid game id: ${JSON.stringify(options.gameId)}`);
    }
    this.gameId = options.gameId;
    this.ballTopic = topics.ball(options.gameId);
    this.bus = options.bus;
    this.clock = options.clock;
    const fps = options.fps ?? DEFAULT_FPS;
    this.log = options.log ?? (() => {});
    this.makeLoop =
      options.loop ?? roomLoopFactory({ clock: options.clock, fps, scheduler: options.scheduler, timers: options.timers });
    this.latency = new LatencyBoard({ watcherTimeoutMs: options.watcherTimeoutMs ?? 10_000 });
    this.onStateChange = options.onStateChange;
    const forfeitAfterMs = options.forfeitAfterMs ?? DEFAULT_FORFEIT_AFTER_MS;
    this.seats = new SeatBook({ forfeitAfterMs, ...(options.newToken ? { newToken: options.newToken } : {}) });
    this.seating = new RoomSeating(
      {
        gameId: this.gameId,
        game: () => this.game,
        command: (command) => this.command(command),
        seatedAfresh: (player) => {
          this.lastPaddleSeq[seat(player)] = undefined;
        },
        log: (line) => this.log(`[${this.gameId}] ${line}`),
      },
      this.seats,
      this.latency,
      this.drops,
      this.bus,
      this.clock,
      options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS,
    );
    this.inbox = new RoomInbox(this.gameId, this.handlers(), this.drops, this.clock);
    const now = this.clock();
    this.game = createGame(
      {
        fps,
        pointsToWin: options.pointsToWin ?? DEFAULT_POINTS,
        autoServeTicks: ticksForMs(options.autoServeMs ?? DEFAULT_AUTO_SERVE_MS, fps),
      },
      options.seed ?? seedFrom(options.gameId, now),
    );
    this.statePublisher = new StatePublisher(this.bus, this.gameId, forfeitAfterMs, options.restore?.rev ?? 0, options.fence);
    this.frameSeq = options.firstSeq ?? 0;
    this.statsPublisher = new StatsPublisher(this.bus, this.gameId, options.statsIntervalMs ?? 500, now);
    if (options.restore !== undefined) {
      this.game = gameFromSnapshot(this.game, options.restore);
      this.seats.restore(options.restore.seats, now);
      this.log(`[${this.gameId}] restored ${this.game.score.p1}-${this.game.score.p2}, waiting for the players`);
    }
    this.lastActivityAt = now;
    this.subscribe();
    this.statePublisher.publishNow(this.game, this.seats, now);
    this.onStateChange?.(this);
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
    this.seating.connectionGone(connection);
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
      rev: this.statePublisher.rev,
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
   * One simulation tick and its publications; the loop calls it, tests call it directly. The
   * ball frame goes last: the players' acks for it can only be read once the tick is over, so
   * any work after it would be counted in their round trip.
   */
  tick(now: number): void {
    const result = advance(this.game);
    this.game = result.state;
    this.report(result.events);
    this.seating.check(now);
    this.publishStateIfChanged(now);
    this.statsPublisher.tick(now, this.latency, this.drops, this.tickErrorP99);
    this.publishBall();
  }

  /** Read by the stats about twice a second; made once, not a closure per tick. */
  private readonly tickErrorP99 = () => (this.loop?.running ? this.loop.errorSummary().p99 : 0);

  /**
   * A player's connection is gone; the score stays. During a game their seat is kept for them
   * (the game pauses until they re-join or forfeit); otherwise it is free for anyone.
   */
  playerLeft(player: PlayerNumber, reason = 'left'): void {
    this.seating.playerLeft(player, reason);
  }

  /**
   * Handles one message as if it came off the bus (the room manager forwards the first join).
   * `at` is when it arrived, if the bus stamped it; otherwise now. `sender` is the connection it
   * came from, where a gateway of this server knows it.
   */
  deliver(topic: string, payload: string, at?: number, sender?: BusMessage['sender']): void {
    this.inbox.deliver(topic, payload, at, sender);
  }

  /** One handler per kind a client may send; the inbox has decoded the payload. */
  private handlers(): InboxHandlers {
    const command = (kind: 'serve' | 'restart' | 'ready') => (message: CommandMessage, arrival: Arrival) => {
      const player = this.seating.commandSeat(message.player, arrival, kind === 'serve' ? this.game.servingPlayer : null);
      if (player === null) return this.drops.record(kind, 'no-seat');
      if (!this.seating.allows(player, arrival, message.token)) return this.drops.record(kind, 'bad-token');
      this.command({ kind, player });
    };
    return {
      paddle: (message, arrival) => {
        if (!('player' in arrival.topic)) return;
        const player = arrival.topic.player;
        if (!this.seating.allows(player, arrival, message.token)) return this.drops.record('paddle', 'bad-token');
        const key = seat(player);
        const last = this.lastPaddleSeq[key];
        if (message.seq !== undefined) {
          if (last !== undefined && message.seq <= last && last - message.seq < PADDLE_SEQ_RESTART_GAP) return;
          this.lastPaddleSeq[key] = message.seq;
        }
        const paddles = { ...this.game.paddles, [key]: withTarget(this.game.paddles[key], message.y, this.game.config) };
        this.game = { ...this.game, paddles };
      },
      ack: (ack, arrival) => {
        if (!('player' in arrival.topic)) return;
        this.latency.playerAck(arrival.topic.player, ack, arrival.at);
        this.seats.ack(arrival.topic.player, arrival.at);
      },
      watcherAck: (ack, arrival) => {
        if (!('clientId' in arrival.topic)) return;
        this.latency.watcherAck(arrival.topic.clientId, ack, arrival.at);
        this.lastActivityAt = arrival.at;
      },
      join: (join, arrival) => {
        this.lastActivityAt = arrival.at;
        this.seating.join(join, arrival);
      },
      leave: (leave, arrival) => this.seating.leave(leave, arrival),
      serve: command('serve'),
      restart: command('restart'),
      ready: command('ready'),
    };
  }

  private subscribe(): void {
    if (this.unsubscribers.length > 0) return;
    const handler = (message: BusMessage) => this.inbox.deliver(message.topic, message.payload, message.at, message.sender);
    this.unsubscribers = this.inbox.filters().map((filter) => this.bus.subscribe(filter, handler));
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
    this.loop ??= this.makeLoop((tick) => this.tick(tick.actual));
    if (!this.loop.running) this.loop.start();
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
      const line = describeEvent(event, this.game);
      if (line !== null) this.log(`[${this.gameId}] ${line}`);
    }
  }

  private publishBall(): void {
    this.frameSeq += 1;
    const text = ballFrameText(this.game, this.frameSeq, this.clock);
    this.bus.publish(this.ballTopic, text, BALL_OPTIONS);
    this.latency.frameSent(this.frameSeq, this.game.present);
  }

  private publishStateIfChanged(now: number): void {
    if (this.statePublisher.publishIfChanged(this.game, this.seats, now)) this.onStateChange?.(this);
  }
}

/** FNV-1a of the id mixed with the start time: distinct rooms and runs serve differently. */
function seedFrom(gameId: string, now: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < gameId.length; i++) hash = Math.imul(hash ^ gameId.charCodeAt(i), 0x01000193);
  return (hash ^ Math.floor(now)) >>> 0;
}
