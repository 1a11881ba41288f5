/**
 * `pong serve`: one HTTP server (shared by ws, Socket.io, WebRTC signaling and MQTT over
 * WebSocket into the embedded broker), the topic bus, the game rooms, and one gateway per
 * transport. The rooms only see the bus.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { TopicBus } from '../bus/bus.js';
import { conditionedBus, type NetworkConditions } from '../bus/conditioned-bus.js';
import { TickScheduler } from '../game/scheduler.js';
import type { ClientLimits } from '../transports/limits.js';
import { UpgradeRouter } from '../bus/upgrade-router.js';
import { RoomManager } from '../game/rooms.js';
import { StateStore } from './state-store.js';
import { systemClock, type Clock } from '../metrics/clock.js';
import { getTransport } from '../transports/registry.js';
import { MqttGateway } from '../transports/mqtt/gateway.js';
import { ClientRegistry } from '../transports/client-registry.js';
import { PublishPolicy } from '../game/publish-policy.js';
import { TransportError, type Gateway, type TransportName } from '../transports/transport.js';
import { DEFAULT_FPS, DEFAULT_POINTS } from '../protocol/constants.js';
import { WebPage } from './web-page.js';
import { MQTT_WS_PATH } from '../transports/mqtt/websocket-door.js';
import { countingBus, InterestCounter } from '../bus/interest.js';
import { ClusterNode } from '../cluster/cluster-node.js';
import { ClusterUnreachable } from '../cluster/redis-link.js';
import { fencedBus } from '../cluster/fenced-bus.js';

export interface ServerOptions {
  transports: readonly TransportName[];
  host: string;
  /** HTTP port for ws, Socket.io, WebRTC signaling and MQTT over WebSocket (/mqtt); 0 = any free port. */
  port: number;
  /** Embedded broker port; 0 = any free port. Ignored with brokerUrl. */
  mqttPort: number;
  brokerUrl?: string;
  fps?: number;
  pointsToWin?: number;
  autoServeMs?: number;
  /** Games to open before anyone joins (others open on their first join). */
  games?: readonly string[];
  clock?: Clock;
  log?: (line: string) => void;
  /** Per-transport extras (e.g. { webrtc: { iceServers } }). */
  extra?: Partial<Record<TransportName, Record<string, unknown>>>;
  /** Simulated delay, jitter and loss between every gateway and the bus (see conditioned-bus.ts). */
  network?: NetworkConditions;
  /** PEM certificate and key: the HTTP port serves https and wss instead of http and ws. */
  tls?: { cert: string; key: string };
  /** Per-client limits for every gateway (a load generator needs more connections per address). */
  limits?: Partial<ClientLimits>;
  /** Games in progress are saved here and resumed from it on start; absent: not saved. */
  stateFile?: string;
  /** How long a dropped player's seat is kept before they forfeit (ms). */
  forfeitAfterMs?: number;
  /** A seated player silent this long is taken for gone (ms). */
  ackTimeoutMs?: number;
  /** Limits on rooms (defaults in game/rooms.ts): how many, who may open them, when they close. */
  rooms?: RoomLimits;
  /** Cluster mode: one game space with the other nodes on this Redis (see src/cluster). */
  cluster?: ClusterOptions;
}

export interface ClusterOptions {
  /** redis://host:port */
  url: string;
  /** This node's name in the cluster; random by default. */
  nodeId?: string;
  /** The address this node's clients should use (told to the other nodes). */
  advertise?: string;
}

export interface RoomLimits {
  max?: number;
  perClient?: number;
  perAddress?: number;
  /** A room nobody has been in or watched for this long closes (ms). */
  idleMs?: number;
}

/** Transports whose clients reach this server's own HTTP port. */
const HTTP_TRANSPORTS: ReadonlySet<TransportName> = new Set(['ws', 'socketio', 'webrtc']);

/** Whether the server's HTTP port is needed: for those, and for MQTT over WebSocket (/mqtt) into an embedded broker. */
function servesHttp(options: Pick<ServerOptions, 'transports' | 'brokerUrl'>): boolean {
  return options.transports.some((name) => HTTP_TRANSPORTS.has(name) || (name === 'mqtt' && options.brokerUrl === undefined));
}

