/**
 * The MQTT client both of pong's MQTT clients are: mqtt.js turned into a TransportClient. The
 * terminal's connects over TCP (client.ts) and the browser page's over WebSocket
 * (src/web/transports/mqtt-client.ts); they differ only in the stream mqtt.js writes to and how
 * its bytes are counted, so everything else lives here once: the first connect and its
 * timeout, latest-wins publishes kept out of mqtt.js's offline queue, the will and the seat
 * token in the CONNECT, a takeover notice, and a close that a silent broker cannot hold up.
 *
 * No Node built-ins here: the browser bundle takes this file as it is.
 */
import type { MqttClient } from 'mqtt';
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
import { TAKEN_OVER_TOPIC } from './notices.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const RECONNECT_PERIOD_MS = 1_000;
/** Seconds; mqtt.js declares the broker gone after 1.5 keepalives without an answer. */
export const KEEPALIVE_S = 15;
/** The username sent with a seat token as the password, when the broker was given no account. */
export const SEAT_TOKEN_USERNAME = 'pong';
/** How long close() waits for the broker to take our DISCONNECT before cutting the stream. */
const CLOSE_GRACE_MS = 1_000;

/** mqtt.js's options every pong MQTT client connects with, whatever its stream. */
export const MQTT_CLIENT_OPTIONS = {
  manualConnect: true,
  protocolVersion: 4,
  clean: true,
  keepalive: KEEPALIVE_S,
  reconnectPeriod: RECONNECT_PERIOD_MS,
  // Only reliable qos 0 publishes (retained ones) reach mqtt.js offline: publish() drops the
  // latest-wins ones, a paddle position being stale by the time it would be sent.
  queueQoSZero: true,
  resubscribe: true,
} as const;

export interface MqttCoreConfig {
  /** Built with MQTT_CLIENT_OPTIONS, not yet connected: subscriptions made before connect() wait in it. */
  client: MqttClient;
  /** Where the messages are counted; the bytes are the subclass's to count. */
  counts: { messagesIn: number; messagesOut: number };
  connectTimeoutMs: number;
  /** The broker was given a password of its own: the seat token cannot travel as one. */
  brokerPassword: boolean;
  /** The error a failed first connect rejects with, from mqtt.js's last error. */
  unreachable: (reason: string) => string;
}

interface FirstConnect {
  resolve: () => void;
  reject: (error: TransportError) => void;
}

export abstract class MqttClientCore extends EventedClient implements TransportClient {
  readonly name = 'mqtt' as const;
  /** Latest-wins publishes dropped because there was no connection. */
  droppedOffline = 0;
  protected readonly client: MqttClient;
  private readonly config: MqttCoreConfig;
  private readonly decoder = new TextDecoder();
  private firstConnect: FirstConnect | null = null;
  private attempted = false;
  private lastError = 'connection closed';
  private closing = false;
  /** The first connection failed: mqtt.js was ended and this client is spent. */
  private spent = false;

  constructor(config: MqttCoreConfig) {
    super();
    this.config = config;
    this.client = config.client;
    this.listen(config.client);
  }

  abstract get wire(): Readonly<WireCounters>;

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new TransportError('ECLOSED', 'mqtt client is closed'));
    if (this.attempted) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    this.attempted = true;
    const timeoutMs = this.config.connectTimeoutMs;
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
    this.config.counts.messagesOut += 1;
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
    else this.client.options.will = { topic: will.topic, payload: will.payload, qos: will.qos ?? 0, retain: will.retain ?? false };
  }

  setSeatToken(token: string | null): void {
    if (this.config.brokerPassword) return;
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
    let timer: ReturnType<typeof setTimeout> | undefined;
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

  /** A payload's text; Node's clients read their Buffers faster without a TextDecoder. */
  protected text(payload: Uint8Array): string {
    return this.decoder.decode(payload);
  }

  private listen(client: MqttClient): void {
    client.on('connect', () => {
      this.events.setStatus('connected');
      this.firstConnect?.resolve();
      this.firstConnect = null;
    });
    client.on('message', (topic, payload) => {
      if (topic === TAKEN_OVER_TOPIC) return this.end();
      this.config.counts.messagesIn += 1;
      this.events.deliver(topic, this.text(payload));
    });
    // mqtt.js emits 'error' for socket and CONNACK failures and then 'close'; the close decides.
    client.on('error', (error: Error & { code?: string | number }) => {
      this.lastError = typeof error.code === 'string' ? error.code : error.message;
    });
    client.on('close', () => {
      if (this.closing || this.spent) return;
      // The first failure is the answer, as on every transport: said at once, not retried.
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
    pending.reject(new TransportError('EUNREACHABLE', this.config.unreachable(reason)));
  }

  private assertOpen(): void {
    if (this.closing || this.spent) throw new TransportError('ECLOSED', 'mqtt client is closed');
  }
}
