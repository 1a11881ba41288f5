/**
 * The Socket.io client both of pong's Socket.io clients are: socket.io-client turned into a
 * TransportClient. The terminal's (client.ts) counts its bytes on the TCP connections under
 * it and can fall back to long-polling; the browser page's (src/web/transports/
 * socketio-client.ts) counts the Engine.IO packets. Everything else lives here once:
 * reconnection is Socket.io's own (Manager back-off), its events mapped onto
 * ConnectionStatus, subscriptions and the will sent again on every connect, latest-wins
 * publishes dropped while disconnected, the seat token in the query, a takeover.
 *
 * No Node built-ins here: the browser bundle takes this file as it is.
 */
import { Manager, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { EventedClient } from '../client-events.js';
import { KICK_REASONS } from '../limits.js';
import {
  isReliable,
  TransportError,
  type PublishOptions,
  type TransportClient,
  type WillMessage,
  type WireCounters,
} from '../transport.js';
import { EVENTS, parseMessage, SOCKETIO_PATH } from './events.js';
import { AddressRing, addressList } from '../address-ring.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** The client's view of its own connection, beyond the common interface. */
export interface SocketIoClientCounters {
  /** Latest-wins publishes (qos 0, not retained) made while disconnected: dropped, a stale paddle or ack helps nobody. */
  droppedOffline: number;
  /** `msg` events whose arguments were not two strings. */
  malformed: number;
  /** `err` events: the server refused something this client sent. */
  serverErrors: number;
}

export interface SocketIoCoreConfig {
  serverUrl: string;
  clientId: string;
  connectTimeoutMs: number;
  /** The carrier's own options (transports, agent, certificate, back-off), over the common ones. */
  managerOptions: Partial<ManagerOptions & SocketOptions>;
}

/** The most specific cause Socket.io exposes for a failed connection attempt, as one line. */
function describeConnectError(error: Error): string {
  const { description, context } = error as Error & {
    description?: { message?: unknown; error?: { message?: unknown } };
    context?: { statusText?: { message?: unknown } };
  };
  const cause = description?.message ?? description?.error?.message ?? context?.statusText?.message;
  return typeof cause === 'string' && cause.length > 0 ? cause : error.message;
}

export abstract class SocketIoClientCore extends EventedClient implements TransportClient {
  readonly name = 'socketio' as const;
  readonly counters: SocketIoClientCounters = { droppedOffline: 0, malformed: 0, serverErrors: 0 };
  /** The last `err` the server sent, as "reason: detail". */
  lastServerError: string | null = null;
  protected readonly socket: Socket;
  protected messagesIn = 0;
  protected messagesOut = 0;
  private readonly filters = new Set<string>();
  private readonly config: SocketIoCoreConfig;
  /** The Manager reads its query afresh for every connection it opens: the seat token goes in it. */
  private readonly query: Record<string, string>;
  private will: WillMessage | null = null;
  private pendingConnect: { fail: (error: TransportError) => void } | null = null;
  private everConnected = false;
  private closed = false;
  private takenOver = false;

  constructor(config: SocketIoCoreConfig) {
    super();
    this.config = config;
    // The server takes it as who this connection speaks for (its seats, its watcher topic).
    this.query = { clientId: config.clientId };
    // Several servers (a cluster's nodes): each reconnect attempt goes to the next.
    const servers = new AddressRing(addressList(config.serverUrl));
    const manager = new Manager(servers.next(), {
      path: SOCKETIO_PATH,
      transports: ['websocket'],
      autoConnect: false,
      reconnection: true,
      reconnectionAttempts: Infinity,
      // A player who drops should be back within a second or two, not Socket.io's 1–5 s.
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      timeout: config.connectTimeoutMs,
      ...config.managerOptions,
      query: this.query,
    });
    if (servers.size > 1) {
      // The Manager opens its engine on `uri` at every attempt; it has no option for a list.
      manager.on('reconnect_attempt', () => {
        (manager as unknown as { uri: string }).uri = servers.next();
      });
    }
    this.socket = manager.socket('/');

    this.socket.on('connect', () => {
      if (this.will !== null) this.emitWill(this.will);
      for (const filter of this.filters) this.socket.emit(EVENTS.subscribe, filter);
      this.events.setStatus('connected');
    });
    this.socket.on('disconnect', (reason) => {
      // Our own close() reports 'closed' itself; a newer connection of ours took over for good.
      if (this.takenOver) this.events.setStatus('closed', KICK_REASONS.takenOver);
      else if (reason !== 'io client disconnect') this.events.setStatus('disconnected', reason);
    });
    // Announced once per outage (ClientEvents reports transitions), with the attempt that
    // opened it; later attempts of the same outage change nothing a UI shows.
    manager.on('reconnect_attempt', (attempt) => this.events.setStatus('reconnecting', String(attempt)));
    this.socket.on(EVENTS.message, (...args: unknown[]) => {
      const message = parseMessage(args);
      if (message === null) {
        this.counters.malformed += 1;
        return;
      }
      this.messagesIn += 1;
      this.events.deliver(message.topic, message.payload);
    });
    this.socket.on(EVENTS.error, (reason: unknown, detail: unknown) => {
      this.counters.serverErrors += 1;
      this.lastServerError = `${String(reason)}: ${String(detail)}`;
      if (reason === KICK_REASONS.takenOver) this.takenOver = true;
    });
  }

  abstract get wire(): Readonly<WireCounters>;

  setSeatToken(token: string | null): void {
    if (token === null) delete this.query['token'];
    else this.query['token'] = token;
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('ECLOSED', 'the Socket.io client is closed'));
    // Once connected, reconnecting is Socket.io's job; a failed first attempt may be retried.
    if (this.everConnected || this.pendingConnect) {
      return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    }

    let fail!: (error: TransportError) => void;
    const promise = new Promise<void>((resolve, reject) => {
      const unreachable = (why: string) =>
        new TransportError('EUNREACHABLE', `cannot reach the Socket.io server at ${this.config.serverUrl}: ${why}`);
      const timer = setTimeout(
        () => fail(unreachable(`no connection within ${this.config.connectTimeoutMs} ms`)),
        this.config.connectTimeoutMs,
      );
      const settle = () => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        this.pendingConnect = null;
      };
      const onConnect = () => {
        settle();
        this.everConnected = true;
        resolve();
      };
      // The first failure is the answer: once connected, Socket.io's back-off takes over, but
      // a server that is not there should be said so at once, not retried in the background.
      const onError = (error: Error) => fail(unreachable(describeConnectError(error)));
      fail = (error) => {
        settle();
        this.socket.disconnect();
        if (error.code !== 'ECLOSED') this.events.setStatus('disconnected', error.message);
        reject(error);
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
    });
    this.pendingConnect = { fail };
    this.events.setStatus('connecting');
    this.socket.connect();
    return promise;
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    const reliable = isReliable(options);
    // Reliable publishes made while disconnected wait in Socket.io's send buffer and go out on
    // reconnect; latest-wins ones would only arrive stale.
    if (!this.socket.connected && !reliable) {
      this.counters.droppedOffline += 1;
      return;
    }
    this.messagesOut += 1;
    this.socket.emit(EVENTS.publish, topic, payload, { qos, retain: options.retain ?? false });
  }

  subscribe(filter: string): void {
    this.assertOpen();
    if (this.filters.has(filter)) return;
    this.filters.add(filter);
    // While disconnected the 'connect' handler sends it; buffering it too would send it twice.
    if (this.socket.connected) this.socket.emit(EVENTS.subscribe, filter);
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    if (!this.filters.delete(filter)) return;
    if (this.socket.connected) this.socket.emit(EVENTS.unsubscribe, filter);
  }

  setWill(will: WillMessage | null): void {
    this.assertOpen();
    this.will = will;
    // While disconnected the 'connect' handler registers it.
    if (this.socket.connected) this.emitWill(will);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pendingConnect?.fail(new TransportError('ECLOSED', 'the Socket.io client was closed while connecting'));
    // Sent ahead of the disconnect packet on the same connection, so the server sees it first.
    if (this.socket.connected) this.socket.emit(EVENTS.bye);
    this.socket.disconnect();
    this.events.setStatus('closed');
    await this.afterClose();
  }

  /** What the carrier still has to let go of once the socket is closed. */
  protected async afterClose(): Promise<void> {}

  private emitWill(will: WillMessage | null): void {
    if (will === null) this.socket.emit(EVENTS.will);
    else this.socket.emit(EVENTS.will, will.topic, will.payload, { qos: will.qos ?? 0, retain: will.retain ?? false });
  }

  /** Use after close() is a bug in the caller, said at once rather than lost quietly. */
  private assertOpen(): void {
    if (this.closed) throw new TransportError('ECLOSED', 'the Socket.io client is closed');
  }
}
