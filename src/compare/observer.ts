/**
 * One transport's observer: a spectator session that acks every ball frame on its own
 * watch/<clientId>/ack topic, so the server measures it (round trip, clock offset) like any
 * watcher, and whose acks are tapped for the per-frame one-way latency.
 */
import { GameSession } from '../client/session.js';
import { topics } from '../protocol/topics.js';
import type { Clock } from '../metrics/clock.js';
import type { ConnectionStatus, TransportClient, TransportName } from '../transports/transport.js';
import { AckTap, type AckedFrame } from './ack-tap.js';
import type { WireSample } from './wire-rate.js';

export type ObserverStatus = ConnectionStatus | 'failed';

export type ClientFactory = (name: TransportName, clientId: string) => TransportClient;

export interface ObserverOptions {
  gameId: string;
  name: TransportName;
  clientId: string;
  createClient: ClientFactory;
  /** The observer's receive-time clock; tests inject one. */
  clock?: Clock;
}

export interface RoundTrip {
  p50: number | null;
  p99: number | null;
}

export class Observer {
  readonly name: TransportName;
  readonly session: GameSession;
  readonly #tap: AckTap;
  readonly #transport: TransportClient;
  #failure: string | null = null;

  constructor(options: ObserverOptions) {
    this.name = options.name;
    this.#tap = new AckTap(topics.watcherAck(options.gameId, options.clientId));
    this.#transport = this.#tap.wrap(options.createClient(options.name, options.clientId));
    this.session = new GameSession({
      gameId: options.gameId,
      role: { kind: 'spectator' },
      transport: this.#transport,
      clientId: options.clientId,
      name: `compare ${options.name}`,
      ack: true,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /** Rejects when the transport cannot reach the server; the failure stays visible in status. */
  async start(): Promise<void> {
    try {
      await this.session.start();
    } catch (error) {
      this.#failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  get status(): ObserverStatus {
    return this.#failure !== null ? 'failed' : this.#transport.status;
  }

  get detail(): string | undefined {
    return this.#failure ?? this.session.getState().connectionDetail;
  }

  /** This observer's clock minus the server's, once the server has measured it. */
  get offset(): number | null {
    const stats = this.session.getState().serverStats;
    return stats !== null && stats.samples > 0 ? stats.offset : null;
  }

  get ready(): boolean {
    return this.status === 'connected' && this.offset !== null;
  }

  /** Round trip of this observer's acks, as the server measured it. */
  get roundTrip(): RoundTrip | null {
    const stats = this.session.getState().serverStats;
    return stats !== null && stats.samples > 0 ? { p50: stats.rtt.p50, p99: stats.rtt.p99 } : null;
  }

  wireSample(): WireSample {
    return { bytesIn: this.#transport.wire.bytesIn, frames: this.#tap.frames };
  }

  /** Frames acked since the last drain. */
  drain(): AckedFrame[] {
    return this.#tap.drain();
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
