/**
 * The ws transport in the browser: the browser's own WebSocket to /ws, carrying the same text
 * framing as the terminal client (docs/PROTOCOL.md). A browser cannot read why an upgrade was
 * refused (an HTTP 409 or 429 before the WebSocket opens): that shows as a connection that
 * closed before it opened.
 */
import type { ClientOptions } from '../../transports/transport.js';
import { KICK_REASONS } from '../../transports/limits.js';
import { encodeClientFrame } from '../../transports/ws/framing.js';
import { BrowserFramedClient } from './framed-core.js';
import { socketUrl } from './server-urls.js';

const CONNECT_TIMEOUT_MS = 5_000;
/** The ws endpoint's path, as the server registers it. */
export const WS_PATH = '/ws';

export class BrowserWsClient extends BrowserFramedClient {
  readonly name = 'ws' as const;
  private socket: WebSocket | null = null;

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
      if (typeof event.data === 'string') this.receive(event.data);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.socket === socket) this.socket = null;
      if (event.reason === KICK_REASONS.takenOver) return this.end(event.reason);
      const why = opened ? `closed by server (${event.code}${event.reason ? ` ${event.reason}` : ''})` : 'refused or unreachable';
      // Refused before it opened (a held client id, too many connections): retrying will not help.
      this.lost(why, !opened);
    });
  }

  protected transmit(frame: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
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
}
