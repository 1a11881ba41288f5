/**
 * The server's in-process topic bus: MQTT topic semantics (`+`, `#`, retained messages) so a
 * game room publishes and subscribes exactly as an MQTT client would, whatever transport its
 * players use. Matching is Aedes' own matcher (qlobber in MQTT mode).
 */
import Qlobber from 'qlobber';

export interface BusMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
  /** Which gateway it came in through ('mqtt', 'ws', ...) or 'server'. */
  origin: string;
}

export type BusHandler = (message: BusMessage) => void;

const MQTT_MATCHING = {
  separator: '/',
  wildcard_one: '+',
  wildcard_some: '#',
  match_empty_levels: true,
};

export class TopicBus {
  private readonly matcher = new Qlobber.QlobberDedup(MQTT_MATCHING);
  private readonly retained = new Map<string, BusMessage>();
  private readonly retainedMatcher = new Qlobber.QlobberTrue(MQTT_MATCHING);
  private handlerErrors = 0;

  publish(topic: string, payload: string, options: { qos?: 0 | 1; retain?: boolean; origin?: string } = {}): void {
    const message: BusMessage = {
      topic,
      payload,
      qos: options.qos ?? 0,
      retain: options.retain ?? false,
      origin: options.origin ?? 'server',
    };
    if (message.retain) {
      // MQTT: an empty retained payload clears the retained message.
      if (payload.length === 0) this.retained.delete(topic);
      else this.retained.set(topic, message);
    }
    for (const handler of this.matcher.match(topic) as Set<BusHandler>) {
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
    if (this.retained.size > 0) {
      this.retainedMatcher.clear();
      this.retainedMatcher.add(filter);
      for (const message of this.retained.values()) {
        if (this.retainedMatcher.test(message.topic)) handler(message);
      }
    }
    return () => {
      this.matcher.remove(filter, handler);
    };
  }

  retainedMessage(topic: string): BusMessage | undefined {
    return this.retained.get(topic);
  }

  get errors(): number {
    return this.handlerErrors;
  }
}
