/**
 * The server's in-process topic bus: MQTT topic semantics (`+`, `#`, retained messages) so a
 * game room publishes and subscribes exactly as an MQTT client would, whatever transport its
 * players use. Matching is Aedes' own matcher (qlobber in MQTT mode).
 *
 * A server publishes on a few topics per game, thousands of times a second, and subscribes
 * rarely: so what each topic matched is remembered until the next subscribe or unsubscribe.
 * Walking qlobber's trie for every ball frame and every ack was a tenth of a busy server's CPU.
 */
import Qlobber from 'qlobber';
import { BoundedMemo } from '../protocol/bounded-memo.js';
import type { Clock } from '../metrics/clock.js';

/**
 * Who published a message, as the gateway it came through knows them: the connection, never a
 * field of the payload. Made once per connection and shared by all its messages.
 */
export interface Sender {
  /** The client id the connection holds (unique across the server's gateways), or null if it gave none. */
  readonly clientId: string | null;
  /** The connection's remote address. */
  readonly address: string;
}

export interface BusMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
  /** Which gateway it came in through ('mqtt', 'ws', ...) or 'server'. */
  origin: string;
  /** The client connection it came from; absent for the server's own and for an external broker's. */
  sender: Sender | undefined;
  /**
   * The one client that may receive it (a seat answer), or SERVER_ONLY: the server's own
   * subscribers read it, no client does (a client's message carrying its seat token). Absent:
   * whoever subscribes.
   */
  to: string | undefined;
  /**
   * When it was published, on the bus's clock (absent on a bus without one). An ack's arrival
   * is this, not the moment its room gets round to decoding it.
   */
  at?: number;
}

export type BusHandler = (message: BusMessage) => void;

/** What a gateway or a room needs of the bus: TopicBus, and the ConditionedBus over it, provide it. */
export type BusView = Pick<TopicBus, 'publish' | 'subscribe' | 'retainedMessage'>;

export interface PublishOptions {
  qos?: 0 | 1;
  retain?: boolean;
  origin?: string;
  sender?: Sender;
  to?: string;
}

/** `to` of a message no client may receive: client ids are never empty. */
export const SERVER_ONLY = '';

const NO_OPTIONS: PublishOptions = {};

const MQTT_MATCHING = {
  separator: '/',
  wildcard_one: '+',
  wildcard_some: '#',
  match_empty_levels: true,
};

/** Enough for every topic of a few thousand games. */
const MAX_REMEMBERED_TOPICS = 16_384;

export interface TopicBusOptions {
  /** Stamps every message's `at`; the server passes the clock its rooms use. */
  clock?: Clock;
}

export class TopicBus {
  private readonly matcher = new Qlobber.QlobberDedup(MQTT_MATCHING);
  private readonly retained = new Map<string, BusMessage>();
  private readonly retainedMatcher = new Qlobber.QlobberTrue(MQTT_MATCHING);
  private handlerErrors = 0;
  /** topic → its handlers, valid until the subscriptions change; bounded, as clients choose topics too. */
  private readonly matches = new BoundedMemo<string, readonly BusHandler[]>(MAX_REMEMBERED_TOPICS, (topic) => [
    ...(this.matcher.match(topic) as Set<BusHandler>),
  ]);
  private readonly clock: Clock | undefined;

  constructor(options: TopicBusOptions = {}) {
    this.clock = options.clock;
  }

  /** Callers on a hot path pass `options` objects they keep, rather than a new one per message. */
  publish(topic: string, payload: string, options: PublishOptions = NO_OPTIONS): void {
    const qos = options.qos ?? 0;
    const retain = options.retain ?? false;
    const origin = options.origin ?? 'server';
    const sender = options.sender;
    const to = options.to;
    // One literal per shape: adding `at` afterwards would grow every message's property store.
    const message: BusMessage =
      this.clock === undefined
        ? { topic, payload, qos, retain, origin, sender, to }
        : { topic, payload, qos, retain, origin, sender, to, at: this.clock() };
    if (message.retain) {
      // MQTT: an empty retained payload clears the retained message.
      if (payload.length === 0) this.retained.delete(topic);
      else this.retained.set(topic, message);
    }
    for (const handler of this.matches.get(topic)) {
      try {
        handler(message);
      } catch {
        // One faulty subscriber must not stop delivery to the others or the game loop.
        this.handlerErrors += 1;
      }
    }
  }

  /** Subscribes and delivers matching retained messages at once; returns the unsubscribe. */
  subscribe(filter: string, handler: BusHandler): () => void {
    this.matcher.add(filter, handler);
    this.matches.clear();
    if (this.retained.size > 0 && !filter.includes('+') && !filter.includes('#')) {
      // A concrete filter matches one topic: no need to test every game's retained messages
      // (each player's subscribe did, and a few hundred games made every connect slow).
      const message = this.retained.get(filter);
      if (message !== undefined) handler(message);
    } else if (this.retained.size > 0) {
      this.retainedMatcher.clear();
      this.retainedMatcher.add(filter);
      for (const message of this.retained.values()) {
        if (this.retainedMatcher.test(message.topic)) handler(message);
      }
    }
    return () => {
      this.matcher.remove(filter, handler);
      this.matches.clear();
    };
  }

  retainedMessage(topic: string): BusMessage | undefined {
    return this.retained.get(topic);
  }

  get errors(): number {
    return this.handlerErrors;
  }
}
