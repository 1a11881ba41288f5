/**
 * Server side of the Socket.io transport: a Socket.io server on the shared HTTP port (path
 * /socket.io/), each socket attached to the ClientHub, speaking the events in ./events.ts.
 */
import { Server, type Socket } from 'socket.io';
import { Encoder } from 'socket.io-parser';
import { AddressLimiter } from '../address-limiter.js';
import { claimClientId, declaredIdentityOf } from '../claim-client-id.js';
import { ClientHub, type HubRefusal, type HubSession } from '../hub.js';
import { LastEncoded } from '../last-encoded.js';
import { CONNECTION_LIMIT_HINT, KICK_REASONS, type KickReason } from '../limits.js';
import { TransportError, type Gateway, type GatewayContext, type GatewayCounters } from '../transport.js';
import { httpUrlOf } from '../http-url.js';
import { EVENTS, isClientEvent, parseFilter, parsePublish, parseWill, SOCKETIO_PATH } from './events.js';
import { attachReversibly } from './http-listeners.js';
import { preEncode, sendPreEncoded, type PacketEncoder, type PreEncodedMessage } from './pre-encoded.js';

export interface SocketIoGatewayLimits {
  /**
   * Largest engine.io message or polling POST body. A `pub` at the hub's payload limit is
   * under 5 KiB, or about 25 KiB if every character needs a JSON escape; the polling client
   * splits its batches to fit whatever the server advertises here.
   */
  maxHttpBufferSize: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

export const DEFAULT_SOCKETIO_LIMITS: SocketIoGatewayLimits = {
  maxHttpBufferSize: 64 * 1024,
  // Socket.io's defaults (25 s + 20 s) would leave a vanished player's game running for 45 s
  // before it pauses.
  pingIntervalMs: 10_000,
  pingTimeoutMs: 5_000,
};

export type SocketIoRefusal = HubRefusal | 'malformed' | KickReason;

/** What the engine.io connection exposes of its backlog, read without private typings. */
interface BacklogView {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: unknown } };
}

export class SocketIoGateway implements Gateway {
  readonly name = 'socketio' as const;
  readonly hub: ClientHub;
  private readonly limits: SocketIoGatewayLimits;
  private readonly addresses: AddressLimiter;
  private io: Server | null = null;
  private detachHttp: (() => void) | null = null;
  /** The server's own from start() on; Socket.io's default parser, which it is, until then. */
  private encoder: PacketEncoder = new Encoder();
  /** A message is encoded once, however many clients it goes to (see pre-encoded.ts). */
  private readonly encoded = new LastEncoded<PreEncodedMessage>((topic, payload) =>
    preEncode(this.encoder, EVENTS.message, topic, payload),
  );

  constructor(
    private readonly context: GatewayContext,
    limits: Partial<SocketIoGatewayLimits> = {},
  ) {
    this.hub = new ClientHub(context.bus, 'socketio', { policy: context.policy, clientLimits: context.options.limits ?? {} });
    this.limits = { ...DEFAULT_SOCKETIO_LIMITS, ...pingOptions(context.options.extra), ...limits };
    this.addresses = new AddressLimiter(this.hub.limits.connectionsPerAddress);
  }

  get counters(): Readonly<GatewayCounters> {
    return this.hub.counters;
  }

  /** Events a client sent that were not well-formed (wrong types, unknown event). */
  get malformed(): number {
    return this.hub.drops.get('malformed');
  }

  /** Latest-wins frames not sent to a backlogged client. */
  get shed(): number {
    return this.hub.counters.shed;
  }

  async start(): Promise<void> {
    if (this.io) return;
    const { http, upgrades } = this.context;
    // Engine.io's own 'upgrade' listener is withheld: the UpgradeRouter routes /socket.io/ to
    // it like any other path, so after stop() the router answers 404 at once. Were the
    // listener kept and the prefix left to it (leaveTo), an upgrade arriving after stop() would
    // get no answer at all, and hold the HTTP server's close() until the client gave up.
    let created: Server | undefined;
    const detach = attachReversibly(
      http,
      () => {
        created = new Server(http, {
          path: SOCKETIO_PATH,
          // Should the listener ever be kept, it must still never end other paths' upgrades.
          destroyUpgrade: false,
          serveClient: false,
          transports: ['polling', 'websocket'],
          maxHttpBufferSize: this.limits.maxHttpBufferSize,
          pingInterval: this.limits.pingIntervalMs,
          pingTimeout: this.limits.pingTimeoutMs,
        });
      },
      ['upgrade'],
    );
    const io = created!;
    const engine = io.engine;
    try {
      upgrades.register(SOCKETIO_PATH, (request, socket, head) =>
        engine.handleUpgrade(request as Parameters<typeof engine.handleUpgrade>[0], socket, head),
      );
    } catch (error) {
      engine.close();
      detach();
      throw new TransportError('EADDRINUSE', `Socket.io cannot take ${SOCKETIO_PATH}: ${(error as Error).message}`);
    }
    this.io = io;
    this.encoder = io.encoder;
    this.detachHttp = detach;
    io.on('connection', (socket) => this.onConnection(socket));
  }

