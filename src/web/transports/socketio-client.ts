/**
 * The Socket.io transport in the browser: socket.io-client at /socket.io/, WebSocket only, with
 * the same events as the terminal client (docs/PROTOCOL.md). Reconnection is Socket.io's own;
 * the subscriptions and the will are sent again on every connect. The wire counters are the
 * Engine.IO packets the page received and sent, as text: what each WebSocket message carried.
 */
import { Manager, type Socket } from 'socket.io-client';
import { EventedClient } from '../../transports/client-events.js';
import { KICK_REASONS } from '../../transports/limits.js';
import { EVENTS, parseMessage, SOCKETIO_PATH } from '../../transports/socketio/events.js';
import {
  TransportError,
  type ClientOptions,
  type PublishOptions,
  type TransportClient,
  type WillMessage,
  type WireCounters,
} from '../../transports/transport.js';
import { utf8Bytes } from './utf8-bytes.js';

const CONNECT_TIMEOUT_MS = 5_000;

interface EnginePacket {
  type: string;
  data?: unknown;
}

/** An Engine.IO packet's size on the wire: its type digit and its text. */
function packetBytes(packet: EnginePacket): number {
  return 1 + (typeof packet.data === 'string' ? utf8Bytes(packet.data) : 0);
}

export class BrowserSocketIoClient extends EventedClient implements TransportClient {
  readonly name = 'socketio' as const;
  lastRefusal: string | null = null;
  private readonly socket: Socket;
  private readonly manager: Manager;
  private readonly filters = new Set<string>();
  private readonly query: Record<string, string>;
  private readonly counters: WireCounters = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
  private will: WillMessage | null = null;
  private everConnected = false;
  private closed = false;
  private takenOver = false;

  constructor(options: ClientOptions) {
    super();
    this.query = { clientId: options.clientId };
    this.manager = new Manager(options.serverUrl, {
      path: SOCKETIO_PATH,
      transports: ['websocket'],
      autoConnect: false,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      timeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      query: this.query,
    });
    this.socket = this.manager.socket('/');
    this.manager.on('open', () => {
      const engine = this.manager.engine;
      engine.on('packet', (packet: EnginePacket) => {
        this.counters.bytesIn += packetBytes(packet);
      });
      engine.on('packetCreate', (packet: EnginePacket) => {
        this.counters.bytesOut += packetBytes(packet);
      });
    });
    this.socket.on('connect', () => {
      this.emitWill(this.will);
      for (const filter of this.filters) this.socket.emit(EVENTS.subscribe, filter);
      this.events.setStatus('connected');
    });
    this.socket.on('disconnect', (reason) => {
      if (this.takenOver) this.events.setStatus('closed', KICK_REASONS.takenOver);
      else if (reason !== 'io client disconnect') this.events.setStatus('reconnecting', reason);
    });
    this.socket.on(EVENTS.message, (...args: unknown[]) => {
      const message = parseMessage(args);
      if (message === null) return;
      this.counters.messagesIn += 1;
      this.events.deliver(message.topic, message.payload);
    });
    this.socket.on(EVENTS.error, (reason: unknown, detail: unknown) => {
      this.lastRefusal = `${String(reason)} ${String(detail)}`;
      if (reason === KICK_REASONS.takenOver) this.takenOver = true;
    });
  }

  get detail(): string | undefined {
    return this.events.detail;
  }

  get wire(): Readonly<WireCounters> {
    return this.counters;
  }

  setSeatToken(token: string | null): void {
    // The Manager reads its query afresh for every connection it opens.
    if (token === null) delete this.query['token'];
    else this.query['token'] = token;
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('ECLOSED', 'the Socket.io client is closed'));
    if (this.everConnected) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
      };
      const onConnect = (): void => {
        settle();
        this.everConnected = true;
        resolve();
      };
      // The first failure is the answer; once connected, Socket.io's back-off takes over.
      const onError = (error: Error): void => {
        settle();
        this.socket.disconnect();
        this.events.setStatus('disconnected', error.message);
        reject(new TransportError('EUNREACHABLE', `cannot reach the Socket.io endpoint: ${error.message}`));
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
      this.events.setStatus('connecting');
      this.socket.connect();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    const retain = options.retain ?? false;
    const reliable = options.reliable ?? (qos === 1 || retain);
    // Reliable publishes wait in Socket.io's buffer for the reconnect; latest-wins ones would be stale.
    if (!this.socket.connected && !reliable) return;
    this.counters.messagesOut += 1;
    this.socket.emit(EVENTS.publish, topic, payload, { qos, retain });
  }

  subscribe(filter: string): void {
    this.assertOpen();
    if (this.filters.has(filter)) return;
    this.filters.add(filter);
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
    if (this.socket.connected) this.emitWill(will);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    // Ahead of the disconnect packet on the same connection, so the server reads it first.
    if (this.socket.connected) this.socket.emit(EVENTS.bye);
    this.socket.disconnect();
    this.events.setStatus('closed');
    return Promise.resolve();
  }

  private emitWill(will: WillMessage | null): void {
    if (will === null) this.socket.emit(EVENTS.will);
    else this.socket.emit(EVENTS.will, will.topic, will.payload, { qos: will.qos ?? 0, retain: will.retain ?? false });
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportError('ECLOSED', 'the Socket.io client is closed');
  }
}
