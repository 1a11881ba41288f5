/**
 * Signaling over Socket.io, for networks where only Socket.io gets through: the gateway's own
 * Socket.io server at /rtc.io/ (distinct from the Socket.io transport's /socket.io/), one
 * `signal` event per SignalMessage, the message object as its only argument.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { io as connectSocketIo } from 'socket.io-client';
import { declaredIdentityOf } from '../claim-client-id.js';
import type { UpgradeRouter } from '../../bus/upgrade-router.js';
import { attachReversibly } from '../socketio/http-listeners.js';
import type { AcceptLink, DialLink, SignalingEndpoint, SignalingLink } from './links.js';
import { LINK_CLOSE_GRACE_MS, RTC_SOCKETIO_PATH, SIGNAL_EVENT } from './links.js';
import { MAX_SIGNAL_BYTES, parseSignal } from './signal.js';

/** `token` is read at every dial: the seat token the client holds by then. */
export function dialSocketIo(serverUrl: string, clientId: string, token: () => string | null, timeoutMs: number, ca?: string): DialLink {
  return (events) =>
    new Promise<SignalingLink>((resolve, reject) => {
      const seatToken = token();
      // Our own retry loop reconnects (and re-negotiates the peer); Socket.io's would race it.
      const socket = connectSocketIo(serverUrl, {
        path: RTC_SOCKETIO_PATH,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: timeoutMs,
        query: seatToken === null ? { clientId } : { clientId, token: seatToken },
        ...(ca !== undefined ? { ca } : {}),
      });
      let opened = false;
      // A bye is acknowledged: close() waits for it, so the server has read it before the
      // client's peer connection closes (an engine.io close does not wait for the server).
      let byeRead: Promise<unknown> = Promise.resolve();
      socket.on('connect', () => {
        opened = true;
        resolve({
          send: (message) => {
            if (!socket.connected) return;
            if (message.type === 'bye') byeRead = socket.timeout(LINK_CLOSE_GRACE_MS).emitWithAck(SIGNAL_EVENT, message).catch(() => undefined);
            else socket.emit(SIGNAL_EVENT, message);
          },
          close: async () => {
            await byeRead;
            socket.disconnect();
          },
        });
      });
      socket.on('connect_error', (error: Error & { description?: { code?: string } }) => {
        socket.disconnect();
        if (!opened) reject(new Error(causeOf(error)));
      });
      socket.on('disconnect', (reason) => {
        if (opened) events.onClose(`signaling ${reason}`);
      });
      socket.on(SIGNAL_EVENT, (value: unknown) => {
        const message = parseSignal(value);
        if (message === null) events.onMalformed();
        else events.onMessage(message);
      });
    });
}

/** engine.io-client wraps the socket error; dig out ECONNREFUSED and the like. */
function causeOf(error: Error): string {
  const description = (error as { description?: unknown }).description;
  const nested = (description as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof nested?.code === 'string') return nested.code;
  if (typeof nested?.message === 'string' && nested.message.length > 0) return nested.message;
  return error.message;
}

export class SocketIoSignalingEndpoint implements SignalingEndpoint {
  private io: Server | null = null;
  private detachHttp: (() => void) | null = null;

  constructor(
    private readonly http: HttpServer,
    private readonly upgrades: UpgradeRouter,
    private readonly accept: AcceptLink,
  ) {}

  start(): void {
    if (this.io) return;
    let io: Server | undefined;
    this.detachHttp = attachReversibly(this.http, () => {
      io = new Server(this.http, {
        path: RTC_SOCKETIO_PATH,
        // Other upgrade paths on this port (/ws, /rtc, /socket.io/) are not ours to refuse.
        destroyUpgrade: false,
        serveClient: false,
        maxHttpBufferSize: MAX_SIGNAL_BYTES,
      });
    });
    this.io = io!;
    this.upgrades.leaveTo(RTC_SOCKETIO_PATH);
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  async stop(): Promise<void> {
    const io = this.io;
    if (!io) return;
    this.io = null;
    // Not io.close(): that closes the shared HTTP server too.
    io.engine.close();
    io.removeAllListeners('connection');
    this.detachHttp?.();
    this.detachHttp = null;
  }

  private onConnection(socket: Socket): void {
    const events = this.accept(
      {
        send: (message) => {
          if (socket.connected) socket.emit(SIGNAL_EVENT, message);
        },
        close: async () => {
          socket.disconnect(true);
        },
      },
      declaredIdentityOf(socket.handshake.query),
      socket.handshake.address,
    );
    if (typeof events === 'string') {
      socket.emit(SIGNAL_EVENT, { type: 'error', message: events });
      socket.disconnect(true);
      return;
    }
    socket.on(SIGNAL_EVENT, (value: unknown, ack?: unknown) => {
      const message = parseSignal(value);
      if (message === null) events.onMalformed();
      else events.onMessage(message);
      if (typeof ack === 'function') ack();
    });
    socket.onAny((event: unknown) => {
      if (event !== SIGNAL_EVENT) events.onMalformed();
    });
    // Named listeners run a tick after the packet arrives, the disconnect at once: a `signal`
    // sent just before disconnecting (a bye) must be handled first.
    socket.on('disconnect', (reason) => setImmediate(() => events.onClose(`signaling ${reason}`)));
  }
}