  async stop(): Promise<void> {
    const io = this.io;
    if (!io) return;
    this.io = null;
    this.hub.shutdown();
    this.context.upgrades.unregister(SOCKETIO_PATH);
    // Not io.close(): it closes the shared HTTP server as well. Closing the engine ends every
    // connection with 'transport close', which clients answer by reconnecting, as they should
    // when a server restarts; a Socket.io disconnect packet would stop them retrying.
    io.engine.close();
    io.removeAllListeners('connection');
    this.detachHttp?.();
    this.detachHttp = null;
  }

  describe(): string {
    return httpUrlOf(this.context.http, this.context.host);
  }

  private onConnection(socket: Socket): void {
    const address = socket.handshake.address;
    if (!this.addresses.admit(address)) {
      this.hub.kicked();
      socket.emit(EVENTS.error, KICK_REASONS.connections, CONNECTION_LIMIT_HINT);
      socket.disconnect(true);
      return;
    }
    const { clientId, token } = declaredIdentityOf(socket.handshake.query);
    let kicked = false;
    const claim = claimClientId(this.context.clients, clientId, token, {
      transport: 'socketio',
      address,
      takeOver: () => {
        kicked = true;
        session.goodbye();
        socket.emit(EVENTS.error, KICK_REASONS.takenOver, 'disconnected');
        // A server-side disconnect: the client does not reconnect, as it must not here.
        socket.disconnect(true);
      },
    });
    if (claim === KICK_REASONS.idTaken) {
      this.addresses.release(address);
      this.hub.refuse(claim);
      // The connection, not a Socket.io disconnect: the client retries, and gets the id once
      // the connection holding it is found dead.
      socket.emit(EVENTS.error, claim, 'disconnected');
      socket.conn.close();
      return;
    }
    const session = this.hub.attach({
      id: socket.id,
      clientId,
      address,
      send: (topic, payload, reliable) => this.send(socket, topic, payload, reliable, kick),
    });
    const kick = (reason: KickReason) => {
      if (kicked) return;
      kicked = true;
      this.hub.kicked();
      if (reason !== KICK_REASONS.slow) socket.emit(EVENTS.error, reason, 'disconnected');
      // Closing the connection, not a Socket.io disconnect: the client reconnects, as on every
      // other transport (a player cut off by a burst after a stall gets back into its game).
      // A client that is not reading would never drain what is queued for it, which a plain
      // close waits for: its backlog is discarded and the session ends at once.
      socket.conn.close(reason === KICK_REASONS.slow);
    };
    // Every event counts against the rate, well-formed or not. Catch-all listeners run as the
    // packet arrives, named ones a tick later but the disconnect at once: so `bye` is taken
    // here, or a bye sent just before disconnecting would come too late.
    socket.onAny((event: unknown) => {
      if (kicked) return;
      if (!session.admit()) return kick(KICK_REASONS.rate);
      if (event === EVENTS.bye) session.goodbye();
      else if (!isClientEvent(event)) {
        // Deferred: named listeners run a tick later, and the `err` answers must keep the
        // order the client sent its events in.
        process.nextTick(() => this.refuseMalformed(socket, String(event).slice(0, 64)));
      }
    });
    // The handlers take the arguments as the one array the rest parameter makes.
    const guarded =
      (handler: (args: unknown[]) => void) =>
      (...args: unknown[]) => {
        if (!kicked) handler(args);
      };
    socket.on(
      EVENTS.publish,
      guarded((args) => {
        const request = parsePublish(args);
        if (request === null) return this.refuseMalformed(socket, EVENTS.publish);
        const refusal = session.publish(request);
        if (refusal !== null) this.sendError(socket, refusal, request.topic);
      }),
    );
    socket.on(
      EVENTS.will,
      guarded((args) => {
        const will = parseWill(args);
        if (will === undefined) return this.refuseMalformed(socket, EVENTS.will);
        const refusal = session.setWill(will);
        if (refusal !== null) this.sendError(socket, refusal, will?.topic ?? '');
      }),
    );
    socket.on(EVENTS.subscribe, guarded((args) => this.onFilter(socket, session, 'subscribe', args)));
    socket.on(EVENTS.unsubscribe, guarded((args) => this.onFilter(socket, session, 'unsubscribe', args)));
    socket.on('disconnect', () => {
      this.addresses.release(address);
      claim?.release();
      session.detach();
    });
  }

