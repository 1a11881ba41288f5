/**
 * Client side of the MQTT transport: mqtt.js over TCP, MQTT 3.1.1 (what Aedes speaks), clean
 * session. mqtt.js retries every second after a drop and subscribes again on its own; this
 * class turns its events into connection statuses and keeps latest-wins publishes out of its
 * offline queue.
 */
import { MqttClient } from 'mqtt';
import { EventedClient } from '../client-events.js';
import {
  isReliable,
  TransportError,
  type WillMessage,
  type ClientOptions,
  type PublishOptions,
  type TransportClient,
  type WireCounters,
} from '../transport.js';
import { WireMeter } from '../wire-meter.js';
import { KICK_REASONS } from '../limits.js';
import { TAKEN_OVER_TOPIC } from './notices.js';
import { noDelayStream } from './tcp.js';
import { parseBrokerUrl } from './url.js';
import { AddressRing, addressList } from '../address-ring.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const RECONNECT_PERIOD_MS = 1_000;
/** Seconds; mqtt.js declares the broker gone after 1.5 keepalives without an answer. */
export const KEEPALIVE_S = 15;
/** The username sent with a seat token as the password, when the broker was given no account. */
export const SEAT_TOKEN_USERNAME = 'pong';
/** How long close() waits for the broker to take our DISCONNECT before cutting the socket. */
const CLOSE_GRACE_MS = 1_000;

interface FirstConnect {
  resolve: () => void;
  reject: (error: TransportError) => void;
}

export class MqttTransportClient extends EventedClient implements TransportClient {
  readonly name = 'mqtt' as const;
  /** Latest-wins publishes dropped because there was no connection. */
  droppedOffline = 0;
  private readonly meter = new WireMeter();
  private readonly client: MqttClient;
  /** The broker was given a password of its own: the seat token cannot travel as one. */
  private readonly brokerPassword: boolean;
  private firstConnect: FirstConnect | null = null;
  private attempted = false;
  private lastError = 'connection closed';
  private closing = false;
  /** The first connection failed: mqtt.js was ended and this client is spent. */
  private spent = false;

  constructor(private readonly options: ClientOptions) {
    super();
    // Built now but connected only by connect(): subscriptions made before then wait in mqtt.js.
    // Several brokers (a cluster's nodes): tried in turn, one more at each reconnect.
    const brokers = new AddressRing(addressList(options.brokerUrl).map(parseBrokerUrl));
    const address = brokers.current;
    const username = options.username ?? address.username;
    const password = options.password ?? address.password;
    this.brokerPassword = password !== undefined;
    this.client = new MqttClient(noDelayStream(() => brokers.next(), this.meter, options.ca), {
      manualConnect: true,
      clientId: options.clientId,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      protocolVersion: 4,
      clean: true,
      keepalive: KEEPALIVE_S,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // Only reliable qos 0 publishes (retained ones) reach mqtt.js offline: publish() drops the
      // latest-wins ones, a paddle position being stale by the time it would be sent.
      queueQoSZero: true,
      resubscribe: true,
    });
    this.listen(this.client);
  }

  get wire(): Readonly<WireCounters> {
    return this.meter.counters;
  }

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new TransportError('ECLOSED', 'mqtt client is closed'));
    if (this.attempted) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    this.attempted = true;
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.failFirst(`no answer within ${timeoutMs} ms`), timeoutMs);
      this.firstConnect = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.events.setStatus('connecting');
      this.client.connect();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    // Latest-wins publishes are dropped here; reliable ones wait in mqtt.js's queue (qos 0) or store (qos 1).
    if (!isReliable(options) && !this.client.connected) {
      this.droppedOffline += 1;
      return;
    }
    this.meter.messagesOut += 1;
    this.client.publish(topic, payload, { qos, retain: options.retain ?? false });
  }

  subscribe(filter: string): void {
    this.assertOpen();
    // QoS 1 is a ceiling: state arrives at QoS 1, the 60 Hz topics at the QoS 0 they were sent with.
    this.client.subscribe(filter, { qos: 1 });
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    this.client.unsubscribe(filter);
  }

  setWill(will: WillMessage | null): void {
    this.assertOpen();
    // mqtt.js reads options.will for every CONNECT it sends, reconnects included.
    if (will === null) delete this.client.options.will;
    else this.client.options.will = { topic: will.topic, payload: Buffer.from(will.payload), qos: will.qos ?? 0, retain: will.retain ?? false };
  }

  setSeatToken(token: string | null): void {
    if (this.brokerPassword) return;
    // mqtt.js reads its options for every CONNECT; MQTT 3.1.1 sends a password only with a username.
    const options = this.client.options;
    if (token === null) {
      delete options.password;
      if (options.username === SEAT_TOKEN_USERNAME) delete options.username;
      return;
    }
    options.username ??= SEAT_TOKEN_USERNAME;
    options.password = token;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.events.setStatus('closed');
    this.firstConnect?.reject(new TransportError('ECLOSED', 'mqtt client was closed while connecting'));
    this.firstConnect = null;
    if (this.spent) return;
    if (!this.client.connected) {
      await this.client.endAsync(true);
      return;
    }
    // A DISCONNECT packet is what tells the broker not to publish our will; a broker that
    // stops answering must not hold close() up waiting for in-flight acks.
    let timer: NodeJS.Timeout | undefined;
    const graceful = this.client.endAsync(false);
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.client.stream?.destroy();
        resolve();
      }, CLOSE_GRACE_MS);
    });
    await Promise.race([graceful, cut]);
    clearTimeout(timer);
  }

  private listen(client: MqttClient): void {
    client.on('connect', () => {
      this.events.setStatus('connected');
      this.firstConnect?.resolve();
      this.firstConnect = null;
    });
    client.on('message', (topic, payload) => {
      if (topic === TAKEN_OVER_TOPIC) return this.end();
      this.meter.messagesIn += 1;
      this.events.deliver(topic, payload.toString('utf8'));
    });
    // mqtt.js emits 'error' for socket and CONNACK failures and then 'close'; the close decides.
    client.on('error', (error: Error & { code?: string | number }) => {
      this.lastError = typeof error.code === 'string' ? error.code : error.message;
    });
    client.on('close', () => {
      if (this.closing || this.spent) return;
      if (this.firstConnect) {
        this.failFirst(this.lastError);
        return;
      }
      this.events.setStatus('reconnecting', this.lastError);
    });
  }

  /** A newer connection of this client took its id over: stop for good, not reconnect. */
  private end(): void {
    if (this.closing || this.spent) return;
    this.closing = true;
    this.client.end(true);
    this.events.setStatus('closed', KICK_REASONS.takenOver);
  }

  private failFirst(reason: string): void {
    const pending = this.firstConnect;
    if (!pending) return;
    this.firstConnect = null;
    this.spent = true;
    this.client.end(true);
    this.events.setStatus('disconnected', reason);
    pending.reject(new TransportError('EUNREACHABLE', `cannot reach broker ${this.options.brokerUrl} — ${reason}`));
  }

  private assertOpen(): void {
    if (this.closing || this.spent) throw new TransportError('ECLOSED', 'mqtt client is closed');
  }
}
