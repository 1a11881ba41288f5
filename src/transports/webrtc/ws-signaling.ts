/**
 * Signaling over a plain WebSocket at /rtc on the server's shared port: one JSON text message
 * per SignalMessage (see ./signal.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { declaredIdentity } from '../claim-client-id.js';
import { Heartbeat } from '../heartbeat.js';
import type { UpgradeRouter } from '../../bus/upgrade-router.js';
import { rawToString } from '../framed/raw-data.js';
import type { AcceptLink, DialLink, SignalingEndpoint, SignalingLink, SignalingLinkEvents } from './links.js';
import { LINK_CLOSE_GRACE_MS, RTC_WS_PATH } from './links.js';
import { encodeSignal, MAX_SIGNAL_BYTES, parseSignalText } from './signal.js';

/** A signaling socket that misses a ping for this long is dead (its peer may still look alive). */
const HEARTBEAT_MS = 15_000;

/** http://host:port → ws://host:port/rtc?clientId=...[&token=...] */
export function rtcWsUrl(serverUrl: string, clientId: string, token: string | null = null): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.pathname = RTC_WS_PATH;
  url.search = '';
  url.searchParams.set('clientId', clientId);
  if (token !== null) url.searchParams.set('token', token);
  return url.toString();
}

function wrap(ws: WebSocket, events: SignalingLinkEvents): SignalingLink {
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const message = isBinary ? null : parseSignalText(rawToString(data));
    if (message === null) events.onMalformed();
    else events.onMessage(message);
  });
  return {
    send: (message) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(encodeSignal(message));
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        const force = setTimeout(() => ws.terminate(), LINK_CLOSE_GRACE_MS);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000);
      }),
  };
}

/** `token` is read at every dial: the seat token the client holds by then. */
export function dialWs(serverUrl: string, clientId: string, token: () => string | null, timeoutMs: number, ca?: string): DialLink {
  return (events) =>
    new Promise<SignalingLink>((resolve, reject) => {
      const url = rtcWsUrl(serverUrl, clientId, token());
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        maxPayload: MAX_SIGNAL_BYTES,
        handshakeTimeout: timeoutMs,
        ...(ca !== undefined ? { ca } : {}),
      });
      let opened = false;
      let failure = 'connection closed';
      ws.on('error', (error: NodeJS.ErrnoException) => {
        failure = error.code ?? error.message;
      });
      ws.on('open', () => {
        opened = true;
        resolve(wrap(ws, events));
      });
      ws.on('close', (code) => {
        if (!opened) reject(new Error(failure));
        else events.onClose(code === 1006 || code === 1005 ? `signaling ${failure}` : `signaling closed by server (${code})`);
      });
    });
}

export class WsSignalingEndpoint implements SignalingEndpoint {
  private wss: WebSocketServer | null = null;
  private heartbeat: Heartbeat | null = null;
  private readonly alive = new WeakMap<WebSocket, boolean>();

  constructor(
    private readonly upgrades: UpgradeRouter,
    private readonly accept: AcceptLink,
  ) {}

  start(): void {
    if (this.wss) return;
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SIGNAL_BYTES, perMessageDeflate: false });
    const heartbeat = new Heartbeat(HEARTBEAT_MS, () => this.sweep(), () => wss.clients.size > 0);
    this.upgrades.register(RTC_WS_PATH, (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      heartbeat.wake();
      wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request));
    });
    this.wss = wss;
    this.heartbeat = heartbeat;
  }

  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = null;
    this.upgrades.unregister(RTC_WS_PATH);
    this.heartbeat?.stop();
    this.heartbeat = null;
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, request: IncomingMessage): void {
    let events: SignalingLinkEvents | null = null;
    const link = wrap(ws, {
      onMessage: (message) => events?.onMessage(message),
      onMalformed: () => events?.onMalformed(),
      onClose: () => undefined,
    });
    const accepted = this.accept(link, declaredIdentity(request), request.socket.remoteAddress ?? 'unknown');
    if (typeof accepted === 'string') {
      link.send({ type: 'error', message: accepted });
      ws.close(1008, accepted);
      return;
    }
    events = accepted;
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', () => this.alive.set(ws, true));
    ws.on('error', () => {
      // An oversized or invalid frame; ws closes the socket next, and 'close' reports it.
    });
    ws.on('close', () => {
      events?.onClose('signaling closed');
      this.heartbeat?.left();
    });
  }

  private sweep(): void {
    for (const ws of this.wss?.clients ?? []) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}
