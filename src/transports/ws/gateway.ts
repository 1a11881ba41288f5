/**
 * Server side of the raw WebSocket transport: an endpoint at /ws on the server's shared HTTP
 * port. Each connection is one ClientHub session; frames are decoded here and nowhere else.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AddressLimiter } from '../address-limiter.js';
import { claimClientId, declaredIdentity } from '../claim-client-id.js';
import { ClientHub, type HubSession } from '../hub.js';
import { LastEncoded } from '../last-encoded.js';
import { CONNECTION_LIMIT_HINT, KICK_REASONS, type KickReason } from '../limits.js';
import type { Gateway, GatewayContext, GatewayCounters } from '../transport.js';
import { applyClientFrame } from '../framed/apply-frame.js';
import { decodeClientFrame, encodeServerFrame, encodeServerMessage } from '../framed/framing.js';
import { Heartbeat } from '../heartbeat.js';
import { DEFAULT_HEARTBEAT_MS, WS_MAX_FRAME_BYTES } from './limits.js';
import { rawToString } from '../framed/raw-data.js';
import { refuseUpgrade } from './refusal.js';
import { serverTextFrame } from '../websocket-frame.js';
import { httpUrlOf } from '../http-url.js';
import { WS_PATH } from './url.js';

/** WebSocket close code for a policy violation (RFC 6455). */
export const CLOSE_POLICY = 1008;

/** A connection let through to the upgrade: who it is, and how to end it if a newer one takes its id. */
interface Admitted {
  address: string;
  clientId: string | null;
  takeOver: () => void;
}

/** Whether a socket has shown signs of life (a frame or a pong) since the last sweep. */
interface Liveness {
  alive: boolean;
}

export class WsGateway implements Gateway {
  readonly name = 'ws' as const;
  readonly hub: ClientHub;
  private readonly addresses: AddressLimiter;
  private wss: WebSocketServer | null = null;
  private heartbeat: Heartbeat | null = null;
  /** Per socket, set once: a frame or pong then only flips its flag, with no map write per frame. */
  private readonly alive = new WeakMap<WebSocket, Liveness>();
  private nextId = 1;
  /** A message is encoded and framed once, however many clients it goes to (see ../websocket-frame.ts). */
  private readonly framed = new LastEncoded((topic, payload) => serverTextFrame(encodeServerMessage(topic, payload)));

  constructor(private readonly context: GatewayContext) {
    this.hub = new ClientHub(context.bus, 'ws', { policy: context.policy, clientLimits: context.options.limits ?? {} });
    this.addresses = new AddressLimiter(this.hub.limits.connectionsPerAddress);
  }

  get counters(): GatewayCounters {
    return this.hub.counters;
  }

