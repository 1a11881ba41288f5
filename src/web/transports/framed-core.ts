/**
 * The browser's client core for the framed transports (ws, WebRTC): everything about a
 * connection that does not depend on what carries its frames, as the terminal clients do it.
 * After the first connection it never gives up: a lost link is dialled again with capped
 * exponential backoff, and every new link gets the will, the subscriptions and the reliable
 * publishes queued meanwhile; latest-wins publishes made while offline are dropped.
 *
 * A transport extends it with its link: dial() one, transmit() a frame on it now, abandon() it
 * or hangUp() cleanly. The link reports back through opened(), receive(), lost() and end().
 */
import { ClientEvents } from '../../transports/client-events.js';
import {
  TransportError,
  type ClientOptions,
  type ConnectionStatus,
  type MessageHandler,
  type PublishOptions,
  type StatusHandler,
  type TransportClient,
  type WillMessage,
  type WireCounters,
} from '../../transports/transport.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../../transports/ws/backoff.js';
import { decodeServerFrame, encodeClientFrame } from '../../transports/ws/framing.js';
import { utf8Bytes } from './utf8-bytes.js';

/** Reliable publishes kept while offline; beyond this the oldest go (they would be stale). */
const MAX_QUEUED_RELIABLE = 64;

export abstract class BrowserFramedClient implements TransportClient {
  abstract readonly name: 'ws' | 'webrtc';
  /** The last `err` frame the server sent, "reason detail". */
  lastRefusal: string | null = null;

  protected readonly events = new ClientEvents();
  protected seatToken: string | null = null;
  protected readonly timeoutMs: number;
  private readonly filters = new Set<string>();
  private readonly queued: string[] = [];
  private will: string | null = null;
  private firstConnect: { resolve: () => void; reject: (error: TransportError) => void } | null = null;
  private connectedOnce = false;
  private closingNow = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly counters: WireCounters = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };

  constructor(options: ClientOptions, defaultTimeoutMs: number) {
    this.timeoutMs = options.connectTimeoutMs ?? defaultTimeoutMs;
  }

  protected abstract dial(): void;
  protected abstract transmit(frame: string, reliable: boolean): boolean;
  protected abstract abandon(): void;
  protected abstract hangUp(): Promise<void>;

  get status(): ConnectionStatus {
    return this.events.status;
  }

  get detail(): string | undefined {
    return this.events.detail;
  }

  /** The bytes of the frames this page sent and received (headers below them are the browser's). */
  get wire(): Readonly<WireCounters> {
    return this.counters;
  }

  protected get closing(): boolean {
    return this.closingNow;
  }

  connect(): Promise<void> {
    if (this.closingNow) return Promise.reject(new TransportError('ECLOSED', `${this.name} client is closed`));
    if (this.connectedOnce || this.firstConnect) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    return new Promise<void>((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.deadlineTimer = setTimeout(() => this.lost(`no answer within ${this.timeoutMs} ms`, true), this.timeoutMs);
      this.events.setStatus('connecting');
      this.dial();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    const retain = options.retain ?? false;
    const reliable = options.reliable ?? (qos === 1 || retain);
    const frame = encodeClientFrame({ kind: 'pub', topic, qos, retain, payload });
    if (this.send(frame, reliable)) return;
    if (!reliable) return;
    if (this.queued.length >= MAX_QUEUED_RELIABLE) this.queued.shift();
    this.queued.push(frame);
  }

  subscribe(filter: string): void {
    this.assertOpen();
    this.filters.add(filter);
    this.send(encodeClientFrame({ kind: 'sub', filter }), true);
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    this.filters.delete(filter);
    this.send(encodeClientFrame({ kind: 'unsub', filter }), true);
  }

  setWill(will: WillMessage | null): void {
    this.assertOpen();
    this.will =
      will === null
        ? null
        : encodeClientFrame({ kind: 'will', will: { topic: will.topic, qos: will.qos ?? 0, retain: will.retain ?? false, payload: will.payload } });
    this.send(this.will ?? encodeClientFrame({ kind: 'will', will: null }), true);
  }

  setSeatToken(token: string | null): void {
    this.seatToken = token;
  }

  onMessage(handler: MessageHandler): () => void {
    return this.events.onMessage(handler);
  }

  onStatus(handler: StatusHandler): () => void {
    return this.events.onStatus(handler);
  }

  async close(): Promise<void> {
    if (this.closingNow) return;
    this.closingNow = true;
    this.clearTimers();
    this.events.setStatus('closed');
    this.firstConnect?.reject(new TransportError('ECLOSED', `${this.name} client was closed while connecting`));
    this.firstConnect = null;
    await this.hangUp();
  }

  /** The link is open: it gets the will, the subscriptions and the queued publishes, in that order. */
  protected opened(): void {
    this.clearTimers();
    this.attempt = 0;
    this.connectedOnce = true;
    if (this.will !== null) this.send(this.will, true);
    for (const filter of this.filters) this.send(encodeClientFrame({ kind: 'sub', filter }), true);
    for (const frame of this.queued.splice(0)) this.send(frame, true);
    this.events.setStatus('connected');
    this.firstConnect?.resolve();
    this.firstConnect = null;
  }

  /** One frame from the server. */
  protected receive(text: string): void {
    this.counters.bytesIn += utf8Bytes(text);
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) {
      this.lastRefusal = `malformed frame from server: ${decoded.error}`;
      return;
    }
    const frame = decoded.frame;
    if (frame.kind === 'err') {
      this.lastRefusal = `${frame.reason} ${frame.detail}`;
      return;
    }
    this.counters.messagesIn += 1;
    this.events.deliver(frame.topic, frame.payload);
  }

  /**
   * The link is gone (or the attempt failed). Before the first connection a `fatal` loss ends
   * connect() with the reason; otherwise it is dialled again after a backoff.
   */
  protected lost(reason: string, fatal = false): void {
    if (this.closingNow) return;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const first = this.firstConnect;
    if (first === null && !this.connectedOnce) return;
    if (first !== null && fatal) {
      this.firstConnect = null;
      this.clearTimers();
      this.abandon();
      this.events.setStatus('disconnected', reason);
      first.reject(new TransportError('EUNREACHABLE', `cannot reach the ${this.name} endpoint: ${reason}`));
      return;
    }
    if (first !== null) this.events.setDetail(reason);
    else this.events.setStatus('reconnecting', reason);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dial();
    }, backoffDelay(this.attempt++, DEFAULT_BACKOFF));
  }

  /** The server ended this client for good (a newer connection of it took over): no retries. */
  protected end(reason: string): void {
    this.closingNow = true;
    this.clearTimers();
    this.abandon();
    const first = this.firstConnect;
    this.firstConnect = null;
    first?.reject(new TransportError('EUNREACHABLE', reason));
    this.events.setStatus('closed', reason);
  }

  private send(frame: string, reliable: boolean): boolean {
    if (!this.transmit(frame, reliable)) return false;
    this.counters.bytesOut += utf8Bytes(frame);
    this.counters.messagesOut += 1;
    return true;
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.retryTimer = null;
    this.deadlineTimer = null;
  }

  private assertOpen(): void {
    if (this.closingNow) throw new TransportError('ECLOSED', `${this.name} client is closed`);
  }
}
