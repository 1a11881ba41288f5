/**
 * One client's view of one game, over any transport: joins (as a player or a watcher),
 * acknowledges every ball frame, measures one-way latency, and keeps the ClientViewState the
 * UI and the bot read, from the server's messages. It never asks which transport it has.
 *
 * What it receives is its GameFeed's (frames, acks, state, the server's reports); a player's
 * seat is its SeatHolder's (join, token, re-join, will, leave) and its paddle goes through a
 * PaddleOutbox (one message a tick); this composes them, with the connection and the view.
 */
import type { PlayerNumber, SeatMessage, StateMessage } from '../protocol/messages.js';
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import { topics } from '../protocol/topics.js';
import type { DropCounter } from '../protocol/drop-counter.js';
import { FrameLatency } from '../metrics/frame-latency.js';
import { systemClock, type Clock } from '../metrics/clock.js';
import type { ConnectionStatus, TransportClient } from '../transports/transport.js';
import type { ClientControls, ClientRole, ClientViewState, ViewSource } from './view-state.js';
import { PaddleOutbox, systemTimers, type OutboxTimers } from './paddle-outbox.js';
import { REJOIN_INTERVAL_MS, SeatHolder } from './seat-holder.js';
import { ClassicPaddles } from './classic-paddles.js';
import { CENTRE_Y, GameFeed } from './game-feed.js';

export interface SessionOptions {
  gameId: string;
  role: ClientRole;
  transport: TransportClient;
  clientId: string;
  name?: string;
  clock?: Clock;
  /** Watchers ack too by default, so the server can measure their latency. */
  ack?: boolean;
  /** How often the latency snapshot in the view state is recomputed (ms). */
  latencyRefreshMs?: number;
  /** The paddle outbox's and the seat check's timers (tests pace them without waiting). */
  timers?: OutboxTimers;
}

export class GameSession implements ViewSource, ClientControls {
  private readonly clock: Clock;
  private readonly latency = new FrameLatency();
  private readonly feed: GameFeed;
  private readonly listeners = new Set<() => void>();
  private readonly quitWaiters: Array<() => void> = [];
  private readonly unsubscribers: Array<() => void> = [];

  private connection: ConnectionStatus;
  private connectionDetail: string | undefined;
  /** Where this player wants its paddle: drawn at once, before the server confirms it. */
  private ownPaddle: number | null = null;
  /** Only a player's: its seat, and its paddle on the way to the server. */
  private readonly seat: SeatHolder | null;
  private readonly outbox: PaddleOutbox | null;
  private latencySnapshot = FrameLatency.empty();
  private latencyTakenAt = -Infinity;
  private snapshot: ClientViewState | null = null;
  private quitRequested = false;
  /** A player's seat check, while nothing else paces it (a waiting game sends no frames). */
  private seatCheck: unknown = null;
  private readonly connectionListeners = new Set<(status: ConnectionStatus, detail: string | undefined) => void>();

  constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.connection = options.transport.status;
    const { role } = options;
    const player = role.kind === 'player' ? role.player : null;
    this.feed = new GameFeed({
      gameId: options.gameId,
      clientId: options.clientId,
      player,
      ack: options.ack ?? true,
      latency: this.latency,
      classicPaddles: new ClassicPaddles(options.transport, options.gameId, player),
      publishAck: (topic, text) => this.publish(topic, text, 0),
      onFrame: (rx) => this.rejoinIfForgotten(rx),
      onSeatAnswer: (seat) => this.onSeatAnswer(seat),
      changed: () => this.changed(),
    });
    if (role.kind === 'player') {
      this.ownPaddle = CENTRE_Y;
      this.seat = new SeatHolder({
        gameId: options.gameId,
        clientId: options.clientId,
        player: role.player,
        name: options.name,
        transport: options.transport,
        clock: this.clock,
        publish: (topic, body, qos) => this.publish(topic, body, qos),
      });
      const paddleTopic = topics.paddle(options.gameId, role.player);
      this.outbox = new PaddleOutbox(
        (y, seq) => this.publish(paddleTopic, { y, timestamp: this.now(), seq, ...this.seat!.proof() }, 0),
        () => this.ownPaddle ?? CENTRE_Y,
        this.clock,
        options.timers,
      );
    } else {
      this.seat = null;
      this.outbox = null;
    }
  }

  get role(): ClientRole {
    return this.options.role;
  }

  get player(): PlayerNumber | null {
    return this.options.role.kind === 'player' ? this.options.role.player : null;
  }

  /** Messages from the server dropped as malformed, by kind and reason. */
  get dropped(): DropCounter {
    return this.feed.dropped;
  }

  /**
   * A seat token from an earlier run, presented in the join to get that seat back; with
   * `tokenInMessages` as that run's grant said (the server could not see its connections: then the
   * token is not shown on connecting either, since the broker is not the server's). Call before start().
   */
  useToken(token: string, tokenInMessages = false): void {
    this.seat?.useToken(token, tokenInMessages);
  }

  /** The seat token the server granted, if any. */
  get seatToken(): string | null {
    return this.seat?.seatToken ?? null;
  }

  /** Every change of the connection's status, with its detail (e.g. `closed`, `taken-over`). */
  onConnection(listener: (status: ConnectionStatus, detail: string | undefined) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Every answer the server gives to our joins (grants with their token, refusals). */
  onSeat(listener: (seat: SeatMessage) => void): () => void {
    return this.seat?.onSeat(listener) ?? (() => {});
  }

  /** Connects, subscribes to the game and announces itself. Rejects if unreachable. */
  async start(): Promise<void> {
    const { transport } = this.options;
    this.unsubscribers.push(
      transport.onMessage((topic, payload) => this.onMessage(topic, payload)),
      transport.onStatus((status, detail) => this.onStatus(status, detail)),
    );
    for (const filter of this.feed.subscriptions()) transport.subscribe(filter);
    this.seat?.registerWill();
    if (this.seat !== null) this.checkSeatLater();
    await transport.connect();
    // Announces, unless the transport already reported the connection (and we announced then).
    this.onStatus(transport.status);
  }

  /** Leaves the seat (it stays ours until the game ends or we forfeit) and disconnects. */
  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    if (this.seatCheck !== null) (this.options.timers ?? systemTimers).clearTimeout(this.seatCheck);
    this.seatCheck = null;
    this.outbox?.close();
    if (this.seat?.isSeated === true && this.options.transport.status === 'connected') {
      this.publish(topics.leave(this.options.gameId), this.seat.leave('quit'), 1);
    }
    await this.options.transport.close();
  }

  // --- ViewSource -------------------------------------------------------------------------

  getState(): ClientViewState {
    if (this.snapshot === null) {
      const now = this.clock();
      if (now - this.latencyTakenAt >= (this.options.latencyRefreshMs ?? 250)) {
        this.latencySnapshot = this.latency.snapshot();
        this.latencyTakenAt = now;
      }
      const paddles = { ...this.feed.paddles };
      const player = this.player;
      if (player !== null && this.ownPaddle !== null) paddles[player === 1 ? 'p1' : 'p2'] = this.ownPaddle;
      this.snapshot = {
        gameId: this.options.gameId,
        role: this.options.role,
        transport: this.options.transport.name,
        connection: this.connection,
        ...(this.connectionDetail !== undefined ? { connectionDetail: this.connectionDetail } : {}),
        ball: this.feed.ball,
        paddles,
        state: this.feed.state,
        latency: this.latencySnapshot,
        serverStats: this.feed.ownServerStats(),
      };
    }
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- ClientControls ---------------------------------------------------------------------

  movePaddleTo(y: number): void {
    const player = this.player;
    if (player === null || !Number.isFinite(y)) return;
    const clamped = Math.min(COURT_HEIGHT - PADDLE_HEIGHT, Math.max(0, y));
    const rounded = Math.round(clamped * 1000) / 1000;
    if (rounded === this.ownPaddle) return;
    this.ownPaddle = rounded;
    // Moves made before our first join is answered wait for the grant, which sends the latest.
    if (this.seat?.awaitingSeat(this.now()) !== true) this.outbox?.schedule();
    this.changed();
  }

  serve(): void {
    this.command('serve');
  }

  restart(): void {
    this.command('restart');
  }

  ready(): void {
    this.command('ready');
  }

  quit(): void {
    this.quitRequested = true;
    for (const resolve of this.quitWaiters.splice(0)) resolve();
  }

  /** Resolves when the user asks to quit (q, Ctrl-C in the UI). */
  waitForQuit(): Promise<void> {
    if (this.quitRequested) return Promise.resolve();
    return new Promise((resolve) => this.quitWaiters.push(resolve));
  }

  /** Resolves with the first game state that passes the test (now or later). */
  waitForState(test: (state: StateMessage) => boolean): Promise<StateMessage> {
    return this.feed.waitForState(test);
  }

  // --- incoming ----------------------------------------------------------------------------

  private onMessage(topic: string, payload: string): void {
    // Taken first: everything after this line is processing time, not network time.
    this.feed.onMessage(topic, payload, this.now());
  }

  private onSeatAnswer(seat: SeatMessage): void {
    // Moves made while the grant was on its way were held back; the paddle catches up now.
    if (this.seat?.answer(seat) === true) this.outbox?.flush();
  }

  /** Frames keep coming while a game is paused, so they pace the re-joins too. */
  private rejoinIfForgotten(now: number): void {
    if (this.seat?.forgotten(this.feed.state, this.connection === 'connected', now) === true) this.announce();
  }

  /** Without frames (a game waiting for us, our join lost on its way) a timer asks instead. */
  private checkSeatLater(): void {
    const timers = this.options.timers ?? systemTimers;
    const handle = timers.setTimeout(() => {
      this.rejoinIfForgotten(this.now());
      this.checkSeatLater();
    }, REJOIN_INTERVAL_MS);
    // In Node a seat check alone does not keep the process alive.
    (handle as { unref?: () => void } | null)?.unref?.();
    this.seatCheck = handle;
  }

  private onStatus(status: ConnectionStatus, detail?: string): void {
    const wasConnected = this.connection === 'connected';
    this.connection = status;
    this.connectionDetail = detail;
    // Back after a drop: say who we are again so the server seats us.
    if (status === 'connected' && !wasConnected && this.unsubscribers.length > 0) this.announce();
    for (const listener of this.connectionListeners) listener(status, detail);
    this.changed();
  }

  // --- outgoing ----------------------------------------------------------------------------

  private announce(): void {
    const { gameId, clientId, name, transport } = this.options;
    if (this.seat === null) {
      this.publish(topics.join(gameId), { spectator: true, timestamp: this.now(), clientId, transport: transport.name, ...(name ? { name } : {}) }, 1);
      return;
    }
    this.seat.join({ transport: transport.name });
    // Before the grant, a paddle would be for a seat not yet ours.
    if (this.seat.hasToken) this.outbox?.flush();
  }

  private command(kind: 'serve' | 'restart' | 'ready'): void {
    const player = this.player;
    if (player === null || this.seat === null) return;
    this.publish(topics[kind](this.options.gameId), { player, timestamp: this.now(), ...this.seat.proof() }, 1);
  }

  /** `body` is a message, or one already written as JSON. */
  private publish(topic: string, body: object | string, qos: 0 | 1): void {
    if (this.options.transport.status !== 'connected' && qos === 0) return;
    this.options.transport.publish(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos, retain: false });
  }

  private now(): number {
    return this.clock();
  }

  private changed(): void {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  }
}
