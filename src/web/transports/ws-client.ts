/**
 * The ws transport in the browser: the browser's own WebSocket to /ws, carrying the same text
 * framing as the terminal client (docs/PROTOCOL.md). Queueing, retries, wills and subscriptions
 * are the framed client core's (transports/framed/client.ts), shared with the terminal's ws and
 * WebRTC clients; this class owns the socket. A browser cannot read why an upgrade was refused
 * (an HTTP 409 or 429 before the WebSocket opens): that shows as a socket closed before it opened.
 */
import { FramedClient, type ByteCounters } from '../../transports/framed/client.js';
import { encodeClientFrame } from '../../transports/framed/framing.js';
import { KICK_REASONS } from '../../transports/limits.js';
import { TransportError, type ClientOptions, type TransportErrorCode } from '../../transports/transport.js';
import { socketUrl } from './server-urls.js';
import { utf8Bytes } from './utf8-bytes.js';

const CONNECT_TIMEOUT_MS = 5_000;
/** The ws endpoint's path, as the server registers it. */
export const WS_PATH = '/ws';

export class BrowserWsClient extends FramedClient {
  readonly name = 'ws' as const;
  private socket: WebSocket | null = null;
  /** The text frames' bytes: what the page's WebSocket carried, its own headers not included. */
  private readonly bytes: ByteCounters = { bytesIn: 0, bytesOut: 0 };

  constructor(private readonly options: ClientOptions) {
    super(options, CONNECT_TIMEOUT_MS);
  }

  protected dial(): void {
    const socket = new WebSocket(socketUrl(this.options.serverUrl, WS_PATH, { clientId: this.options.clientId, token: this.seatToken }));
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.opened();
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      this.bytes.bytesIn += utf8Bytes(event.data);
      this.receive(event.data);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.socket === socket) this.socket = null;
      if (event.reason === KICK_REASONS.takenOver) return this.end(event.reason);
      // Refused before it opened (a held client id, too many connections): retrying will not help.
      const why = opened ? `closed by server (${event.code}${event.reason ? ` ${event.reason}` : ''})` : 'refused or unreachable';
      this.lost(why, opened ? undefined : this.connectError(why, 'EUNREACHABLE'));
    });
  }

  protected transmit(frame: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    this.bytes.bytesOut += utf8Bytes(frame);
    return true;
  }

  protected abandon(): void {
    this.socket?.close();
    this.socket = null;
  }

  protected hangUp(): Promise<void> {
    const socket = this.socket;
    if (socket === null || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const force = setTimeout(resolve, 1_000);
      socket.addEventListener('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeClientFrame({ kind: 'bye' }));
      socket.close(1000, 'client closed');
    });
  }

  protected connectTimedOut(): void {
    const reason = `no answer within ${this.timeoutMs} ms`;
    this.lost(reason, this.connectError(reason, 'EUNREACHABLE'));
  }

  protected connectError(reason: string, code: TransportErrorCode): TransportError {
    return new TransportError(code, `cannot reach the WebSocket endpoint at ${this.options.serverUrl}${WS_PATH}: ${reason}`);
  }

  protected bytesCarried(): ByteCounters {
    return this.bytes;
  }
}
