/**
 * Server side of the Socket.io transport: a Socket.io server on the shared HTTP port (path
 * /socket.io/), each socket attached to the ClientHub, speaking the events in ./events.ts.
 */
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { ClientHub, type HubRefusal, type HubSession } from '../hub.js';
import { TransportError, type Gateway, type GatewayContext, type GatewayCounters } from '../transport.js';
import { EVENTS, isClientEvent, parseFilter, parsePublish, SOCKETIO_PATH } from './events.js';
import { attachReversibly } from './http-listeners.js';

export interface SocketIoGatewayLimits {
  /**
   * Largest engine.io message or polling POST body. A `pub` at the hub's payload limit is
   * under 5 KiB, or about 25 KiB if every character needs a JSON escape; the polling client
   * splits its batches to fit whatever the server advertises here.
   */
  maxHttpBufferSize: number;
  /**
   * Latest-wins frames (ball, paddle, ack) are dropped for a client once this many bytes are
   * waiting in user space for its websocket, i.e. the kernel's send buffer is already full.
   */
  maxBacklogBytes: number;
  /** The same bound for packets queued in engine.io (a polling client between two polls). */
  maxBacklogPackets: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

export const DEFAULT_SOCKETIO_LIMITS: SocketIoGatewayLimits = {
  maxHttpBufferSize: 64 * 1024,
  maxBacklogBytes: 16 * 1024,
  maxBacklogPackets: 64,
  // Socket.io's defaults (25 s + 20 s) would leave a vanished player's game running for 45 s
  // before it pauses.
  pingIntervalMs: 10_000,
  pingTimeoutMs: 5_000,
};

export type SocketIoRefusal = HubRefusal | 'malformed';

/** What the engine.io connection exposes of its backlog, read without private typings. */
interface BacklogView {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: unknown } };
}

export class SocketIoGateway implements Gateway {
  readonly name = 'socketio' as const;
  /** Frames a client sent that were not well-formed events (wrong types, unknown event). */
  malformed = 0;
  /** Latest-wins frames not sent to a backlogged client. */
  shed = 0;
  private readonly hub: ClientHub;
  private readonly limits: SocketIoGatewayLimits;
  private io: Server | null = null;
  private detachHttp: (() => void) | null = null;

  constructor(
    private readonly context: GatewayContext,
    limits: Partial<SocketIoGatewayLimits> = {},
  ) {
    this.hub = new ClientHub(context.bus, 'socketio');
    this.limits = { ...DEFAULT_SOCKETIO_LIMITS, ...limits };
  }

  get counters(): Readonly<GatewayCounters> {
    return this.hub.counters;
  }

  /** Refusals by reason, the hub's and malformed events together. */
  get refusals(): ReadonlyMap<SocketIoRefusal, number> {
    const all = new Map<SocketIoRefusal, number>(this.hub.refusals);
    if (this.malformed > 0) all.set('malformed', this.malformed);
    return all;
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
    this.detachHttp = detach;
    io.on('connection', (socket) => this.onConnection(socket));
  }

  async stop(): Promise<void> {
    const io = this.io;
    if (!io) return;
    this.io = null;
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
    const address = this.context.http.address() as AddressInfo | string | null;
    const host = this.context.host.includes(':') ? `[${this.context.host}]` : this.context.host;
    if (address === null || typeof address === 'string') return `http://${host}`;
    return `http://${host}:${address.port}`;
  }

  private onConnection(socket: Socket): void {
    const session = this.hub.attach({
      id: socket.id,
      send: (topic, payload, reliable) => this.send(socket, topic, payload, reliable),
    });
    socket.on(EVENTS.publish, (...args: unknown[]) => {
      const request = parsePublish(args);
      if (request === null) return this.refuseMalformed(socket, EVENTS.publish);
      const refusal = session.publish(request);
      if (refusal !== null) this.sendError(socket, refusal, request.topic);
    });
    socket.on(EVENTS.subscribe, (...args: unknown[]) => this.onFilter(socket, session, 'subscribe', args));
    socket.on(EVENTS.unsubscribe, (...args: unknown[]) => this.onFilter(socket, session, 'unsubscribe', args));
    socket.onAny((event: unknown) => {
      if (isClientEvent(event)) return;
      // Socket.io runs catch-all listeners at once but named ones a tick later; deferring keeps
      // the `err` answers in the order the client sent its events.
      process.nextTick(() => this.refuseMalformed(socket, String(event).slice(0, 64)));
    });
    socket.on('disconnect', () => session.detach());
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
    this.malformed += 1;
    this.hub.counters.dropped += 1;
    this.sendError(socket, 'malformed', detail);
  }

  /**
   * Not socket.volatile: Socket.io drops a volatile packet whenever the transport has a write
   * in flight, which on a healthy loopback link is most of the time at 60 Hz with several
   * frames per tick (measured: 2 of every 3 frames lost with three frames per tick, over
   * websocket and polling alike). Frames are shed only once the client really is behind.
   */
  private send(socket: Socket, topic: string, payload: string, reliable: boolean): void {
    if (!reliable && this.isBacklogged(socket)) {
      this.shed += 1;
      return;
    }
    socket.emit(EVENTS.message, topic, payload);
  }

  /** Errors are advisory: a client that does not read them must not grow our buffers. */
  private sendError(socket: Socket, reason: SocketIoRefusal, detail: string): void {
    if (!this.isBacklogged(socket)) socket.emit(EVENTS.error, reason, detail);
  }

  private isBacklogged(socket: Socket): boolean {
    const connection = socket.conn as unknown as BacklogView;
    if ((connection.writeBuffer?.length ?? 0) > this.limits.maxBacklogPackets) return true;
    const buffered = connection.transport?.socket?.bufferedAmount;
    return typeof buffered === 'number' && buffered > this.limits.maxBacklogBytes;
  }
}
