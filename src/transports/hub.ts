/**
 * Server-side routing shared by every gateway whose clients talk to the pong server itself
 * (ws, Socket.io, WebRTC): a client's publishes go onto the bus, its subscriptions become bus
 * subscriptions, and what matches is sent back down its connection. Bounds, validation, the
 * rate limit, the publish policy and wills live here once, so every such transport refuses
 * the same bad input the same way and counts it in one place.
 */
import { SERVER_ONLY, type BusMessage, type PublishOptions, type Sender, type TopicBus } from '../bus/bus.js';
import { MAX_PAYLOAD_BYTES } from '../protocol/constants.js';
import { BoundedMemo } from '../protocol/bounded-memo.js';
import { utf8LongerThan } from '../protocol/validate.js';
import { DropCounter } from '../protocol/drop-counter.js';
import { clientLimits, type ClientLimits } from './limits.js';
import { TokenBucket } from './token-bucket.js';
import type { PublishPolicy, PolicyRefusal } from '../game/publish-policy.js';
import { reliableByDefault, type GatewayCounters, type TransportName } from './transport.js';

/** What a gateway gives the hub for one connected client. */
export interface HubConnection {
  readonly id: string;
  /** The clientId the client declared (it owns watch/<clientId>/ack and its seats), if any. */
  readonly clientId: string | null;
  /** The connection's remote address: rooms a client may open are counted per address too. */
  readonly address: string;
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

export type HubRefusal = 'payload-too-large' | 'bad-topic' | 'bad-filter' | 'too-many-subscriptions' | PolicyRefusal;

export interface PublishRequest {
  topic: string;
  payload: string;
  qos?: 0 | 1;
  retain?: boolean;
}

/** One attached client. The gateway calls these as frames arrive, and detach() on close. */
export interface HubSession {
  /**
   * Call once for every frame or event the client sends, before anything else. false: the
   * client is over its rate limit (the frame is counted as dropped); disconnect it.
   */
  admit(): boolean;
  publish(request: PublishRequest): HubRefusal | null;
  subscribe(filter: string): HubRefusal | null;
  unsubscribe(filter: string): void;
  /** Registers (or with null clears) what is published for this client if it vanishes. */
  setWill(will: PublishRequest | null): HubRefusal | null;
  /** The client announced a clean close: its will is not published. */
  goodbye(): void;
  /** Ends the session; publishes the will unless the client said goodbye or the server is stopping. */
  detach(): void;
}

export interface HubOptions {
  limits?: HubLimits;
  clientLimits?: Partial<ClientLimits>;
  /** The game's publish policy, applied to every publish and will when present. */
  policy?: PublishPolicy | undefined;
  now?: () => number;
}

/** Whether a topic has a publishable shape: a client publishes on the same few, many times a second. */
const publishableShape = new BoundedMemo<string, boolean>(16_384, hasPublishableShape);

/** Topics clients may publish to: ours, concrete (no wildcards), no empty levels. */
function isPublishableTopic(topic: string, maxLength: number): boolean {
  if (topic.length === 0 || topic.length > maxLength) return false;
  return publishableShape.get(topic);
}

function hasPublishableShape(topic: string): boolean {
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

/** Reliable delivery for commands and state; latest-wins for the 60 Hz data (the clients' rule too). */
export function isReliableMessage(message: Pick<BusMessage, 'qos' | 'retain'>): boolean {
  return reliableByDefault(message.qos, message.retain);
}

export class ClientHub {
  /** Every refusal of this gateway, the hub's own and the frames its gateway could not decode. */
  readonly drops = new DropCounter();
  readonly limits: ClientLimits;
  private readonly tally = { connections: 0, messagesIn: 0, messagesOut: 0, kicked: 0, shed: 0 };
  private readonly hubLimits: HubLimits;
  private readonly policy: PublishPolicy | undefined;
  private readonly now: (() => number) | undefined;
  private readonly transport: TransportName;
  private stopping = false;

  constructor(
    private readonly bus: Pick<TopicBus, 'publish' | 'subscribe'>,
    transport: TransportName,
    options: HubOptions = {},
  ) {
    this.hubLimits = options.limits ?? DEFAULT_HUB_LIMITS;
    this.limits = clientLimits(transport, options.clientLimits);
    this.policy = options.policy;
    this.now = options.now;
    this.transport = transport;
  }

  get counters(): GatewayCounters {
    return { ...this.tally, dropped: this.drops.total, droppedBy: this.drops.snapshot() };
  }

  /** A frame the gateway refused before it reached the hub (malformed, binary, too big). */
  refuse(reason: string): void {
    this.drops.record(reason);
  }

  /** A client cut off for exceeding a limit. */
  kicked(): void {
    this.tally.kicked += 1;
  }

  /** A latest-wins frame not sent to a client that is not reading. */
  shed(): void {
    this.tally.shed += 1;
  }

  /** The server is stopping: connections it closes now are not vanished clients. */
  shutdown(): void {
    this.stopping = true;
  }

  attach(connection: HubConnection): HubSession {
    const subscriptions = new Map<string, () => void>();
    const bucket = new TokenBucket(this.limits.ratePerSecond, this.limits.burst, this.now);
    let will: PublishRequest | null = null;
    let attached = true;
    this.tally.connections += 1;
    const sender: Sender = Object.freeze({ clientId: connection.clientId, address: connection.address });
    // Bus options by [qos][retain], made once per connection: every message would otherwise allocate its own.
    const options = (qos: 0 | 1, retain: boolean, to?: string): PublishOptions =>
      Object.freeze({ qos, retain, origin: this.transport, sender, ...(to === undefined ? {} : { to }) });
    const putOptions = [
      [options(0, false), options(0, true)],
      [options(1, false), options(1, true)],
    ] as const;
    // A message carrying the client's seat token is for the server's eyes only.
    const secretOptions = [options(0, false, SERVER_ONLY), options(1, false, SERVER_ONLY)] as const;

    const deliver = (message: BusMessage) => {
      if (!attached) return;
      // A seat answer is for its client alone; SERVER_ONLY matches no client.
      if (message.to !== undefined && message.to !== connection.clientId) return;
      this.tally.messagesOut += 1;
      connection.send(message.topic, message.payload, isReliableMessage(message));
    };

    const refuse = (reason: HubRefusal): HubRefusal => {
      this.drops.record(reason);
      return reason;
    };

    const check = (request: PublishRequest): HubRefusal | null => {
      if (utf8LongerThan(request.payload, this.hubLimits.maxPayloadBytes)) return 'payload-too-large';
      if (!isPublishableTopic(request.topic, this.hubLimits.maxTopicLength)) return 'bad-topic';
      return this.policy ? this.policy.check(request, connection.clientId) : null;
    };

    const put = (request: PublishRequest) => {
      const qos = request.qos === 1 ? 1 : 0;
      const options =
        this.policy?.isSecret(request.topic, request.payload) === true
          ? secretOptions[qos]
          : putOptions[qos][request.retain === true ? 1 : 0];
      this.bus.publish(request.topic, request.payload, options);
    };

    return {
      admit: () => {
        if (!attached) return false;
        if (bucket.take()) return true;
        this.drops.record('rate-limit');
        return false;
      },
      publish: (request) => {
        if (!attached) return null;
        this.tally.messagesIn += 1;
        const refusal = check(request);
        if (refusal !== null) return refuse(refusal);
        put(request);
        return null;
      },
      subscribe: (filter) => {
        if (!attached) return null;
        if (!isValidFilter(filter, this.hubLimits.maxTopicLength)) return refuse('bad-filter');
        if (subscriptions.has(filter)) return null;
        if (subscriptions.size >= this.hubLimits.maxSubscriptions) return refuse('too-many-subscriptions');
        subscriptions.set(filter, this.bus.subscribe(filter, deliver));
        return null;
      },
      unsubscribe: (filter) => {
        subscriptions.get(filter)?.();
        subscriptions.delete(filter);
      },
      setWill: (request) => {
        if (!attached) return null;
        if (request === null) {
          will = null;
          return null;
        }
        const refusal = check(request);
        if (refusal !== null) return refuse(refusal);
        will = request;
        return null;
      },
      goodbye: () => {
        will = null;
      },
      detach: () => {
        if (!attached) return;
        attached = false;
        this.tally.connections -= 1;
        for (const unsubscribe of subscriptions.values()) unsubscribe();
        subscriptions.clear();
        if (will === null || this.stopping) return;
        // Seats may have changed since the will was registered: the policy decides now.
        const refusal = check(will);
        if (refusal !== null) refuse(refusal);
        else put(will);
      },
    };
  }
}
