/**
 * Simulated network conditions (delay, jitter, loss) between one gateway and the bus, in both
 * directions, without the gateway knowing: it gets this view of the bus instead of the bus.
 * Inbound is what the gateway publishes (its clients' messages); outbound is what its
 * subscription handlers receive (what goes down to its clients).
 *
 * Two delivery models, because that is the difference a classroom should see:
 * - ordered (TCP: MQTT, ws, Socket.io, and WebRTC's reliable channel): a lost message is not
 *   gone but retransmitted after a timeout, and everything behind it on the same stream waits
 *   for it (head-of-line blocking). Outbound, a stream is one subscription (for MQTT the
 *   bridge's single pong/# subscription, i.e. the server's link to the broker); inbound, one
 *   topic, since every client publishes on topics of its own.
 * - unordered (the WebRTC gateway's qos 0, not retained messages: its unreliable channel):
 *   each message is delayed on its own, may overtake others, and a lost one is dropped.
 */
import type { BusHandler, BusMessage, BusView, PublishOptions } from './bus.js';


export interface NetworkConditions {
  /** Mean one-way delay added to every message, ms. */
  delayMs: number;
  /** Each message's delay is drawn uniformly from delayMs ± jitterMs (never below 0), ms. */
  jitterMs: number;
  /** Chance of losing each message, percent (0-100). */
  lossPct: number;
}

export interface ConditionTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ConditionedBusOptions {
  /** Which gateway this view is for: only 'webrtc' has an unreliable path. */
  gateway: string;
  conditions: NetworkConditions;
  now?: () => number;
  random?: () => number;
  timers?: ConditionTimers;
}

/**
 * Linux's minimum TCP retransmission timeout: a lost segment on a quiet connection (no
 * duplicate acks to trigger a fast retransmit at 60 small messages a second) waits this long.
 */
export const MIN_RTO_MS = 200;
/** Linux gives up on a segment after 15 retransmissions (tcp_retries2); so does the model. */
export const MAX_RETRANSMITS = 15;

const nodeTimers: ConditionTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // Messages still in flight must not keep a stopping server alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function hasConditions(conditions: NetworkConditions | undefined): conditions is NetworkConditions {
  return conditions !== undefined && (conditions.delayMs > 0 || conditions.jitterMs > 0 || conditions.lossPct > 0);
}

/** The gateway's view of `bus`: the bus itself when there is nothing to simulate. */
export function conditionedBus(bus: BusView, gateway: string, conditions: NetworkConditions | undefined): BusView {
  return hasConditions(conditions) ? new ConditionedBus(bus, { gateway, conditions }) : bus;
}

/** One ordered stream: messages leave in arrival order, none before the one ahead of it. */
class OrderedLane {
  private readonly queue: Array<{ due: number; deliver: () => void }> = [];
  private lastDue = -Infinity;
  private timer: unknown = null;

  constructor(
    private readonly now: () => number,
    private readonly timers: ConditionTimers,
  ) {}

  push(due: number, deliver: () => void): void {
    const at = Math.max(due, this.lastDue);
    this.lastDue = at;
    if (this.queue.length === 0 && at <= this.now()) return deliver();
    this.queue.push({ due: at, deliver });
    if (this.queue.length === 1) this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (head === undefined || this.timer !== null) return;
    this.timer = this.timers.setTimeout(this.flush, Math.max(0, head.due - this.now()));
  }

  private readonly flush = (): void => {
    this.timer = null;
    const now = this.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) this.queue.shift()!.deliver();
    this.arm();
  };

  cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

export class ConditionedBus implements BusView {
  private readonly inner: BusView;
  private readonly conditions: NetworkConditions;
  private readonly unreliablePath: boolean;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timers: ConditionTimers;
  private readonly inboundLanes = new Map<string, OrderedLane>();
  private readonly rto: number;
  private dropped = 0;

  constructor(inner: BusView, options: ConditionedBusOptions) {
    this.inner = inner;
    const { delayMs, jitterMs, lossPct } = options.conditions;
    if (![delayMs, jitterMs, lossPct].every((v) => Number.isFinite(v) && v >= 0) || lossPct > 100) {
      throw new RangeError(`invalid network conditions: delay ${delayMs}, jitter ${jitterMs}, loss ${lossPct}`);
    }
    this.conditions = options.conditions;
    this.unreliablePath = options.gateway === 'webrtc';
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? nodeTimers;
    // An RTO is at least the round trip plus its variation; never below the kernel's floor.
    this.rto = Math.max(MIN_RTO_MS, 2 * (delayMs + jitterMs));
  }

  /** Messages the unreliable path dropped. */
  get drops(): number {
    return this.dropped;
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    const send = () => this.inner.publish(topic, payload, options);
    if (this.isUnreliable(options.qos ?? 0, options.retain ?? false)) return this.unordered(send);
    let lane = this.inboundLanes.get(topic);
    if (lane === undefined) {
      lane = new OrderedLane(this.now, this.timers);
      this.inboundLanes.set(topic, lane);
    }
    lane.push(this.now() + this.orderedDelay(), send);
  }

  subscribe(filter: string, handler: BusHandler): () => void {
    const lane = new OrderedLane(this.now, this.timers);
    let live = true;
    const conditioned = (message: BusMessage) => {
      const deliver = () => {
        if (live) handler(message);
      };
      if (this.isUnreliable(message.qos, message.retain)) this.unordered(deliver);
      else lane.push(this.now() + this.orderedDelay(), deliver);
    };
    const unsubscribe = this.inner.subscribe(filter, conditioned);
    return () => {
      live = false;
      lane.cancel();
      unsubscribe();
    };
  }

  retainedMessage(topic: string): BusMessage | undefined {
    return this.inner.retainedMessage(topic);
  }

  private isUnreliable(qos: 0 | 1, retain: boolean): boolean {
    return this.unreliablePath && qos === 0 && !retain;
  }

  /** One-way delay of one transmission: uniform in delay ± jitter, never negative. */
  sampleDelay(): number {
    const { delayMs, jitterMs } = this.conditions;
    return Math.max(0, delayMs + jitterMs * (2 * this.random() - 1));
  }

  private lost(): boolean {
    return this.conditions.lossPct > 0 && this.random() * 100 < this.conditions.lossPct;
  }

  /** A lost transmission costs a timeout and is sent again (and may be lost again: backoff). */
  private orderedDelay(): number {
    let penalty = 0;
    let rto = this.rto;
    for (let attempt = 0; attempt < MAX_RETRANSMITS && this.lost(); attempt++) {
      penalty += rto;
      rto *= 2;
    }
    return penalty + this.sampleDelay();
  }

  private unordered(deliver: () => void): void {
    if (this.lost()) {
      this.dropped += 1;
      return;
    }
    const delay = this.sampleDelay();
    if (delay <= 0) return deliver();
    this.timers.setTimeout(deliver, delay);
  }
}
