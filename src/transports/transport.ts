/**
 * The one contract every transport implements, client side and server side. Nothing above
 * this layer (game rooms, the client session, the UI, bots) asks which transport it has.
 *
 * Payloads are JSON text: every transport carries the same bytes, so the latency figures of
 * the transports are measured on identical frames.
 */
import type { BusView } from '../bus/bus.js';
import type { UpgradeRouter } from '../bus/upgrade-router.js';
import type { PublishPolicy } from '../game/publish-policy.js';
import type { ClientRegistry } from './client-registry.js';
import type { TransportName } from './transport-name.js';

export type { TransportName } from './transport-name.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'closed';

export interface PublishOptions {
  /** MQTT QoS; other transports are reliable or not by `reliable`. */
  qos?: 0 | 1;
  retain?: boolean;
  /**
   * false: latest-wins data (ball, paddle, ack) that may be dropped rather than delay what
   * follows it. Defaults to reliableByDefault(qos, retain): qos 1 or retained.
   */
  reliable?: boolean;
}

/**
 * What a publish that does not say is, on every transport and both ways: reliable when it is
 * qos 1 (commands, state) or retained (a retained message stays on as the topic's value, so a
 * lost or overtaken one would leave a stale value behind); latest-wins otherwise. A client keeps
 * a reliable publish made while offline and sends it once back, and drops a latest-wins one
 * (it would only arrive stale); WebRTC carries reliable messages on its reliable channel.
 */
export function reliableByDefault(qos: 0 | 1, retain: boolean): boolean {
  return qos === 1 || retain;
}

/** A publish's reliability: its own `reliable`, else the default above. */
export function isReliable(options: PublishOptions): boolean {
  return options.reliable ?? reliableByDefault(options.qos ?? 0, options.retain ?? false);
}

/**
 * What the server side publishes for a client whose connection ends without a clean close()
 * (MQTT's Last Will; the other transports hand it to their gateway on connect).
 */
export interface WillMessage {
  topic: string;
  payload: string;
  qos?: 0 | 1;
  retain?: boolean;
}

export type MessageHandler = (topic: string, payload: string) => void;
export type StatusHandler = (status: ConnectionStatus, detail?: string) => void;

/** Bytes and messages actually carried by the client's socket(s), headers included. */
export interface WireCounters {
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
}

export interface TransportClient {
  readonly name: TransportName;
  readonly status: ConnectionStatus;
  /**
   * Resolves once connected. Rejects with a TransportError when the server or broker cannot
   * be reached; after the first connection, drops are retried and reported as status events.
   */
  connect(): Promise<void>;
  publish(topic: string, payload: string, options?: PublishOptions): void;
  /** MQTT filter syntax (`+`, `#`); subscriptions survive reconnects. */
  subscribe(filter: string): void;
  unsubscribe(filter: string): void;
  onMessage(handler: MessageHandler): () => void;
  onStatus(handler: StatusHandler): () => void;
  readonly wire: Readonly<WireCounters>;
  /**
   * What the server side publishes for this client if its connection ends without a clean
   * close() (a crash, a kill, a cut cable): MQTT's Last Will, on every transport. Call it before
   * connect(); the client registers it again on every reconnect. null clears it. MQTT cannot
   * change the will of a live connection, so there a will set while connected applies from
   * the next connection; the other transports update it at once.
   */
  setWill(will: WillMessage | null): void;
  /**
   * A seat token this client holds, presented on every (re)connection from now on (MQTT: as the
   * CONNECT password, unless the broker was given one; the others: in the connection's query).
   * It lets the server hand this client its id while an older connection of the same client,
   * not yet noticed dead, still holds it. null stops presenting one.
   */
  setSeatToken(token: string | null): void;
  /** A clean close: the server side is told first, so no will is published. */
  close(): Promise<void>;
}

