/**
 * One client's view of one game, over any transport: joins (as a player or a watcher),
 * acknowledges every ball frame, measures one-way latency, and keeps the ClientViewState the
 * UI and the bot read. It never asks which transport it has.
 */
import type { BallMessage, PeerLatencyStats, PlayerNumber, StateMessage, StatsMessage } from '../protocol/messages.js';
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import { parseTopic, topics } from '../protocol/topics.js';
import { decodePayload, DropCounter } from '../protocol/validate.js';
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
  private latencySnapshot = FrameLatency.empty();
  private latencyTakenAt = -Infinity;
  private snapshot: ClientViewState | null = null;
  private quitRequested = false;

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

  /** Connects, subscribes to the game and announces itself. Rejects if unreachable. */
  async start(): Promise<void> {
    const { transport } = this.options;
    this.unsubscribers.push(
      transport.onMessage((topic, payload) => this.onMessage(topic, payload)),
      transport.onStatus((status, detail) => this.onStatus(status, detail)),
    );
    for (const filter of this.subscriptions()) transport.subscribe(filter);
    await transport.connect();
    this.onStatus(transport.status);
    this.announce();
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    await this.options.transport.close();
  }

  /**
   * Only what this client draws or measures: with `#` every client would also receive every
   * other client's 60 Hz acks, which grows with the square of the audience.
   */
  private subscriptions(): string[] {
    const { gameId, clientId } = this.options;
    const filters = [topics.ball(gameId), topics.state(gameId), topics.stats(gameId)];
    const player = this.player;
    // Our own paddle is drawn where we put it; the other one may come from a classic server.
    if (player !== 1) filters.push(topics.paddle(gameId, 1));
    if (player !== 2) filters.push(topics.paddle(gameId, 2));
    if (player === null) filters.push(topics.watcherStats(gameId, clientId));
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
    this.paddleSeq += 1;
    this.publish(topics.paddle(this.options.gameId, player), { y: rounded, timestamp: this.now(), seq: this.paddleSeq }, 0);
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
      case 'paddle': {
        // Classic servers don't put paddles in ball frames; take them from the paddle topics.
        if (parsed.player === this.player) return;
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
    const decoded = decodePayload('ball', payload);
    if (!decoded.ok) return this.dropped.record('ball', decoded.reason);
    const ball = decoded.value;
    if (this.options.ack ?? true) this.acknowledge(ball, rx);
    this.latency.onFrame(ball.seq, ball.timestamp, rx);
    this.ball = ball;
    if (ball.p1y !== undefined) this.paddles.p1 = ball.p1y;
    if (ball.p2y !== undefined) this.paddles.p2 = ball.p2y;
    this.changed();
  }

  private acknowledge(ball: BallMessage, rx: number): void {
    const { gameId, clientId } = this.options;
    const player = this.player;
    const topic = player !== null ? topics.ack(gameId, player) : topics.watcherAck(gameId, clientId);
    this.publish(topic, { seq: ball.seq, timestamp: ball.timestamp, rx: round3(rx) }, 0);
  }

  private onState(payload: string): void {
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

  private onStats(payload: string): void {
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
    this.changed();
  }

  // --- outgoing ----------------------------------------------------------------------------

  private announce(): void {
    const { gameId, clientId, name, transport, role } = this.options;
    const join =
      role.kind === 'player'
        ? { player: role.player, timestamp: this.now(), clientId, transport: transport.name, ...(name ? { name } : {}) }
        : { spectator: true, timestamp: this.now(), clientId, transport: transport.name, ...(name ? { name } : {}) };
    this.publish(topics.join(gameId), join, 1);
    if (role.kind === 'player' && this.ownPaddle !== null) {
      this.paddleSeq += 1;
      this.publish(topics.paddle(gameId, role.player), { y: this.ownPaddle, timestamp: this.now(), seq: this.paddleSeq }, 0);
    }
  }

  private command(kind: 'serve' | 'restart' | 'ready'): void {
    const player = this.player;
    if (player === null) return;
    this.publish(topics[kind](this.options.gameId), { player, timestamp: this.now() }, 1);
  }

  private publish(topic: string, body: object, qos: 0 | 1): void {
    if (this.options.transport.status !== 'connected' && qos === 0) return;
    this.options.transport.publish(topic, JSON.stringify(body), { qos, retain: false });
  }

  private now(): number {
    return this.clock();
  }

  private changed(): void {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