  private onFilter(socket: Socket, session: HubSession, action: 'subscribe' | 'unsubscribe', args: unknown[]): void {
    const filter = parseFilter(args);
    const event = action === 'subscribe' ? EVENTS.subscribe : EVENTS.unsubscribe;
    if (filter === null) return this.refuseMalformed(socket, event);
    if (action === 'unsubscribe') return session.unsubscribe(filter);
    const refusal = session.subscribe(filter);
    if (refusal !== null) this.sendError(socket, refusal, filter);
  }

  private refuseMalformed(socket: Socket, detail: string): void {
    this.hub.refuse('malformed');
    this.sendError(socket, 'malformed', detail);
  }

  /**
   * Latest-wins frames (ball, paddle, ack) are skipped for a client once its backlog passes
   * shedBytes waiting in user space for its websocket (the kernel's send buffer is already
   * full) or shedPackets queued in engine.io (a polling client between two polls). Reliable
   * messages still queue; past stalledBytes or stalledPackets the client is not reading at all
   * and is disconnected rather than buffered for.
   *
   * Not socket.volatile: Socket.io drops a volatile packet whenever the transport has a write
   * in flight, which on a healthy loopback link is most of the time at 60 Hz with several
   * frames per tick (measured: 2 of every 3 frames lost with three frames per tick, over
   * websocket and polling alike). Frames are shed only once the client really is behind.
   */
  private send(socket: Socket, topic: string, payload: string, reliable: boolean, kick: (reason: KickReason) => void): void {
    // Read once for both bounds: this runs for every frame to every client.
    const packets = queuedPackets(socket);
    const bytes = bufferedBytes(socket);
    const limits = this.hub.limits;
    if (packets > limits.stalledPackets || bytes > limits.stalledBytes) return kick(KICK_REASONS.slow);
    if (!reliable && (packets > limits.shedPackets || bytes > limits.shedBytes)) return this.hub.shed();
    sendPreEncoded(socket, this.encoded.of(topic, payload));
  }

  /** Errors are advisory: a client that does not read them must not grow our buffers. */
  private sendError(socket: Socket, reason: SocketIoRefusal, detail: string): void {
    if (!this.isBacklogged(socket)) socket.emit(EVENTS.error, reason, detail);
  }

  private isBacklogged(socket: Socket): boolean {
    return queuedPackets(socket) > this.hub.limits.shedPackets || bufferedBytes(socket) > this.hub.limits.shedBytes;
  }
}

/** extra.pingIntervalMs / pingTimeoutMs: how soon a vanished polling client is noticed. */
function pingOptions(extra: Record<string, unknown> | undefined): Partial<SocketIoGatewayLimits> {
  const interval = extra?.['pingIntervalMs'];
  const timeout = extra?.['pingTimeoutMs'];
  return {
    ...(typeof interval === 'number' ? { pingIntervalMs: interval } : {}),
    ...(typeof timeout === 'number' ? { pingTimeoutMs: timeout } : {}),
  };
}

/** Packets Engine.IO holds for a socket, not yet handed to its transport. */
function queuedPackets(socket: Socket): number {
  return (socket.conn as unknown as BacklogView).writeBuffer?.length ?? 0;
}

/** Bytes the transport's socket has not sent; NaN when unknown, which exceeds no bound. */
function bufferedBytes(socket: Socket): number {
  const buffered = (socket.conn as unknown as BacklogView).transport?.socket?.bufferedAmount;
  return typeof buffered === 'number' ? buffered : Number.NaN;
}
