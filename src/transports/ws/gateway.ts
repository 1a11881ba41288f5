/**
 * Server side of the raw WebSocket transport: an endpoint at /ws on the server's shared HTTP
 * port. Each connection is one ClientHub session; frames are decoded here and nowhere else.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CLIENT_ID_PATTERN } from '../../protocol/constants.js';
import { ClientHub, type HubSession } from '../hub.js';
import type { Gateway, GatewayContext, GatewayCounters } from '../transport.js';
import { decodeClientFrame, encodeServerFrame, type ClientFrame } from './framing.js';
import { DEFAULT_HEARTBEAT_MS, WS_MAX_FRAME_BYTES } from './limits.js';
import { rawToString } from './raw-data.js';
import { httpUrlOf, WS_PATH } from './url.js';

/** Above this much unsent data, latest-wins messages to a slow client are skipped. */
const SLOW_CLIENT_BYTES = 1 << 20;

export class WsGateway implements Gateway {
  readonly name = 'ws' as const;
  private readonly hub: ClientHub;
  private wss: WebSocketServer | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  /** Frames refused before they reach the hub: malformed, binary or over the size limit. */
  private badFrames = 0;
  private nextId = 1;

  constructor(private readonly context: GatewayContext) {
    this.hub = new ClientHub(context.bus, 'ws');
  }

  get counters(): GatewayCounters {
    return { ...this.hub.counters, dropped: this.hub.counters.dropped + this.badFrames };
  }

  async start(): Promise<void> {
    if (this.wss) return;
    const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES, perMessageDeflate: false });
    this.context.upgrades.register(WS_PATH, (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
    this.wss = wss;
    const interval = Number(this.context.options.extra?.['wsHeartbeatMs'] ?? DEFAULT_HEARTBEAT_MS);
    this.heartbeat = setInterval(() => this.sweep(), interval);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = null;
    this.context.upgrades.unregister(WS_PATH);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    // terminate, not close: a stopping server does not wait for each peer's closing handshake.
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  describe(): string {
    return httpUrlOf(this.context.http, this.context.host);
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const id = this.connectionId(request);
    const session = this.hub.attach({
      id,
      send: (topic, payload, reliable) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (!reliable && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
        ws.send(encodeServerFrame({ kind: 'msg', topic, payload }));
      },
    });
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data, isBinary) => this.onFrame(ws, session, data, isBinary));
    ws.on('error', () => {
      // ws reports a frame over maxPayload (or otherwise invalid) here, then closes the socket.
      this.badFrames += 1;
    });
    ws.on('close', () => session.detach());
  }

  private onFrame(ws: WebSocket, session: HubSession, data: RawData, isBinary: boolean): void {
    this.alive.set(ws, true);
    if (isBinary) return this.refuse(ws, 'bad-frame', 'binary frames are not part of the protocol');
    const decoded = decodeClientFrame(rawToString(data));
    if (!decoded.ok) return this.refuse(ws, 'bad-frame', decoded.error);
    const refusal = this.apply(session, decoded.frame);
    if (refusal) sendError(ws, refusal, decoded.frame.kind === 'pub' ? decoded.frame.topic : decoded.frame.filter);
  }

  private apply(session: HubSession, frame: ClientFrame): string | null {
    switch (frame.kind) {
      case 'sub':
        return session.subscribe(frame.filter);
      case 'unsub':
        session.unsubscribe(frame.filter);
        return null;
      case 'pub':
        return session.publish({ topic: frame.topic, payload: frame.payload, qos: frame.qos, retain: frame.retain });
    }
  }

  private refuse(ws: WebSocket, reason: string, detail: string): void {
    this.badFrames += 1;
    sendError(ws, reason, detail);
  }

  /** A client that has not answered the previous ping (nor sent anything) since is gone. */
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

  private connectionId(request: IncomingMessage): string {
    const asked = new URL(request.url ?? '/', 'http://localhost').searchParams.get('clientId');
    const serial = this.nextId++;
    return asked !== null && CLIENT_ID_PATTERN.test(asked) ? `${asked}#${serial}` : `ws-${serial}`;
  }
}

/** Refusals are answered, not punished: the connection stays open. */
function sendError(ws: WebSocket, reason: string, detail: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(encodeServerFrame({ kind: 'err', reason, detail }));
}