  async start(): Promise<void> {
    if (this.wss) return;
    const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES, perMessageDeflate: false });
    this.context.upgrades.register(WS_PATH, (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.heartbeat?.wake();
      const admitted = this.admit(request, socket);
      if (admitted === null) return;
      wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket, admitted));
    });
    this.wss = wss;
    const interval = Number(this.context.options.extra?.['wsHeartbeatMs'] ?? DEFAULT_HEARTBEAT_MS);
    this.heartbeat = new Heartbeat(interval, () => this.sweep(), () => wss.clients.size > 0);
  }

  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = null;
    this.hub.shutdown();
    this.context.upgrades.unregister(WS_PATH);
    this.heartbeat?.stop();
    this.heartbeat = null;
    // terminate, not close: a stopping server does not wait for each peer's closing handshake.
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  describe(): string {
    return httpUrlOf(this.context.http, this.context.host);
  }

  /**
   * Before the upgrade, while a refusal still costs nothing: the address's share of connections,
   * and the client id, which no other connection of the server may hold. Both are given back
   * when the socket closes, whatever happens to the upgrade.
   */
  private admit(request: IncomingMessage, socket: Duplex): Admitted | null {
    const address = request.socket.remoteAddress ?? 'unknown';
    if (!this.addresses.admit(address)) {
      this.hub.kicked();
      refuseUpgrade(socket, KICK_REASONS.connections, CONNECTION_LIMIT_HINT);
      return null;
    }
    const { clientId, token } = declaredIdentity(request);
    const admitted: Admitted = { address, clientId, takeOver: () => socket.destroy() };
    const claim = claimClientId(this.context.clients, clientId, token, {
      transport: 'ws',
      address,
      takeOver: () => admitted.takeOver(),
    });
    if (claim === KICK_REASONS.idTaken) {
      this.addresses.release(address);
      this.hub.refuse(claim);
      refuseUpgrade(socket, claim, 'another connection holds this client id');
      return null;
    }
    socket.once('close', () => {
      this.addresses.release(address);
      claim?.release();
    });
    return admitted;
  }

  private accept(ws: WebSocket, socket: Duplex, admitted: Admitted): void {
    const { clientId } = admitted;
    const serial = this.nextId++;
    let kicked = false;
    const close = (reason: KickReason) => {
      // A client that is not reading would never complete the closing handshake.
      if (reason === KICK_REASONS.slow) return ws.terminate();
      ws.close(CLOSE_POLICY, reason);
      setTimeout(() => ws.terminate(), 1_000).unref();
    };
    const kick = (reason: KickReason) => {
      if (kicked) return;
      kicked = true;
      this.hub.kicked();
      close(reason);
    };
    admitted.takeOver = () => {
      kicked = true;
      session.goodbye();
      close(KICK_REASONS.takenOver);
    };
    const session = this.hub.attach({
      id: clientId === null ? `ws-${serial}` : `${clientId}#${serial}`,
      clientId,
      address: admitted.address,
      send: (topic, payload, reliable) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        // Past shedBytes latest-wins frames are skipped; past stalledBytes (reliable messages
        // still queue) the client is not reading at all, and is cut off rather than buffered for.
        // What ws.bufferedAmount counts: ws itself only holds data back while compressing,
        // which this endpoint never does, so its sends and ours reach the socket in order.
        const buffered = socket.writableLength;
        if (buffered > this.hub.limits.stalledBytes) return kick(KICK_REASONS.slow);
        if (!reliable && buffered > this.hub.limits.shedBytes) return this.hub.shed();
        socket.write(this.framed.of(topic, payload));
      },
    });
    const liveness: Liveness = { alive: true };
    this.alive.set(ws, liveness);
    ws.on('pong', () => {
      liveness.alive = true;
    });
    ws.on('message', (data, isBinary) => {
      if (kicked) return;
      if (!session.admit()) return kick(KICK_REASONS.rate);
      this.onFrame(ws, liveness, session, data, isBinary);
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws reports a frame over maxPayload (or invalid UTF-8) here, then closes the socket.
      this.hub.refuse(error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'frame-too-large' : 'bad-frame');
    });
    ws.on('close', () => {
      session.detach();
      this.heartbeat?.left();
    });
  }

  private onFrame(ws: WebSocket, liveness: Liveness, session: HubSession, data: RawData, isBinary: boolean): void {
    liveness.alive = true;
    if (isBinary) return this.refuse(ws, 'bad-frame', 'binary frames are not part of the protocol');
    const decoded = decodeClientFrame(rawToString(data));
    if (!decoded.ok) return this.refuse(ws, 'bad-frame', decoded.error);
    const refused = applyClientFrame(session, decoded.frame);
    if (refused) this.sendError(ws, refused.refusal, refused.detail);
  }

  private refuse(ws: WebSocket, reason: string, detail: string): void {
    this.hub.refuse(reason);
    this.sendError(ws, reason, detail);
  }

  /** Refusals are answered, not punished: the connection stays open. Not to a client already behind. */
  private sendError(ws: WebSocket, reason: string, detail: string): void {
    if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount <= this.hub.limits.shedBytes) {
      ws.send(encodeServerFrame({ kind: 'err', reason, detail }));
    }
  }

  /** A client that has not answered the previous ping (nor sent anything) since is gone. */
  private sweep(): void {
    for (const ws of this.wss?.clients ?? []) {
      const liveness = this.alive.get(ws);
      if (liveness?.alive === false) {
        ws.terminate();
        continue;
      }
      // A socket never accepted (refused at the door, still closing) is swept like any other.
      if (liveness === undefined) this.alive.set(ws, { alive: false });
      else liveness.alive = false;
      ws.ping();
    }
  }
}
