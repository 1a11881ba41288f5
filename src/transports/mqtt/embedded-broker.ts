/**
 * An Aedes broker inside the server process. The bus publishes into it in-process
 * (aedes.publish, which reports no client), and only publishes that arrive from a connected
 * client are handed back: that is what keeps the bridge free of echoes. A BrokerGuard checks
 * every client publish, subscription and delivery; with TLS files it also listens for mqtts.
 * Clients reach it over TCP, TLS, or WebSocket (its `webSocket` door, which the gateway puts on
 * the server's HTTP port, and a port of its own with `webSocketPort`), all through the same guard.
 */
import type { IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { Aedes, type Client } from 'aedes';
import { tapInterest } from './interest-tap.js';
import type { InterestSink } from '../../bus/interest.js';
import type { Sender } from '../../bus/bus.js';
import type { ClientRegistry } from '../client-registry.js';
import { clientLimits } from '../limits.js';
import { TransportError } from '../transport.js';
import { BrokerGuard, clientAddress, type BrokerGuardOptions } from './broker-guard.js';
import { BRIDGED_PREFIX, type BrokerLink, type BrokerPublish } from './broker-link.js';
import { mqttUrl } from './url.js';
import { MqttWebSocketDoor } from './websocket-door.js';
import { listenMqttWebSocket, type MqttWebSocketPort } from './websocket-port.js';

export interface EmbeddedBrokerOptions {
  guard?: Partial<BrokerGuardOptions>;
  clients?: ClientRegistry;
  /** PEM files' contents: adds an mqtts listener on `tlsPort` (and makes `webSocketPort` wss). */
  tls?: { cert: string; key: string } | null;
  tlsPort?: number;
  /** MQTT over WebSocket on a port of its own (paths `/` and `/mqtt`); null or absent: none. */
  webSocketPort?: number | null;
  /** Told of every socket that reaches one of the broker's listeners, before it is admitted. */
  arrived?: (socket: Duplex) => void;
  /** Told every filter its clients subscribe and drop (a cluster node's interest). */
  interest?: InterestSink;
}

export interface EmbeddedBrokerLink extends BrokerLink {
  readonly guard: BrokerGuard;
  /** mqtts://host:port when a TLS listener runs. */
  readonly tlsUrl: string | null;
  /** MQTT over WebSocket, for an upgrade router: the HTTP port's `/mqtt`. */
  readonly webSocket: MqttWebSocketDoor;
  /** ws://host:port/mqtt of the WebSocket port of its own, when one runs. */
  readonly webSocketUrl: string | null;
}

/**
 * Messages Aedes delivers at once before it queues the rest (its mqemitter's `concurrency`,
 * 100 by default). A delivery counts until its subscribers' writes are handed on, so a tick of
 * more than about 100 games publishes past it: with 150 games on 300 loopback clients the
 * default left 3,400–4,400 frames queued after a tick's burst (two runs; in one, 4,600 of
 * 18,000 frames were still undelivered 300 ms after the last tick), where 10,000 queued none
 * (bench/mqtt/inflight.mjs). Memory stays bounded by the clients' own limits, not by this.
 */
const BROKER_CONCURRENCY = 10_000;

/**
 * Aedes publishes `$SYS/<id>/heartbeat` this often, and every four times as long looks for the
 * wills of brokers whose heartbeat stopped: both are for brokers sharing one persistence, which
 * this one never does. At the default minute they woke an idle server every 60 and 240 s, and a
 * wake after a long sleep costs this kind of machine 12–20 ms of CPU; a day keeps the will check
 * (4 days) under Node's longest timer, 2^31 - 1 ms.
 */
const BROKER_HEARTBEAT_MS = 24 * 60 * 60 * 1000;

export async function startEmbeddedBroker(
  host: string,
  port: number,
  log: (line: string) => void,
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBrokerLink> {
  const guard = new BrokerGuard({
    limits: options.guard?.limits ?? clientLimits('mqtt'),
    policy: options.guard?.policy,
    clients: options.guard?.clients,
  });
  const broker = await Aedes.createBroker({ ...guard.hooks(), concurrency: BROKER_CONCURRENCY, heartbeatInterval: BROKER_HEARTBEAT_MS });
  guard.watch(broker);
  if (options.interest !== undefined) tapInterest(broker, options.interest);
  const sockets = new Set<Socket>();
  /** A connection let in: to the broker, its packets bounded as they are read. */
  const serve = (stream: Duplex, request?: IncomingMessage) => {
    broker.handle(stream, request);
    guard.boundPacketSizes(stream);
  };
  const accept = (socket: Socket) => {
    options.arrived?.(socket);
    const address = socket.remoteAddress ?? 'unknown';
    if (!guard.admitConnection(address)) {
      socket.destroy();
      return;
    }
    // Aedes leaves Nagle on; 60 Hz frames of ~70 bytes would wait on delayed ACKs.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      guard.releaseConnection(address);
    });
    serve(socket);
  };
  // ws turns Nagle off on its sockets itself.
  const webSocket = new MqttWebSocketDoor(guard, serve);
  const server = net.createServer(accept);
  const secure = options.tls ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }, accept) : null;
  // A failed TLS handshake is the client's problem, not the broker's.
  secure?.on('tlsClientError', () => guard.drops.record('tls-handshake'));
  // Aedes emits 'error' for persistence failures; its typings list only its own events.
  broker.addListener('error', (error: Error) => log(`mqtt: embedded broker error: ${error.message}`));
  let step: { port: number; flag: string } = { port, flag: '--mqtt-port' };
  let webSocketPort: MqttWebSocketPort | null = null;
  try {
    await listen(server, host, port);
    step = { port: options.tlsPort ?? 0, flag: '--mqtts-port' };
    if (secure) await listen(secure, host, step.port);
    if (options.webSocketPort !== undefined && options.webSocketPort !== null) {
      webSocketPort = await listenMqttWebSocket(webSocket, host, options.webSocketPort, options.tls ?? null, options.arrived);
    }
  } catch (error) {
    for (const listener of [server, secure]) {
      if (listener?.listening) await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    if (error instanceof TransportError) throw error;
    throw listenError(error as NodeJS.ErrnoException, host, step.port, step.flag);
  }
  const address = server.address() as net.AddressInfo;
  const tlsAddress = secure ? (secure.address() as net.AddressInfo) : null;
  const lanes = new DeliveryLanes(broker.id);
  const published = (error: Error | undefined, topic?: string): void => {
    if (error) log(`mqtt: embedded broker refused ${topic ?? 'a QoS 0 publish'}: ${error.message}`);
  };
  let handler: ((message: BrokerPublish) => void) | null = null;
  // One Sender per client, made at its first publish, shared by all the rest.
  const senders = new WeakMap<Client, Sender>();
  const senderOf = (client: Client): Sender => {
    let sender = senders.get(client);
    if (sender === undefined) {
      sender = Object.freeze({ clientId: client.id, address: clientAddress(client) });
      senders.set(client, sender);
    }
    return sender;
  };
  broker.on('publish', (packet, client) => {
    if (client === null || handler === null || !packet.topic.startsWith(BRIDGED_PREFIX)) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    handler({ topic: packet.topic, payload, qos: packet.qos === 0 ? 0 : 1, retain: packet.retain, sender: senderOf(client) });
  });

  return {
    url: mqttUrl(host, address.port),
    tlsUrl: tlsAddress ? mqttUrl(host, tlsAddress.port, true) : null,
    webSocket,
    webSocketUrl: webSocketPort?.url ?? null,
    guard,
    get connections() {
      return broker.connectedClients;
    },
    publish(message) {
      const lane = lanes.stamp(message);
      const packet = {
        cmd: 'publish' as const,
        topic: message.topic,
        payload: Buffer.from(message.payload),
        qos: message.qos,
        retain: message.retain,
        dup: false,
      };
      // Plain frames (thousands a second) take no lane and share one callback.
      if (lane === null) broker.publish(packet, published);
      else broker.publish({ ...packet, ...lane }, (error) => published(error, message.topic));
    },
    onPublish(next) {
      handler = next;
    },
    async close() {
      handler = null;
      const closed = [server, ...(secure ? [secure] : [])].map((listener) => new Promise<void>((resolve) => listener.close(() => resolve())));
      for (const socket of sockets) socket.destroy();
      webSocket.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all([...closed, webSocketPort?.close()]);
    },
  };
}

