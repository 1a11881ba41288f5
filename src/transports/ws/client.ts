/**
 * Client side of the raw WebSocket transport: one WebSocket at /ws carrying the text framing.
 * Queueing, retries, wills and subscriptions are the framed client core's (../framed/client.ts);
 * this class owns the socket, its URL and its liveness.
 */
import { AddressRing, addressList } from '../address-ring.js';
import net, { type NetConnectOpts } from 'node:net';
import tls from 'node:tls';
import { WebSocket } from 'ws';
import { FramedClient, type ByteCounters } from '../framed/client.js';
import { encodeClientFrame } from '../framed/framing.js';
import { rawToString } from '../framed/raw-data.js';
import { KICK_REASONS } from '../limits.js';
import { TransportError, type ClientOptions, type TransportErrorCode } from '../transport.js';
import { WireMeter } from '../wire-meter.js';
import { DEFAULT_HEARTBEAT_MS, WS_MAX_FRAME_BYTES } from './limits.js';
import { REFUSAL_HEADER } from './refusal.js';
import { withToken, wsUrlFor } from './url.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export class WsClient extends FramedClient {
  readonly name = 'ws' as const;
  /** Why the last connection ended, e.g. `closed by server (1008 rate-limit)`. */
  lastClose: string | null = null;

  /** The servers to try, in turn (a cluster's nodes); `url` is the one dialled last. */
  private readonly urls: AddressRing<string>;
  private url: string;
  private readonly meter = new WireMeter();
  private readonly livenessMs: number;
  private socket: WebSocket | null = null;
  private livenessTimer: NodeJS.Timeout | null = null;
  private aliveUntil = 0;

  constructor(private readonly options: ClientOptions) {
    super(options, DEFAULT_CONNECT_TIMEOUT_MS);
    this.urls = new AddressRing(addressList(options.serverUrl).map((url) => wsUrlFor(url, options.clientId)));
    this.url = this.urls.current;
    // Several missed server pings in a row: the server or the path to it is gone.
    this.livenessMs = 2.5 * Number(options.extra?.['wsHeartbeatMs'] ?? DEFAULT_HEARTBEAT_MS);
  }

  protected dial(): void {
    this.url = this.urls.next();
    let failure = 'connection closed';
    const socket = new WebSocket(withToken(this.url, this.seatToken), {
      perMessageDeflate: false,
      maxPayload: WS_MAX_FRAME_BYTES,
      handshakeTimeout: this.timeoutMs,
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      createConnection: ((options: NetConnectOpts & tls.ConnectionOptions) => {
        const socket = this.url.startsWith('wss:') ? tls.connect(options) : net.connect(options);
        this.meter.track(socket);
        return socket;
      }) as typeof net.createConnection,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.armLiveness();
      this.opened();
    });
    socket.on('message', (data) => {
      this.receive(rawToString(data));
      // After delivery: whatever answers the frame (an ack) should not wait on timer bookkeeping.
      this.armLiveness();
    });
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
      this.stopLiveness();
      const text = reason.toString('utf8');
      if (text === KICK_REASONS.takenOver) {
        this.lastClose = text;
        return this.end(text);
      }
      const why = text.length > 0 ? ` ${text}` : '';
      this.lastClose = code === 1006 || code === 1005 ? failure : `closed by server (${code}${why})`;
      this.lost(this.lastClose, this.connectError(this.lastClose, 'EUNREACHABLE'));
    });
  }

  protected transmit(frame: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  protected abandon(): void {
    this.stopLiveness();
    this.socket?.terminate();
  }

  protected async hangUp(): Promise<void> {
    this.stopLiveness();
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

  protected connectTimedOut(): void {
    const reason = `no answer within ${this.timeoutMs} ms`;
    this.lost(reason, this.connectError(reason, 'EUNREACHABLE'));
  }

  protected connectError(reason: string, code: TransportErrorCode): TransportError {
    return new TransportError(code, `cannot reach ${this.url} — ${reason}`);
  }

  protected bytesCarried(): ByteCounters {
    return this.meter.counters;
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

  private stopLiveness(): void {
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = null;
  }
}
