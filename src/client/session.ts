/**
 * One client's view of one game, over any transport: joins (as a player or a watcher),
 * acknowledges every ball frame, measures one-way latency, and keeps the ClientViewState the
 * UI and the bot read, from the server's messages. It never asks which transport it has.
 *
 * A player's seat is its SeatHolder's (join, token, re-join, will, leave) and its paddle goes
 * through a PaddleOutbox (one message a tick); this composes them.
 */
import type {
  BallMessage,
  PeerLatencyStats,
  PlayerNumber,
  SeatMessage,
  StateMessage,
  StatsMessage,
} from '../protocol/messages.js';
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import { parseTopic, topics } from '../protocol/topics.js';
import { ackText } from '../protocol/ack-text.js';
import { DropCounter } from '../protocol/drop-counter.js';
import { decodePayload, decodeParsed, parsePayload } from '../protocol/validate.js';
import { FrameLatency } from '../metrics/frame-latency.js';
import { systemClock, type Clock } from '../metrics/clock.js';
import type { ConnectionStatus, TransportClient } from '../transports/transport.js';
import type { ClientControls, ClientRole, ClientViewState, ViewSource } from './view-state.js';
import { PaddleOutbox, type OutboxTimers } from './paddle-outbox.js';
import { SeatHolder } from './seat-holder.js';
import { ClassicPaddles } from './classic-paddles.js';
import { FrameNumbering } from './frame-numbering.js';

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
  /** The paddle outbox's timers (tests pace it without waiting). */
  timers?: OutboxTimers;
}

const CENTRE_Y = (COURT_HEIGHT - PADDLE_HEIGHT) / 2;

export class GameSession implements ViewSource, ClientControls {
  readonly dropped = new DropCounter();
  private readonly clock: Clock;
  private readonly latency = new FrameLatency();
  private readonly listeners = new Set<() => void>();
  private readonly quitWaiters: Array<() => void> = [];
  private readonly stateWaiters: Array<{ test: (s: StateMessage) => boolean; resolve: (s: StateMessage) => void }> = [];
  private readonly unsubscribers: Array<() => void> = [];

  private connection: ConnectionStatus;
  private connectionDetail: string | undefined;
  private ball: BallMessage | null = null;
  private state: StateMessage | null = null;
  private stats: StatsMessage | null = null;
  private watcherStats: PeerLatencyStats | null = null;
  private paddles = { p1: CENTRE_Y, p2: CENTRE_Y };
  /** Where this player wants its paddle: drawn at once, before the server confirms it. */
  private ownPaddle: number | null = null;
  /** Only a player's: its seat, and its paddle on the way to the server. */
  private readonly seat: SeatHolder | null;
  private readonly outbox: PaddleOutbox | null;
  private latencySnapshot = FrameLatency.empty();
  private latencyTakenAt = -Infinity;
  private snapshot: ClientViewState | null = null;
  private quitRequested = false;
  private readonly connectionListeners = new Set<(status: ConnectionStatus, detail: string | undefined) => void>();
  private readonly classicPaddles: ClassicPaddles;
  private readonly numbering = new FrameNumbering();

  constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.connection = options.transport.status;
    const { role } = options;
    this.classicPaddles = new ClassicPaddles(options.transport, options.gameId, role.kind === 'player' ? role.player : null);
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
    for (const filter of this.subscriptions()) transport.subscribe(filter);
    this.seat?.registerWill();
    await transport.connect();
    // Announces, unless the transport already reported the connection (and we announced then).
    this.onStatus(transport.status);
  }

  /** Leaves the seat (it stays ours until the game ends or we forfeit) and disconnects. */
  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.outbox?.close();
    if (this.seat?.isSeated === true && this.options.transport.status === 'connected') {
      this.publish(topics.leave(this.options.gameId), this.seat.leave('quit'), 1);
    }
    await this.options.transport.close();
  }

  /**
   * Only what this client draws or measures: with `#` every client would also receive every
   * other client's 60 Hz acks, which grows with the square of the audience.
   */
  private subscriptions(): string[] {
    const { gameId, clientId } = this.options;
    const filters = [topics.ball(gameId), topics.state(gameId), topics.stats(gameId), ...this.classicPaddles.topics()];
    if (this.player === null) filters.push(topics.watcherStats(gameId, clientId));
    else filters.push(topics.seat(gameId, clientId));
    return filters;
  }

  // --- ViewSource -------------------------------------------------------------------------

  getState(): ClientViewState {
    if (this.snapshot === null) {
      const now = this.clock();
      if (now - this.latencyTakenAt >= (this.options.latencyRefreshMs ?? 250)) {
        this.latencySnapshot = this.latency.snapshot();
        this.latencyTakenAt = now;
      }
      const paddles = { ...this.paddles };
      const player = this.player;
      if (player !== null && this.ownPaddle !== null) paddles[player === 1 ? 'p1' : 'p2'] = this.ownPaddle;
      this.snapshot = {
        gameId: this.options.gameId,
        role: this.options.role,
        transport: this.options.transport.name,
        connection: this.connection,
        ...(this.connectionDetail !== undefined ? { connectionDetail: this.connectionDetail } : {}),
        ball: this.ball,
        paddles,
        state: this.state,
        latency: this.latencySnapshot,
        serverStats: this.ownServerStats(),
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
    if (this.state && test(this.state)) return Promise.resolve(this.state);
    return new Promise((resolve) => this.stateWaiters.push({ test, resolve }));
  }

  // --- incoming ----------------------------------------------------------------------------

  private onMessage(topic: string, payload: string): void {
    // Taken first: everything after this line is processing time, not network time.
    const rx = this.now();
    const parsed = parseTopic(topic);
    if (parsed === null || parsed.gameId !== this.options.gameId) return;
    switch (parsed.kind) {
      case 'ball':
        return this.onBall(payload, rx);
      case 'state':
        return this.onState(payload);
      case 'stats':
        return this.onStats(payload);
      case 'watcherStats': {
        if (parsed.clientId !== this.options.clientId) return;
        const decoded = decodePayload('watcherStats', payload);
        if (!decoded.ok) return this.dropped.record('watcherStats', decoded.reason);
        this.watcherStats = decoded.value;
        if (decoded.value.samples > 0) this.latency.setOffset(decoded.value.offset);
        return this.changed();
      }
      case 'seat':
        if (parsed.clientId === this.options.clientId) this.onSeatAnswer(payload);
        return;
      case 'paddle': {
        // Classic servers don't put paddles in ball frames; take them from the paddle topics.
        // One still in flight when we stopped listening is older than the frames' own.
        if (!this.classicPaddles.wants(parsed.player)) return;
        const decoded = decodePayload('paddle', payload);
        if (!decoded.ok) return this.dropped.record('paddle', decoded.reason);
        this.paddles[parsed.player === 1 ? 'p1' : 'p2'] = decoded.value.y;
        return this.changed();
      }
      default:
        return;
    }
  }

  private onBall(payload: string, rx: number): void {
    const parsed = parsePayload(payload);
    if (!parsed.ok) return this.dropped.record('ball', parsed.reason);
    // The ack goes first, on seq and timestamp alone: every check before it would be counted
    // as network latency. A frame that then fails its checks is dropped all the same. A frame
    // without seq (a classic server's, which reads no acks) is not acked.
    if (this.options.ack ?? true) this.acknowledge(parsed.value, rx);
    const decoded = decodeParsed('ball', parsed.value);
    if (!decoded.ok) return this.dropped.record('ball', decoded.reason);
    const ball = this.numbering.number(decoded.value);
    this.rejoinIfForgotten(rx);
    this.latency.onFrame(decoded.value.seq ?? null, ball.timestamp, rx);
    this.ball = ball;
    this.classicPaddles.follow(ball);
    if (ball.p1y !== undefined) this.paddles.p1 = ball.p1y;
    if (ball.p2y !== undefined) this.paddles.p2 = ball.p2y;
    this.changed();
  }

  private acknowledge(frame: unknown, rx: number): void {
    const ack = ackText(frame, rx);
    if (ack === null) return;
    const { gameId, clientId } = this.options;
    const player = this.player;
    const topic = player !== null ? topics.ack(gameId, player) : topics.watcherAck(gameId, clientId);
    this.publish(topic, ack, 0);
  }

  private onState(payload: string): void {
    // An empty retained state: the room closed (nobody was in it); there is no game to show.
    if (payload.length === 0) {
      this.state = null;
      return this.changed();
    }
    const decoded = decodePayload('state', payload);
    if (!decoded.ok) return this.dropped.record('state', decoded.reason);
    const state = decoded.value;
    // A retained copy can arrive after a fresher live one (e.g. on resubscribe): keep the
    // newest. A restarted server counts from 1 again, which starts a new history.
    const current = this.state?.rev;
    if (current !== undefined && state.rev !== undefined && state.rev < current && state.rev > 1) return;
    this.state = state;
    for (const waiter of [...this.stateWaiters]) {
      if (waiter.test(state)) {
        this.stateWaiters.splice(this.stateWaiters.indexOf(waiter), 1);
        waiter.resolve(state);
      }
    }
    this.changed();
  }

  private onSeatAnswer(payload: string): void {
    const decoded = decodePayload('seat', payload);
    if (!decoded.ok) return this.dropped.record('seat', decoded.reason);
    if (decoded.value.player !== this.player) return;
    // Moves made while the grant was on its way were held back; the paddle catches up now.
    if (this.seat?.answer(decoded.value) === true) this.outbox?.flush();
  }

  /** Frames keep coming while a game is paused, so they pace the re-joins too. */
  private rejoinIfForgotten(now: number): void {
    if (this.seat?.forgotten(this.state, this.connection === 'connected', now) === true) this.announce();
  }

  private onStats(payload: string): void {
    // Cleared with its room: nothing to measure against.
    if (payload.length === 0) return;
    const decoded = decodePayload('stats', payload);
    if (!decoded.ok) return this.dropped.record('stats', decoded.reason);
    this.stats = decoded.value;
    const own = this.ownServerStats();
    if (own && own.samples > 0) this.latency.setOffset(own.offset);
    this.changed();
  }

  private ownServerStats() {
    const player = this.player;
    if (player === null) return this.watcherStats;
    return (player === 1 ? this.stats?.p1 : this.stats?.p2) ?? null;
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
