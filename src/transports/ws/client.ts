/**
 * Client side of the raw WebSocket transport. After the first connection it never gives up:
 * drops are retried with capped exponential backoff and its subscriptions are sent again.
 * Nothing stale is replayed: latest-wins publishes made while offline are dropped, reliable
 * ones wait in a small bounded queue.
 */
import net, { type NetConnectOpts } from 'node:net';
import tls from 'node:tls';
import { WebSocket, type RawData } from 'ws';
import { ClientEvents } from '../client-events.js';
import {
  TransportError,
  type WillMessage,
  type ClientOptions,
  type ConnectionStatus,
  type MessageHandler,
  type PublishOptions,
  type StatusHandler,
  type TransportClient,
  type WireCounters,
} from '../transport.js';
import { WireMeter } from '../wire-meter.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../framed/backoff.js';
import { decodeServerFrame, encodeClientFrame, isFrameToken } from '../framed/framing.js';
import { DEFAULT_HEARTBEAT_MS, WS_MAX_FRAME_BYTES } from './limits.js';
import { KICK_REASONS } from '../limits.js';
import { rawToString } from '../framed/raw-data.js';
import { REFUSAL_HEADER } from './refusal.js';
import { withToken, wsUrlFor } from './url.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Reliable publishes kept while offline; beyond this the oldest go (they would be stale). */
export const MAX_QUEUED_RELIABLE = 64;

interface FirstConnect {
  resolve: () => void;
  reject: (error: TransportError) => void;
}

export class WsClient implements TransportClient {
  readonly name = 'ws' as const;
  /** Server `err` frames received (refused publish or subscribe, malformed frame). */
  refusals = 0;
  lastRefusal: string | null = null;
  /** Why the last connection ended, e.g. `closed by server (1008 rate-limit)`. */
  lastClose: string | null = null;
  /** Latest-wins publishes dropped because there was no connection. */
  droppedOffline = 0;

  private readonly url: string;
  private seatToken: string | null = null;
  private readonly events = new ClientEvents();
  private readonly meter = new WireMeter();
  private readonly filters = new Set<string>();
  private readonly queued: string[] = [];
  private readonly backoff: BackoffOptions;
  private readonly livenessMs: number;
  private socket: WebSocket | null = null;
  private will: string | null = null;
  private firstConnect: FirstConnect | null = null;
  private everConnected = false;
  private closing = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private livenessTimer: NodeJS.Timeout | null = null;
  private aliveUntil = 0;

  constructor(private readonly options: ClientOptions) {
    this.url = wsUrlFor(options.serverUrl, options.clientId);
    const extra = options.extra ?? {};
    this.backoff = {
      baseMs: Number(extra['reconnectBaseMs'] ?? DEFAULT_BACKOFF.baseMs),
      maxMs: Number(extra['reconnectMaxMs'] ?? DEFAULT_BACKOFF.maxMs),
    };
    // Several missed server pings in a row: the server or the path to it is gone.
    this.livenessMs = 2.5 * Number(extra['wsHeartbeatMs'] ?? DEFAULT_HEARTBEAT_MS);
  }

  get status(): ConnectionStatus {
    return this.events.status;
  }