export interface ClientOptions {
  /** Server URL for ws/socketio/webrtc, e.g. http://127.0.0.1:8080 */
  serverUrl: string;
  /** Broker URL for mqtt, e.g. mqtt://127.0.0.1:1883 */
  brokerUrl: string;
  clientId: string;
  /** Initial connect gives up after this long (ms). */
  connectTimeoutMs?: number;
  /** Transport-specific options (e.g. socketio polling, webrtc ICE servers). */
  extra?: Record<string, unknown>;
  /** PEM certificate(s) to trust for https/wss/mqtts, e.g. a self-signed server's own. */
  ca?: string;
  /** MQTT username and password (mqtt only; other transports ignore them). */
  username?: string;
  password?: string;
}

export interface GatewayCounters {
  connections: number;
  messagesIn: number;
  messagesOut: number;
  /** Messages a client sent that the gateway refused (malformed frame, bad topic, too big). */
  dropped: number;
  /** `dropped` by reason (bad-frame, bad-topic, seat, rate-limit, ...). */
  droppedBy: Readonly<Record<string, number>>;
  /** Clients disconnected for exceeding a limit. */
  kicked: number;
  /** Latest-wins frames (ball, paddle, ack) skipped for a client that was not reading. */
  shed: number;
}


/** What every gateway gets from the server that hosts it. */
export interface GatewayContext {
  /** The game's publish policy, when the server runs game rooms (absent in bare transport tests). */
  policy?: PublishPolicy;
  /**
   * Client ids across all the server's gateways: each gateway claims a connection's id here
   * (absent in bare transport tests, where ids are not checked).
   */
  clients?: ClientRegistry;
  bus: BusView;
  /**
   * Cluster mode: where a gateway that subscribes to the bus once for all its clients (the
   * embedded broker) says what they subscribe to. Other gateways' bus subscriptions are counted
   * for them (bus/interest.ts); an external broker's bridge counts as interest in every game.
   */
  interest?: import('../bus/interest.js').InterestSink;
  /** The server's shared HTTP server (ws, Socket.io and WebRTC signaling share its port). */
  http: import('node:http').Server;
  /** Register WebSocket upgrade paths here, never on `http` directly. */
  upgrades: UpgradeRouter;
  host: string;
  log: (line: string) => void;
  options: GatewayOptions;
  /**
   * Call with every socket that reaches a listener of the gateway's own (not the shared HTTP
   * server's, which the server sees itself), before it is admitted: the server counts the
   * sockets open, and its periodic work sleeps while there are none.
   */
  arrived?: (socket: import('node:stream').Duplex) => void;
}

export interface GatewayOptions {
  /** Embedded broker port (mqtt). */
  mqttPort?: number;
  /** External broker URL (mqtt): when set, no broker is embedded. */
  brokerUrl?: string;
  extra?: Record<string, unknown>;
  /**
   * Limits on what each client may send; defaults in ./limits.ts. Tests lower them rather than
   * flood at full speed.
   */
  limits?: Partial<import('./limits.js').ClientLimits>;
}

export interface Gateway {
  readonly name: TransportName;
  /** Rejects with a TransportError (e.g. code 'EADDRINUSE', 'EUNREACHABLE'). */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly counters: Readonly<GatewayCounters>;
  /**
   * The URL a client of this transport connects to, with the real port once started
   * (e.g. mqtt://127.0.0.1:1883 or http://127.0.0.1:8080): for clients, logs and help text.
   */
  describe(): string;
}

export type TransportErrorCode = 'EADDRINUSE' | 'EUNREACHABLE' | 'ETIMEDOUT' | 'ECLOSED' | 'EPROTOCOL';

/** A failure with a stable code and a message fit for one line on a terminal. */
export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TransportFactory {
  readonly name: TransportName;
  /** One line for --help: who relays what. */
  readonly summary: string;
  createClient(options: ClientOptions): TransportClient;
  createGateway(context: GatewayContext): Gateway;
}