/**
 * Aedes drops, as a duplicate, any message whose broker counter is lower than one it already
 * delivered to the same client. Counters are taken when a message is published, but retained
 * and QoS 1 messages wait on the persistence before they are delivered, so a ball frame
 * published a moment later overtakes them, and a client that gets both (a player) silently
 * loses the state: the score after a forfeit never arrived. Each kind of message gets its own
 * counter sequence (Aedes keeps one per broker id), within which delivery order is publish order.
 */
class DeliveryLanes {
  private readonly counters = { qos1: 0, retained: 0 };

  constructor(private readonly brokerId: string) {}

  /** null for plain QoS 0, which takes no detour through the persistence: Aedes' own sequence is in order. */
  stamp(message: Pick<BrokerPublish, 'qos' | 'retain'>): { brokerId: string; brokerCounter: number } | null {
    if (message.qos === 0 && !message.retain) return null;
    const lane = message.qos > 0 ? 'qos1' : 'retained';
    this.counters[lane] += 1;
    return { brokerId: `${this.brokerId}/${lane}`, brokerCounter: this.counters[lane] };
  }
}

function listen(server: net.Server | tls.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number, flag: string): TransportError {
  if (error.code === 'EADDRINUSE') {
    return new TransportError(
      'EADDRINUSE',
      `port ${port} is in use — another broker may be running: pick another with ${flag}, or use it with --broker ${mqttUrl(host, port)}`,
    );
  }
  return new TransportError('EUNREACHABLE', `cannot listen on ${mqttUrl(host, port)} — ${error.code ?? error.message}`);
}
