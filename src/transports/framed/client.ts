/**
 * The client core of the framed transports (ws, WebRTC): everything about a connection that
 * does not depend on what carries its frames. After the first connection it never gives up: a
 * lost link is dialled again with capped exponential backoff, and every new link gets the will,
 * the subscriptions and the reliable publishes queued meanwhile. Nothing stale is replayed:
 * latest-wins publishes made while offline are dropped and counted.
 *
 * A transport extends it with its link: dial() one, transmit() a frame on it now, abandon() it
 * or hangUp() cleanly, and say how many bytes it carried. The link reports back through
 * opened(), receive(), lost() and, when the server has ended this client for good, end().
 */
import { EventedClient } from '../client-events.js';
import {
  isReliable,
  TransportError,
  type ClientOptions,
  type PublishOptions,
  type TransportClient,
  type TransportErrorCode,
  type WillMessage,
  type WireCounters,
} from '../transport.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { decodeServerFrame, encodeClientFrame, isFrameToken } from './framing.js';

/** Reliable publishes kept while offline; beyond this the oldest go (they would be stale). */
export const MAX_QUEUED_RELIABLE = 64;

interface FirstConnect {
  resolve: () => void;
  reject: (error: TransportError) => void;
}

export type ByteCounters = Pick<WireCounters, 'bytesIn' | 'bytesOut'>;

export abstract class FramedClient extends EventedClient implements TransportClient {
  abstract readonly name: 'ws' | 'webrtc';
  /** Server `err` frames, malformed frames and (WebRTC) signaling errors received. */
  refusals = 0;
  lastRefusal: string | null = null;
  /** Latest-wins publishes dropped because no link was open (or, WebRTC, it was backlogged). */
  droppedOffline = 0;

  /** How long connect() waits for the first link; WebRTC also bounds each later attempt by it. */
  protected readonly timeoutMs: number;
  /** Presented on every new link (see TransportClient.setSeatToken). */
  protected seatToken: string | null = null;

  private readonly backoff: BackoffOptions;
  private readonly filters = new Set<string>();
  private readonly queued: string[] = [];
  private will: string | null = null;
  private firstConnect: FirstConnect | null = null;
  private connectedOnce = false;
  private closingNow = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private messagesIn = 0;
  private messagesOut = 0;

  constructor(options: ClientOptions, defaultTimeoutMs: number) {
    super();
    const extra = options.extra ?? {};
    this.timeoutMs = options.connectTimeoutMs ?? defaultTimeoutMs;
    this.backoff = {
      baseMs: Number(extra['reconnectBaseMs'] ?? DEFAULT_BACKOFF.baseMs),
      maxMs: Number(extra['reconnectMaxMs'] ?? DEFAULT_BACKOFF.maxMs),
    };
  }

  /** Starts one attempt at a link; it ends in opened(), lost() or end(). */
  protected abstract dial(): void;
  /** Sends a frame on the open link now (on its reliable path or not); false when it cannot. */
  protected abstract transmit(frame: string, reliable: boolean): boolean;
  /** Drops the link and any attempt at once, without a word to the server. */
  protected abstract abandon(): void;
  /** A clean close: tells the server (so no will is published), then closes the link. */
  protected abstract hangUp(): Promise<void>;
  /** connect() has waited timeoutMs: end it (see lost()). */
  protected abstract connectTimedOut(): void;
  /** The error a failed connect() rejects with. */
  protected abstract connectError(reason: string, code: TransportErrorCode): TransportError;
  /** Bytes carried by every link so far, as the link counts them. */
  protected abstract bytesCarried(): ByteCounters;

  /** What close() waits for beyond the hang-up, also when called again. */
  protected released(): Promise<void> {
    return Promise.resolve();
  }

  /** The status detail while connecting, e.g. where signaling goes. */
  protected connectingDetail(): string | undefined {
    return undefined;
  }

  /** A publish went out, now or from the queue on a new link. */
  protected countPublished(_reliable: boolean): void {
    this.messagesOut += 1;
  }

  /** What the current status is waiting for or why it was lost, e.g. 'ice checking'. */
  get detail(): string | undefined {
    return this.events.detail;
  }

  get wire(): Readonly<WireCounters> {
    const bytes = this.bytesCarried();
    return { bytesIn: bytes.bytesIn, bytesOut: bytes.bytesOut, messagesIn: this.messagesIn, messagesOut: this.messagesOut };
  }

  protected get closing(): boolean {
    return this.closingNow;
  }

  protected get everConnected(): boolean {
    return this.connectedOnce;
  }

