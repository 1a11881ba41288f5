/**
 * What a client receives of one game, kept the way its view reads it: ball frames (acked
 * before anything else, numbered, measured), the newest state, the server's latency reports
 * about this client, and the paddles. Of everything a session sends, only the acks are the
 * feed's: they answer frames. Seat answers are handed on to whoever holds the seat.
 */
import type { BallMessage, PeerLatencyStats, PlayerNumber, SeatMessage, StateMessage, StatsMessage } from '../protocol/messages.js';
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import { parseTopic, topics } from '../protocol/topics.js';
import { ackText } from '../protocol/ack-text.js';
import { DropCounter } from '../protocol/drop-counter.js';
import { decodePayload, decodeParsed, parsePayload } from '../protocol/validate.js';
import type { FrameLatency } from '../metrics/frame-latency.js';
import type { ClassicPaddles } from './classic-paddles.js';
import { FrameNumbering } from './frame-numbering.js';

export const CENTRE_Y = (COURT_HEIGHT - PADDLE_HEIGHT) / 2;

export interface FeedOptions {
  gameId: string;
  clientId: string;
  /** A player's seat number; null for a watcher. */
  player: PlayerNumber | null;
  /** Ack every frame (watchers too, so the server can measure them). */
  ack: boolean;
  latency: FrameLatency;
  classicPaddles: ClassicPaddles;
  /** Sends an ack, latest-wins. */
  publishAck: (topic: string, text: string) => void;
  /** A ball frame was taken, received at `rx`: frames pace the seat's re-joins. */
  onFrame: (rx: number) => void;
  onSeatAnswer: (seat: SeatMessage) => void;
  /** Something the view shows changed. */
  changed: () => void;
}

interface StateWaiter {
  test: (state: StateMessage) => boolean;
  resolve: (state: StateMessage) => void;
}

export class GameFeed {
  readonly dropped = new DropCounter();
  ball: BallMessage | null = null;
  state: StateMessage | null = null;
  readonly paddles = { p1: CENTRE_Y, p2: CENTRE_Y };
  private stats: StatsMessage | null = null;
  private watcherStats: PeerLatencyStats | null = null;
  private readonly stateWaiters: StateWaiter[] = [];
  private readonly numbering = new FrameNumbering();

  constructor(private readonly options: FeedOptions) {}

  /** The filters that bring this client what it draws or measures, and no more. */
  subscriptions(): string[] {
    const { gameId, clientId, player, classicPaddles } = this.options;
    // With `#` every client would also receive every other client's 60 Hz acks, which grows
    // with the square of the audience.
    const filters = [topics.ball(gameId), topics.state(gameId), topics.stats(gameId), ...classicPaddles.topics()];
    filters.push(player === null ? topics.watcherStats(gameId, clientId) : topics.seat(gameId, clientId));
    return filters;
  }

  /** `rx`: when the message arrived, taken before anything else. */
  onMessage(topic: string, payload: string, rx: number): void {
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
        if (decoded.value.samples > 0) this.options.latency.setOffset(decoded.value.offset);
        return this.options.changed();
      }
      case 'seat': {
        if (parsed.clientId !== this.options.clientId) return;
        const decoded = decodePayload('seat', payload);
        if (!decoded.ok) return this.dropped.record('seat', decoded.reason);
        if (decoded.value.player === this.options.player) this.options.onSeatAnswer(decoded.value);
        return;
      }
      case 'paddle': {
        // Classic servers don't put paddles in ball frames; take them from the paddle topics.
        // One still in flight when we stopped listening is older than the frames' own.
        if (!this.options.classicPaddles.wants(parsed.player)) return;
        const decoded = decodePayload('paddle', payload);
        if (!decoded.ok) return this.dropped.record('paddle', decoded.reason);
        this.paddles[parsed.player === 1 ? 'p1' : 'p2'] = decoded.value.y;
        return this.options.changed();
      }
      default:
        return;
    }
  }

  /** Resolves with the first game state that passes the test (now or later). */
  waitForState(test: (state: StateMessage) => boolean): Promise<StateMessage> {
    if (this.state && test(this.state)) return Promise.resolve(this.state);
    return new Promise((resolve) => this.stateWaiters.push({ test, resolve }));
  }

  /** What the server measured of this client: a player's from the game's stats, a watcher's its own. */
  ownServerStats(): PeerLatencyStats | null {
    const { player } = this.options;
    if (player === null) return this.watcherStats;
    return (player === 1 ? this.stats?.p1 : this.stats?.p2) ?? null;
  }

  private onBall(payload: string, rx: number): void {
    const parsed = parsePayload(payload);
    if (!parsed.ok) return this.dropped.record('ball', parsed.reason);
    // The ack goes first, on seq and timestamp alone: every check before it would be counted
    // as network latency. A frame that then fails its checks is dropped all the same. A frame
    // without seq (a classic server's, which reads no acks) is not acked.
    if (this.options.ack) this.acknowledge(parsed.value, rx);
    const decoded = decodeParsed('ball', parsed.value);
    if (!decoded.ok) return this.dropped.record('ball', decoded.reason);
    const ball = this.numbering.number(decoded.value);
    this.options.onFrame(rx);
    this.options.latency.onFrame(decoded.value.seq ?? null, ball.timestamp, rx);
    this.ball = ball;
    this.options.classicPaddles.follow(ball);
    if (ball.p1y !== undefined) this.paddles.p1 = ball.p1y;
    if (ball.p2y !== undefined) this.paddles.p2 = ball.p2y;
    this.options.changed();
  }

  private acknowledge(frame: unknown, rx: number): void {
    const ack = ackText(frame, rx);
    if (ack === null) return;
    const { gameId, clientId, player } = this.options;
    this.options.publishAck(player !== null ? topics.ack(gameId, player) : topics.watcherAck(gameId, clientId), ack);
  }

  private onState(payload: string): void {
    // An empty retained state: the room closed (nobody was in it); there is no game to show.
    if (payload.length === 0) {
      this.state = null;
      return this.options.changed();
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
    this.options.changed();
  }

  private onStats(payload: string): void {
    // Cleared with its room: nothing to measure against.
    if (payload.length === 0) return;
    const decoded = decodePayload('stats', payload);
    if (!decoded.ok) return this.dropped.record('stats', decoded.reason);
    this.stats = decoded.value;
    const own = this.ownServerStats();
    if (own && own.samples > 0) this.options.latency.setOffset(own.offset);
    this.options.changed();
  }
}
