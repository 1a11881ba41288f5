/**
 * A raw transport client from the registry, as any third party would write one: it watches a
 * game's state, ball frames and stats, can join and ack like a player, and publishes whatever
 * a test tells it to. It rides through server and broker restarts on the transport's own
 * reconnects (subscriptions survive them).
 */
import { expect } from 'vitest';
import type { CliProcess } from '../helpers/cli.js';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportClient, TransportName } from '../../src/transports/transport.js';
import { topics } from '../../src/protocol/topics.js';
import { decodePayload } from '../../src/protocol/validate.js';
import type { ArrivingBall, SeatMessage, StateMessage, StatsMessage } from '../../src/protocol/messages.js';

export interface Urls {
  mqttUrl?: string | undefined;
  httpUrl?: string | undefined;
}

export class GameProbe {
  readonly states: StateMessage[] = [];
  readonly frames: ArrivingBall[] = [];
  readonly seats: SeatMessage[] = [];
  stats: StatsMessage | null = null;
  private readonly client: TransportClient;
  private acking: 1 | 2 | null = null;

  constructor(
    transport: TransportName,
    urls: Urls,
    readonly gameId: string,
    readonly clientId = `probe-${Math.random().toString(16).slice(2, 10)}`,
  ) {
    this.client = getTransport(transport).createClient({
      serverUrl: urls.httpUrl ?? 'http://127.0.0.1:1',
      brokerUrl: urls.mqttUrl ?? 'mqtt://127.0.0.1:1',
      clientId: this.clientId,
      connectTimeoutMs: 10_000,
    });
    this.client.onMessage((topic, payload) => this.onMessage(topic, payload));
    for (const filter of [topics.state(gameId), topics.ball(gameId), topics.stats(gameId), topics.seat(gameId, this.clientId)]) {
      this.client.subscribe(filter);
    }
  }

  async connect(): Promise<this> {
    await this.client.connect();
    return this;
  }

  get state(): StateMessage | null {
    return this.states.at(-1) ?? null;
  }

  /** The newest state (or the next one) that passes `test`. */
  async waitState(test: (state: StateMessage) => boolean, what: string, timeoutMs = 30_000): Promise<StateMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = this.state;
      if (state !== null && test(state)) return state;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  publish(topic: string, payload: object, qos: 0 | 1 = 1): void {
    this.client.publish(topic, JSON.stringify(payload), { qos, retain: false });
  }

  /** Joins a seat as an honest player would, and acks every frame from then on. */
  join(player: 1 | 2): void {
    this.acking = player;
    this.publish(topics.join(this.gameId), { player, clientId: this.clientId, timestamp: Date.now() });
  }

  get token(): string | undefined {
    return this.seats.findLast((seat) => seat.token !== undefined)?.token;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private onMessage(topic: string, payload: string): void {
    if (topic === topics.ball(this.gameId)) {
      const frame = decodePayload('ball', payload);
      if (!frame.ok) return;
      this.frames.push(frame.value);
      if (this.frames.length > 2000) this.frames.splice(0, 1000);
      if (this.acking !== null) {
        const ack = { seq: frame.value.seq, timestamp: frame.value.timestamp, rx: Date.now() };
        this.client.publish(topics.ack(this.gameId, this.acking), JSON.stringify(ack), { qos: 0 });
      }
      return;
    }
    const kind = topic === topics.state(this.gameId) ? 'state' : topic === topics.stats(this.gameId) ? 'stats' : 'seat';
    if (kind === 'state') {
      const state = decodePayload('state', payload);
      if (state.ok) this.states.push(state.value);
    } else if (kind === 'stats') {
      const stats = decodePayload('stats', payload);
      if (stats.ok) this.stats = stats.value;
    } else {
      const seat = decodePayload('seat', payload);
      if (seat.ok) this.seats.push(seat.value);
    }
  }
}

export function urlFlags(transport: TransportName, urls: Urls): string[] {
  return transport === 'mqtt' ? ['--broker', urls.mqttUrl!] : ['--server', urls.httpUrl!];
}

export const totalPoints = (state: StateMessage) => state.p1Score + state.p2Score;

/**
 * Both bots play on to the end after a restart, and no point scored before it was lost: the
 * final score of a `points`-point game is at least the score at `before`.
 */
export async function expectFinishedFrom(before: StateMessage, bot1: CliProcess, bot2: CliProcess, points: number): Promise<void> {
  const [, p1, p2] = await bot1.waitFor(/final score (\d+)-(\d+), winner P\d/, 120_000);
  await bot2.waitFor(/final score/, 10_000);
  expect(await bot1.exited).toBe(0);
  expect(await bot2.exited).toBe(0);
  expect(Math.max(Number(p1), Number(p2))).toBe(points);
  expect(Number(p1)).toBeGreaterThanOrEqual(before.p1Score);
  expect(Number(p2)).toBeGreaterThanOrEqual(before.p2Score);
}
