/**
 * One client's view of one game, over any transport: joins (as a player or a watcher),
 * acknowledges every ball frame, measures one-way latency, and keeps the ClientViewState the
 * UI and the bot read. It never asks which transport it has.
 *
 * A player holds its seat with the token the server grants it: every paddle and command
 * carries it, a re-join after any reconnect presents it, and a will registered with the
 * transport tells the server the player is gone if the connection dies without a goodbye.
 */
import type {
  BallMessage,
  LeaveMessage,
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
}

const CENTRE_Y = (COURT_HEIGHT - PADDLE_HEIGHT) / 2;
/** One server tick at 60 Hz, a little less so a send never slips a whole tick behind. */
const PADDLE_INTERVAL_MS = 15;
/**
 * A seated player the server shows as absent (it restarted, or took us for gone while we were
 * slow) says who it is again, at most this often, until the state shows it back.
 */
const REJOIN_INTERVAL_MS = 1000;
/** A server that has not answered a join by then is a classic one, which grants no tokens. */
const SEAT_ANSWER_WAIT_MS = 2000;

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
  private paddleSeq = 0;
  private lastPaddleSentAt = -Infinity;
  private paddleTimer: ReturnType<typeof setTimeout> | null = null;
  private latencySnapshot = FrameLatency.empty();
  private latencyTakenAt = -Infinity;
  private snapshot: ClientViewState | null = null;
  private quitRequested = false;
  private token: string | null = null;
  /** The server cannot see which connection our messages come from: the token goes in each. */
  private tokenInMessages = false;
  /** The server granted us our seat (and has not refused it since). */
  private seated = false;
  /** The server has answered a join of ours (so it hands out seat tokens). */
  private answered = false;
  private lastJoinAt = -Infinity;
  private readonly seatListeners = new Set<(seat: SeatMessage) => void>();
  private readonly connectionListeners = new Set<(status: ConnectionStatus, detail: string | undefined) => void>();
  /**
   * The server's ball frames carry both paddles, so the paddle topics are not listened to:
   * each one would be a second message, to send and to read, for every move of a paddle.
   */
  private paddlesInFrames = false;

  constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.connection = options.transport.status;
    if (options.role.kind === 'player') this.ownPaddle = CENTRE_Y;
  }

  get role(): ClientRole {
    return this.options.role;
  }

  get player(): PlayerNumber | null {
    return this.options.role.kind === 'player' ? this.options.role.player : null;
  }

  /** A seat token from an earlier run, presented in the join to get that seat back. Call before start(). */
  /**
   * A seat token from an earlier run, presented in the join to get that seat back; with
   * `tokenInMessages` as that run's grant said (the server could not see its connections: then the
   * token is not shown on connecting either, since the broker is not the server's). Call before start().
   */
  useToken(token: string, tokenInMessages = false): void {
    this.token = token;
    this.tokenInMessages = tokenInMessages;
    this.options.transport.setSeatToken(tokenInMessages ? null : token);
  }

  /** The seat token the server granted, if any. */
  get seatToken(): string | null {
    return this.token;
  }

  /** Every change of the connection's status, with its detail (e.g. `closed`, `taken-over`). */
  onConnection(listener: (status: ConnectionStatus, detail: string | undefined) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Every answer the server gives to our joins (grants with their token, refusals). */
  onSeat(listener: (seat: SeatMessage) => void): () => void {
    this.seatListeners.add(listener);
    return () => this.seatListeners.delete(listener);
  }

  /** Connects, subscribes to the game and announces itself. Rejects if unreachable. */
  async start(): Promise<void> {
    const { transport } = this.options;
    this.unsubscribers.push(
      transport.onMessage((topic, payload) => this.onMessage(topic, payload)),
      transport.onStatus((status, detail) => this.onStatus(status, detail)),
    );
    for (const filter of this.subscriptions()) transport.subscribe(filter);
    this.registerWill();
    await transport.connect();
    // Announces, unless the transport already reported the connection (and we announced then).
    this.onStatus(transport.status);
  }

  /** Leaves the seat (it stays ours until the game ends or we forfeit) and disconnects. */
  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    if (this.paddleTimer !== null) clearTimeout(this.paddleTimer);
    this.paddleTimer = null;
    const player = this.player;
    if (player !== null && this.seated && this.options.transport.status === 'connected') {
      this.publish(topics.leave(this.options.gameId), this.leaveMessage(player, 'quit'), 1);
    }
    await this.options.transport.close();
  }

  /**
   * Only what this client draws or measures: with `#` every client would also receive every
   * other client's 60 Hz acks, which grows with the square of the audience.
   */
  private subscriptions(): string[] {
    const { gameId, clientId } = this.options;
    const filters = [topics.ball(gameId), topics.state(gameId), topics.stats(gameId), ...this.paddleTopics()];
    if (this.player === null) filters.push(topics.watcherStats(gameId, clientId));
    else filters.push(topics.seat(gameId, clientId));
    return filters;
  }

  /** The paddles this client draws from their own topics, as a classic server's clients must. */
  private paddleTopics(): string[] {
    const { gameId } = this.options;
    const player = this.player;
    // Our own paddle is drawn where we put it.
    const both: PlayerNumber[] = [1, 2];
    return both.filter((p) => p !== player).map((p) => topics.paddle(gameId, p));
  }

  /**
   * Listens to the paddle topics only while the ball frames lack the paddles: our server puts
   * both in every frame, a classic one none, and the server behind a topic may change.
   */
  private followPaddlesOf(ball: BallMessage): void {
    const inFrame = ball.p1y !== undefined && ball.p2y !== undefined;
    if (inFrame === this.paddlesInFrames) return;
    this.paddlesInFrames = inFrame;
    const { transport } = this.options;
    for (const topic of this.paddleTopics()) {
      if (inFrame) transport.unsubscribe(topic);
      else transport.subscribe(topic);
    }
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
    if (!this.awaitingSeat()) this.schedulePaddle();
    this.changed();
  }

  /**
   * At most one paddle message per server tick, always the latest position: a held key or the
   * bot may move the paddle more often than the server simulates, and every extra message would
   * only cost bandwidth and count against the gateways' per-client rate limit.
   */
  private schedulePaddle(): void {
    if (this.paddleTimer !== null) return;
    const wait = this.lastPaddleSentAt + PADDLE_INTERVAL_MS - this.now();
    if (wait <= 0) return this.sendPaddle();
    this.paddleTimer = setTimeout(() => {
      this.paddleTimer = null;
      this.sendPaddle();
    }, wait);
  }

  private sendPaddle(): void {
    const player = this.player;
    if (player === null || this.ownPaddle === null) return;
    this.lastPaddleSentAt = this.now();
    this.paddleSeq += 1;
    this.publish(topics.paddle(this.options.gameId, player), this.paddleMessage(this.ownPaddle), 0);
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
        if (parsed.player === this.player || this.paddlesInFrames) return;
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
    // as network latency. A frame that then fails its checks is dropped all the same.
    if (this.options.ack ?? true) this.acknowledge(parsed.value, rx);
    const decoded = decodeParsed('ball', parsed.value);
    if (!decoded.ok) return this.dropped.record('ball', decoded.reason);
    const ball = decoded.value;
    this.rejoinIfForgotten(rx);
    this.latency.onFrame(ball.seq, ball.timestamp, rx);
    this.ball = ball;
    this.followPaddlesOf(ball);
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
    const seat = decoded.value;
    if (seat.player !== this.player) return;
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
        // Moves made while the grant was on its way were held back; the paddle catches up now.
        this.sendPaddle();
      }
    }
    for (const listener of this.seatListeners) listener(seat);
  }

  /** Frames keep coming while a game is paused, so they pace the re-joins too. */
  private rejoinIfForgotten(now: number): void {
    const player = this.player;
    if (player === null || !this.seated || this.connection !== 'connected') return;
    if (this.state?.players?.[player === 1 ? 'p1' : 'p2'] !== false) return;
    if (now - this.lastJoinAt < REJOIN_INTERVAL_MS) return;
    this.announce();
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
    const { gameId, clientId, name, transport, role } = this.options;
    const token = this.token !== null ? { token: this.token } : {};
    const join =
      role.kind === 'player'
        ? { player: role.player, timestamp: this.now(), clientId, transport: transport.name, ...(name ? { name } : {}), ...token }
        : { spectator: true, timestamp: this.now(), clientId, transport: transport.name, ...(name ? { name } : {}) };
    this.lastJoinAt = this.now();
    this.publish(topics.join(gameId), join, 1);
    // Before the grant, a paddle without the seat's token would only be refused and counted.
    if (role.kind === 'player' && this.token !== null) this.sendPaddle();
  }

  /** Our first join is unanswered yet: a paddle sent now would lack the token the seat needs. */
  private awaitingSeat(): boolean {
    return this.token === null && !this.answered && this.now() - this.lastJoinAt < SEAT_ANSWER_WAIT_MS;
  }

  /** Set before every connection: the transport registers it again on each reconnect. */
  private registerWill(): void {
    const player = this.player;
    if (player === null) return;
    const will = this.leaveMessage(player, 'connection lost');
    this.options.transport.setWill({ topic: topics.leave(this.options.gameId), payload: JSON.stringify(will), qos: 1 });
  }

  private leaveMessage(player: PlayerNumber, reason: string): LeaveMessage {
    const leave: LeaveMessage = { player, timestamp: this.now(), clientId: this.options.clientId, reason };
    if (this.token !== null && this.tokenInMessages) leave.token = this.token;
    return leave;
  }

  /**
   * The token, only where the server asked for it in every message: elsewhere the connection
   * proves the seat, and the token stays out of messages that other clients may read.
   */
  private proof(): { token?: string } {
    return this.token !== null && this.tokenInMessages ? { token: this.token } : {};
  }

  private paddleMessage(y: number): object {
    return { y, timestamp: this.now(), seq: this.paddleSeq, ...this.proof() };
  }

  private command(kind: 'serve' | 'restart' | 'ready'): void {
    const player = this.player;
    if (player === null) return;
    this.publish(topics[kind](this.options.gameId), { player, timestamp: this.now(), ...this.proof() }, 1);
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