  get wire(): Readonly<WireCounters> {
    return this.meter.counters;
  }

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new TransportError('ECLOSED', 'ws client is closed'));
    if (this.everConnected || this.firstConnect) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.failFirst(`no answer within ${timeoutMs} ms`), timeoutMs);
      this.firstConnect = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.events.setStatus('connecting');
      this.open();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    const frame = encodeClientFrame({ kind: 'pub', topic, qos, retain: options.retain ?? false, payload });
    if (this.sendNow(frame)) {
      this.meter.messagesOut += 1;
    } else if (options.reliable ?? qos === 1) {
      if (this.queued.length >= MAX_QUEUED_RELIABLE) this.queued.shift();
      this.queued.push(frame);
    } else {
      this.droppedOffline += 1;
    }
  }

  subscribe(filter: string): void {
    this.assertOpen();
    this.assertToken(filter);
    this.filters.add(filter);
    this.sendNow(encodeClientFrame({ kind: 'sub', filter }));
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    this.assertToken(filter);
    this.filters.delete(filter);
    this.sendNow(encodeClientFrame({ kind: 'unsub', filter }));
  }

  setWill(will: WillMessage | null): void {
    this.assertOpen();
    this.will = encodeWill(will);
    this.sendNow(this.will ?? encodeClientFrame({ kind: 'will', will: null }));
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
    if (this.closing) return;
    this.closing = true;
    this.clearTimers();
    this.events.setStatus('closed');
    this.firstConnect?.reject(new TransportError('ECLOSED', 'ws client was closed while connecting'));
    this.firstConnect = null;
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      // A peer that never answers the closing handshake must not hold close() up.
      const force = setTimeout(() => socket.terminate(), 1_000);
      socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) return socket.terminate();
      socket.send(encodeClientFrame({ kind: 'bye' }));
      socket.close(1000, 'client closed');
    });
  }

  private open(): void {
    let failure = 'connection closed';
    const socket = new WebSocket(withToken(this.url, this.seatToken), {
      perMessageDeflate: false,
      maxPayload: WS_MAX_FRAME_BYTES,
      handshakeTimeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      createConnection: ((options: NetConnectOpts & tls.ConnectionOptions) => {
        const socket = this.url.startsWith('wss:') ? tls.connect(options) : net.connect(options);
        this.meter.track(socket);
        return socket;
      }) as typeof net.createConnection,
    });
    this.socket = socket;
    socket.on('open', () => this.onOpen());
    socket.on('message', (data) => this.onFrame(data));
    socket.on('ping', () => this.armLiveness());
    // Refused before the upgrade (see ./refusal.ts): the reason is in a header, not a close frame.
    socket.on('unexpected-response', (request, response) => {
      const refusal = response.headers[REFUSAL_HEADER];
      request.destroy(new Error(typeof refusal === 'string' ? `refused: ${refusal}` : `HTTP ${response.statusCode ?? '?'}`));
    });
    // ws always follows 'error' with 'close'; the error only tells the close why.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code ?? error.message;
    });
    socket.on('close', (code, reason) => {
      if (this.socket === socket) this.socket = null;
      const text = reason.toString('utf8');
      if (text === KICK_REASONS.takenOver) return this.end(text);
      const why = text.length > 0 ? ` ${text}` : '';
      this.onClose(code === 1006 || code === 1005 ? failure : `closed by server (${code}${why})`);
    });
  }

  private onOpen(): void {
    this.attempt = 0;
    this.everConnected = true;
    if (this.will !== null) this.sendNow(this.will);
    for (const filter of this.filters) this.sendNow(encodeClientFrame({ kind: 'sub', filter }));
    for (const frame of this.queued.splice(0)) if (this.sendNow(frame)) this.meter.messagesOut += 1;
    this.armLiveness();
    this.events.setStatus('connected');
    this.firstConnect?.resolve();
    this.firstConnect = null;
  }

  private onFrame(data: RawData): void {
    const decoded = decodeServerFrame(rawToString(data));
    if (!decoded.ok) {
      this.refusals += 1;
      this.lastRefusal = `malformed frame from server: ${decoded.error}`;
      return this.armLiveness();
    }
    const frame = decoded.frame;
    if (frame.kind === 'err') {
      this.refusals += 1;
      this.lastRefusal = `${frame.reason} ${frame.detail}`;
      return this.armLiveness();
    }
    this.meter.messagesIn += 1;
    this.events.deliver(frame.topic, frame.payload);
    // After delivery: whatever answers the frame (an ack) should not wait on timer bookkeeping.
    this.armLiveness();
  }

  private onClose(reason: string): void {
    this.lastClose = reason;
    this.clearTimers();
    if (this.closing) return;
    if (!this.everConnected) {
      this.failFirst(reason);
      return;
    }
    this.events.setStatus('reconnecting', reason);
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /** The server ended this client for good (a newer connection of it took over): no retries. */
  private end(reason: string): void {
    this.lastClose = reason;
    this.clearTimers();
    this.closing = true;
    this.failFirst(reason);
    this.events.setStatus('closed', reason);
  }

  private failFirst(reason: string): void {
    const pending = this.firstConnect;
    if (!pending) return;
    this.firstConnect = null;
    this.socket?.terminate();
    this.events.setStatus('disconnected', reason);
    pending.reject(new TransportError('EUNREACHABLE', `cannot reach ${this.url} — ${reason}`));
  }

  private sendNow(frame: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  /**
   * Heard from the server: it is alive until livenessMs from now. One timer checks the deadline
   * when it fires and re-arms for what is left, instead of a new timer for every frame (60 and
   * more a second, each an allocation and two timer-list updates).
   */
  private armLiveness(): void {
    this.aliveUntil = performance.now() + this.livenessMs;
    if (this.livenessTimer !== null) return;
    const check = (): void => {
      const left = this.aliveUntil - performance.now();
      if (left > 0) {
        this.livenessTimer = setTimeout(check, left);
        this.livenessTimer.unref();
        return;
      }
      this.livenessTimer = null;
      this.socket?.terminate();
    };
    this.livenessTimer = setTimeout(check, this.livenessMs);
    this.livenessTimer.unref();
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.retryTimer = null;
    this.livenessTimer = null;
  }

  private assertOpen(): void {
    if (this.closing) throw new TransportError('ECLOSED', 'ws client is closed');
  }

  private assertToken(filter: string): void {
    if (!isFrameToken(filter)) throw new TypeError(`filter ${JSON.stringify(filter)} is empty or has whitespace`);
  }
}

function encodeWill(will: WillMessage | null): string | null {
  if (will === null) return null;
  return encodeClientFrame({ kind: 'will', will: { topic: will.topic, qos: will.qos ?? 0, retain: will.retain ?? false, payload: will.payload } });
}