  connect(): Promise<void> {
    if (this.closingNow) return Promise.reject(new TransportError('ECLOSED', `${this.name} client is closed`));
    if (this.connectedOnce || this.firstConnect) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    return new Promise<void>((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.deadlineTimer = setTimeout(() => this.connectTimedOut(), this.timeoutMs);
      this.events.setStatus('connecting', this.connectingDetail());
      this.dial();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const reliable = isReliable(options);
    const frame = encodeClientFrame({ kind: 'pub', topic, qos: options.qos ?? 0, retain: options.retain ?? false, payload });
    if (this.transmit(frame, reliable)) {
      this.countPublished(reliable);
    } else if (reliable) {
      if (this.queued.length >= MAX_QUEUED_RELIABLE) this.queued.shift();
      this.queued.push(frame);
    } else {
      this.droppedOffline += 1;
    }
  }

  subscribe(filter: string): void {
    this.assertOpen();
    assertToken(filter);
    this.filters.add(filter);
    this.transmit(encodeClientFrame({ kind: 'sub', filter }), true);
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    assertToken(filter);
    this.filters.delete(filter);
    this.transmit(encodeClientFrame({ kind: 'unsub', filter }), true);
  }

  setWill(will: WillMessage | null): void {
    this.assertOpen();
    this.will =
      will === null
        ? null
        : encodeClientFrame({ kind: 'will', will: { topic: will.topic, qos: will.qos ?? 0, retain: will.retain ?? false, payload: will.payload } });
    this.transmit(this.will ?? encodeClientFrame({ kind: 'will', will: null }), true);
  }

  setSeatToken(token: string | null): void {
    this.seatToken = token;
  }

  async close(): Promise<void> {
    if (!this.closingNow) {
      this.closingNow = true;
      this.clearTimers();
      this.events.setStatus('closed');
      this.firstConnect?.reject(new TransportError('ECLOSED', `${this.name} client was closed while connecting`));
      this.firstConnect = null;
      await this.hangUp();
    }
    await this.released();
  }

  /** The link is open: it gets the will, the subscriptions and the queued publishes, in that order. */
  protected opened(detail?: string): void {
    this.clearDeadline();
    this.attempt = 0;
    this.connectedOnce = true;
    if (this.will !== null) this.transmit(this.will, true);
    for (const filter of this.filters) this.transmit(encodeClientFrame({ kind: 'sub', filter }), true);
    for (const frame of this.queued.splice(0)) if (this.transmit(frame, true)) this.countPublished(true);
    this.events.setStatus('connected', detail);
    this.firstConnect?.resolve();
    this.firstConnect = null;
  }

  /** One frame from the server; true when it was a message, now delivered. */
  protected receive(text: string): boolean {
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) {
      this.refused(`malformed frame from server: ${decoded.error}`);
      return false;
    }
    const frame = decoded.frame;
    if (frame.kind === 'err') {
      this.refused(`${frame.reason} ${frame.detail}`);
      return false;
    }
    this.messagesIn += 1;
    this.events.deliver(frame.topic, frame.payload);
    return true;
  }

  protected refused(why: string): void {
    this.refusals += 1;
    this.lastRefusal = why;
  }

  /**
   * The link is gone (or the attempt failed). Before the first connection, `fatal` ends connect()
   * with that error; without one the attempt is retried within the connect deadline. After it,
   * every loss is retried.
   */
  protected lost(reason: string, fatal?: TransportError): void {
    if (this.closingNow) return;
    this.clearRetry();
    const first = this.firstConnect;
    // connect() has already failed: nothing is left to retry.
    if (first === null && !this.connectedOnce) return;
    if (first !== null && fatal !== undefined) {
      this.firstConnect = null;
      this.clearDeadline();
      this.abandon();
      this.events.setStatus('disconnected', reason);
      first.reject(fatal);
      return;
    }
    if (first !== null) this.events.setDetail(reason);
    else this.events.setStatus('reconnecting', reason);
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dial();
    }, delay);
  }

  /** The server ended this client for good (a newer connection of it took over): no retries. */
  protected end(reason: string): void {
    this.closingNow = true;
    this.clearTimers();
    this.abandon();
    const first = this.firstConnect;
    this.firstConnect = null;
    first?.reject(this.connectError(reason, 'EUNREACHABLE'));
    this.events.setStatus('closed', reason);
  }

  private clearTimers(): void {
    this.clearRetry();
    this.clearDeadline();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  private assertOpen(): void {
    if (this.closingNow) throw new TransportError('ECLOSED', `${this.name} client is closed`);
  }
}

function assertToken(filter: string): void {
  if (!isFrameToken(filter)) throw new TypeError(`filter ${JSON.stringify(filter)} is empty or has whitespace`);
}
