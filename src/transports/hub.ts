/**
 * Server-side routing shared by every gateway whose clients talk to the pong server itself
 * (ws, Socket.io, WebRTC): a client's publishes go onto the bus, its subscriptions become bus
 * subscriptions, and what matches is sent back down its connection. Bounds and validation live
 * here once, so every such transport refuses the same bad input the same way.
 */
import type { BusMessage, TopicBus } from '../server/bus.js';
import { MAX_PAYLOAD_BYTES } from '../protocol/constants.js';
import type { GatewayCounters, TransportName } from './transport.js';

/** What a gateway gives the hub for one connected client. */
export interface HubConnection {
  readonly id: string;
  /** Deliver a bus message; `reliable` false means it may travel the unreliable path. */
  send(topic: string, payload: string, reliable: boolean): void;
}

export interface HubLimits {
  maxPayloadBytes: number;
  maxSubscriptions: number;
  maxTopicLength: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxPayloadBytes: MAX_PAYLOAD_BYTES,
  maxSubscriptions: 64,
  maxTopicLength: 256,
};

export type HubRefusal = 'payload-too-large' | 'bad-topic' | 'bad-filter' | 'too-many-subscriptions';

export interface PublishRequest {
  topic: string;
  payload: string;
  qos?: 0 | 1;
  retain?: boolean;
}

/** One attached client. The gateway calls these as frames arrive, and detach() on close. */
export interface HubSession {
  publish(request: PublishRequest): HubRefusal | null;
  subscribe(filter: string): HubRefusal | null;
  unsubscribe(filter: string): void;
  detach(): void;
}

/** Topics clients may publish to: ours, concrete (no wildcards), no empty levels. */
function isPublishableTopic(topic: string, maxLength: number): boolean {
  if (topic.length === 0 || topic.length > maxLength) return false;
  if (!topic.startsWith('pong/')) return false;
  if (topic.includes('+') || topic.includes('#') || topic.includes('\0')) return false;
  return !topic.split('/').some((level) => level.length === 0);
}

function isValidFilter(filter: string, maxLength: number): boolean {
  if (filter.length === 0 || filter.length > maxLength || filter.includes('\0')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level === '#') return i === levels.length - 1;
    if (level === '+') return true;
    return !level.includes('+') && !level.includes('#');
  });
}

/** Reliable delivery for commands and state; latest-wins for the 60 Hz data. */
export function isReliableMessage(message: Pick<BusMessage, 'qos' | 'retain'>): boolean {
  return message.qos === 1 || message.retain;
}

export class ClientHub {
  readonly counters: GatewayCounters = { connections: 0, messagesIn: 0, messagesOut: 0, dropped: 0 };
  /** Refusals by reason, for stats and the server log. */
  readonly refusals = new Map<HubRefusal, number>();

  constructor(
    private readonly bus: TopicBus,
    private readonly transport: TransportName,
    private readonly limits: HubLimits = DEFAULT_HUB_LIMITS,
  ) {}

  attach(connection: HubConnection): HubSession {
    const subscriptions = new Map<string, () => void>();
    let attached = true;
    this.counters.connections += 1;

    const deliver = (message: BusMessage) => {
      if (!attached) return;
      this.counters.messagesOut += 1;
      connection.send(message.topic, message.payload, isReliableMessage(message));
    };

    const refuse = (reason: HubRefusal): HubRefusal => {
      this.counters.dropped += 1;
      this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
      return reason;
    };

    return {
      publish: (request) => {
        if (!attached) return null;
        this.counters.messagesIn += 1;
        if (Buffer.byteLength(request.payload) > this.limits.maxPayloadBytes) return refuse('payload-too-large');
        if (!isPublishableTopic(request.topic, this.limits.maxTopicLength)) return refuse('bad-topic');
        this.bus.publish(request.topic, request.payload, {
          qos: request.qos ?? 0,
          retain: request.retain ?? false,
          origin: this.transport,
        });
        return null;
      },
      subscribe: (filter) => {
        if (!attached) return null;
        if (!isValidFilter(filter, this.limits.maxTopicLength)) return refuse('bad-filter');
        if (subscriptions.has(filter)) return null;
        if (subscriptions.size >= this.limits.maxSubscriptions) return refuse('too-many-subscriptions');
        subscriptions.set(filter, this.bus.subscribe(filter, deliver));
        return null;
      },
      unsubscribe: (filter) => {
        subscriptions.get(filter)?.();
        subscriptions.delete(filter);
      },
      detach: () => {
        if (!attached) return;
        attached = false;
        this.counters.connections -= 1;
        for (const unsubscribe of subscriptions.values()) unsubscribe();
        subscriptions.clear();
      },
    };
  }
}
