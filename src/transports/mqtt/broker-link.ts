import type { BusMessage, Sender } from '../../bus/bus.js';

/** A publish an MQTT client made under pong/#, as the broker delivered it to us. */
export interface BrokerPublish {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
  /** The client connection that published it, where the broker is ours to ask (an external one is not). */
  sender?: Sender;
}

/**
 * The gateway's side of a broker, embedded or external. A link never hands back what it
 * published itself, so the gateway can bridge both ways without an echo loop.
 */
export interface BrokerLink {
  /** The URL MQTT clients (and mosquitto_sub) connect to. */
  readonly url: string;
  /** MQTT clients connected to the broker, where the link can know it. */
  readonly connections: number;
  publish(message: BusMessage): void;
  onPublish(handler: (message: BrokerPublish) => void): void;
  close(): Promise<void>;
}

/** Bridged topics: the game's, never the broker's own ($SYS) or anyone else's. */
export const BRIDGED_FILTER = 'pong/#';
export const BRIDGED_PREFIX = 'pong/';