export class PongServer {
  readonly bus: TopicBus;
  readonly rooms: RoomManager;
  /** Who may publish and receive what: the game's rule, which every gateway applies. */
  readonly policy: PublishPolicy;
  /** Which connection holds each client id, every gateway together. */
  readonly clients: ClientRegistry;
  /** The one loop every room ticks on. */
  readonly scheduler: TickScheduler;
  private readonly http: Server;
  private readonly upgrades: UpgradeRouter;
  private readonly gateways: Gateway[] = [];
  private httpListening = false;
  private readonly store: StateStore | null;
  /** Cluster mode: what this node's clients subscribe to, and the node once it has joined. */
  private readonly interest: InterestCounter | null;
  private clusterNode: ClusterNode | null = null;
  /** Told of every socket that reaches one of the server's listeners, admitted or not. */
  private readonly arrivals = new Set<() => void>();
  private socketsOpen = 0;
  private readonly arrived = (socket: Duplex): void => {
    this.socketsOpen += 1;
    socket.once('close', () => {
      this.socketsOpen -= 1;
    });
    for (const listener of this.arrivals) listener();
  };

  constructor(private readonly options: ServerOptions) {
    const page = new WebPage(() => ({
      transports: [...options.transports],
      // The embedded broker takes MQTT over WebSocket on this port; an external one is not ours.
      mqttWebSocketPath: options.transports.includes('mqtt') && options.brokerUrl === undefined ? MQTT_WS_PATH : null,
    }));
    const respond: RequestListener = (request, response) => {
      if (page.handle(request, response)) return;
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`pong server: ${this.describe().join(', ')}\n`);
    };
    // An https.Server is an http.Server to everything that attaches to it (ws, Socket.io).
    this.http = options.tls ? (createHttpsServer(options.tls, respond) as unknown as Server) : createServer(respond);
    this.upgrades = new UpgradeRouter(this.http);
    this.http.on('connection', this.arrived);
    const log = options.log ?? (() => {});
    // In a cluster, Redis keeps the games: a file per node would resurrect games others run.
    const store = options.stateFile !== undefined && options.cluster === undefined ? new StateStore(options.stateFile, log) : null;
    this.interest = options.cluster !== undefined ? new InterestCounter() : null;
    this.store = store;
    this.bus = new TopicBus({ clock: options.clock ?? systemClock });
    this.scheduler = new TickScheduler({ clock: options.clock ?? systemClock, fps: options.fps ?? DEFAULT_FPS });
    this.rooms = new RoomManager({
      scheduler: this.scheduler,
      // In a cluster, a room speaks only while its node's lease is surely its own.
      bus: options.cluster !== undefined ? fencedBus(this.bus, (topic) => this.clusterNode?.mayPublish(topic) ?? true) : this.bus,
      clock: options.clock ?? systemClock,
      fps: options.fps ?? DEFAULT_FPS,
      pointsToWin: options.pointsToWin ?? DEFAULT_POINTS,
      ...(options.autoServeMs !== undefined ? { autoServeMs: options.autoServeMs } : {}),
      ...(options.forfeitAfterMs !== undefined ? { forfeitAfterMs: options.forfeitAfterMs } : {}),
      ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
      ...(options.rooms?.max !== undefined ? { maxRooms: options.rooms.max } : {}),
      ...(options.rooms?.perClient !== undefined ? { roomsPerClient: options.rooms.perClient } : {}),
      ...(options.rooms?.perAddress !== undefined ? { roomsPerAddress: options.rooms.perAddress } : {}),
      ...(options.rooms?.idleMs !== undefined ? { roomIdleMs: options.rooms.idleMs } : {}),
      ...(store ? { onStateChange: (room) => store.update(room.gameId, room.snapshot()) } : {}),
      ...(options.cluster !== undefined ? { placement: (gameId, join) => this.clusterNode?.placement(gameId, join) ?? false } : {}),
      log,
    });
    this.policy = new PublishPolicy(this.rooms);
    this.clients = new ClientRegistry(this.policy);
    // A vanished client is gone from its seats even if it registered no will (a classic client).
    this.clients.onGone((clientId) => {
      this.rooms.connectionGone(clientId);
      this.clusterNode?.clientGone(clientId);
    });
  }

  /**
   * Calls `listener` whenever a socket reaches any of the server's listeners (HTTP, MQTT, MQTT
   * over WebSocket), before it is admitted. Returns the function that stops it.
   */
  onArrival(listener: () => void): () => void {
    this.arrivals.add(listener);
    return () => this.arrivals.delete(listener);
  }

  /**
   * Sockets open on the server's listeners: every client of every transport holds one (a WebRTC
   * client its signaling link, which outlives each peer). Clients of an external broker are not
   * the server's to see.
   */
  get openSockets(): number {
    return this.socketsOpen;
  }

  /** Whether clients may be connected where the server cannot count them: an external broker's. */
  get watchedElsewhere(): boolean {
    return this.options.brokerUrl !== undefined && this.options.transports.includes('mqtt');
  }

  /** The cluster node, in cluster mode once started. */
  get cluster(): ClusterNode | null {
    return this.clusterNode;
  }

  async start(): Promise<void> {
    const { transports, host } = this.options;
    try {
      // Before anyone can connect: a player re-joining must find its restored game, not a new one.
      if (this.store) this.rooms.restore(this.store.load());
      if (this.options.cluster !== undefined && this.interest !== null) {
        try {
          this.clusterNode = await ClusterNode.start({
            ...this.options.cluster,
            bus: this.bus,
            rooms: this.rooms,
            interest: this.interest,
            fps: this.options.fps ?? DEFAULT_FPS,
            log: this.options.log ?? (() => {}),
          });
        } catch (error) {
          if (error instanceof ClusterUnreachable) throw new TransportError('EUNREACHABLE', error.message);
          throw error;
        }
      }
      if (servesHttp(this.options)) await this.listenHttp();
      for (const name of transports) {
        const interest = this.interest;
        // The embedded broker tells its clients' subscriptions itself; every other gateway's are counted on the bus.
        const tapped = interest !== null && name === 'mqtt' && this.options.brokerUrl === undefined;
        const gatewayBus = interest !== null && !tapped ? countingBus(this.bus, interest) : this.bus;
        const gateway = getTransport(name).createGateway({
          policy: this.policy,
          clients: this.clients,
          ...(tapped && interest !== null ? { interest } : {}),
          bus: conditionedBus(gatewayBus, name, this.options.network),
          http: this.http,
          upgrades: this.upgrades,
          host,
          log: this.options.log ?? (() => {}),
          arrived: this.arrived,
          options: {
            mqttPort: this.options.mqttPort,
            ...(this.options.brokerUrl !== undefined ? { brokerUrl: this.options.brokerUrl } : {}),
            ...(this.options.extra?.[name] ? { extra: this.options.extra[name] } : {}),
            ...(this.options.limits ? { limits: this.options.limits } : {}),
          },
        });
        await gateway.start();
        this.gateways.push(gateway);
      }
      this.rooms.start();
      // A cluster keeps --game open on one node, whichever holds its lease.
      if (this.clusterNode !== null) await this.clusterNode.pin(this.options.games ?? []);
      else for (const game of this.options.games ?? []) this.rooms.pin(game);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    // A cluster node hands its games over before its rooms stop; then it leaves Redis.
    const node = this.clusterNode;
    this.clusterNode = null;
    if (node !== null) {
      await node.drain();
      await node.stop();
    }
    this.rooms.stopAll();
    this.store?.flush();
    for (const gateway of this.gateways.splice(0).reverse()) await gateway.stop().catch(() => {});
    if (this.httpListening) {
      this.httpListening = false;
      this.http.closeAllConnections();
      await new Promise<void>((resolve) => this.http.close(() => resolve()));
    }
  }

  /** http://host:port of the shared HTTP server, once listening. */
  get httpUrl(): string | null {
    if (!this.httpListening) return null;
    const address = this.http.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://${urlHost(this.options.host)}:${address.port}`;
  }

  /** The mqtt:// URL MQTT clients and mosquitto_sub use, if MQTT is served. */
  get mqttUrl(): string | null {
    return this.gateways.find((g) => g.name === 'mqtt')?.describe() ?? null;
  }

  /** Where the embedded broker takes MQTT over WebSocket (ws://host:port/mqtt), if it does. */
  get mqttWebSocketUrls(): readonly string[] {
    const gateway = this.gateways.find((g) => g.name === 'mqtt');
    return gateway instanceof MqttGateway ? gateway.webSocketUrl : [];
  }

  gateway(name: TransportName): Gateway | undefined {
    return this.gateways.find((g) => g.name === name);
  }

  describe(): string[] {
    return this.gateways.map((g) => `${g.name} ${g.describe()}`);
  }

  private listenHttp(): Promise<void> {
    const { host, port } = this.options;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        this.http.off('listening', onListening);
        reject(
          error.code === 'EADDRINUSE'
            ? new TransportError('EADDRINUSE', `port ${port} on ${host} is in use — stop what holds it or pass --port`)
            : new TransportError('EUNREACHABLE', `cannot listen on ${host}:${port} — ${error.message}`),
        );
      };
      const onListening = () => {
        this.http.off('error', onError);
        this.httpListening = true;
        resolve();
      };
      this.http.once('error', onError);
      this.http.once('listening', onListening);
      this.http.listen(port, host);
    });
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
