/**
 * The MQTT transport in the browser: mqtt.js over WebSocket to the embedded broker's `/mqtt`
 * on the server's HTTP port, MQTT 3.1.1 as the terminal client speaks it. The will is the
 * CONNECT's Last Will, the seat token the CONNECT password (username `pong`), a takeover the
 * server's `$pong/taken-over` notice. The wire counters are the WebSocket messages' bytes: the
 * MQTT packets whole, headers included.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { EventedClient } from '../../transports/client-events.js';
import { KICK_REASONS } from '../../transports/limits.js';
import { TAKEN_OVER_TOPIC } from '../../transports/mqtt/notices.js';
import {
  TransportError,
  type ClientOptions,
  type PublishOptions,
  type TransportClient,
  type WillMessage,
  type WireCounters,
} from '../../transports/transport.js';
import { socketUrl } from './server-urls.js';

const CONNECT_TIMEOUT_MS = 5_000;
const RECONNECT_PERIOD_MS = 1_000;
const KEEPALIVE_S = 15;
const SEAT_TOKEN_USERNAME = 'pong';

function byteSize(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof Blob) return data.size;
  return typeof data === 'string' ? data.length : 0;
}

export class BrowserMqttClient extends EventedClient implements TransportClient {
  readonly name = 'mqtt' as const;
  private readonly client: MqttClient;
  private readonly counters: WireCounters = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
  private readonly decoder = new TextDecoder();
  private firstConnect: { resolve: () => void; reject: (error: TransportError) => void } | null = null;
  private attempted = false;
  private closing = false;
  private lastError = 'connection closed';

  constructor(options: ClientOptions, path: string) {
    super();
    const url = socketUrl(options.serverUrl, path, {});
    this.client = mqtt.connect(url, {
      manualConnect: true,
      clientId: options.clientId,
      protocolVersion: 4,
      clean: true,
      keepalive: KEEPALIVE_S,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      connectTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      // A paddle position queued during an outage is stale by the time it would be sent.
      queueQoSZero: false,
      resubscribe: true,
      // The page's own timers: mqtt.js's default runs its keep-alive in a blob worker, which
      // the page's content security policy (same origin only) refuses.
      timerVariant: 'native',
      // The browser's WebSocket, counted: the page can know what each message carried.
      createWebsocket: (socketAddress: string, protocols: string[]) => this.countedSocket(socketAddress, protocols),
    });
    this.listen();
  }

  get detail(): string | undefined {
    return this.events.detail;
  }

  get wire(): Readonly<WireCounters> {
    return this.counters;
  }

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new TransportError('ECLOSED', 'mqtt client is closed'));
    if (this.attempted) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    this.attempted = true;
    return new Promise<void>((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.events.setStatus('connecting');
      this.client.connect();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    if (qos === 0 && !this.client.connected) return;
    this.counters.messagesOut += 1;
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
    const options = this.client.options;
    if (token === null) {
      delete options.password;
      delete options.username;
      return;
    }
    // MQTT 3.1.1 sends a password only with a username.
    options.username = SEAT_TOKEN_USERNAME;
    options.password = token;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.events.setStatus('closed');
    this.firstConnect?.reject(new TransportError('ECLOSED', 'mqtt client was closed while connecting'));
    this.firstConnect = null;
    // A DISCONNECT packet tells the broker not to publish our will.
    await Promise.race([this.client.endAsync(!this.client.connected), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  }

  private countedSocket(address: string, protocols: string[]): WebSocket {
    const socket = new WebSocket(address, protocols);
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', (event: MessageEvent) => {
      this.counters.bytesIn += byteSize(event.data);
    });
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      this.counters.bytesOut += byteSize(data);
      send(data);
    };
    return socket;
  }

  private listen(): void {
    const client = this.client;
    client.on('connect', () => {
      this.events.setStatus('connected');
      this.firstConnect?.resolve();
      this.firstConnect = null;
    });
    client.on('message', (topic, payload) => {
      if (topic === TAKEN_OVER_TOPIC) return this.end();
      this.counters.messagesIn += 1;
      this.events.deliver(topic, this.decoder.decode(payload));
    });
    // mqtt.js emits 'error' for socket and CONNACK failures and then 'close'; the close decides.
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    client.on('close', () => {
      if (this.closing) return;
      const first = this.firstConnect;
      if (first !== null) {
        // The first failure is the answer, as on every transport: said at once, not retried.
        this.firstConnect = null;
        this.closing = true;
        client.end(true);
        this.events.setStatus('disconnected', this.lastError);
        first.reject(new TransportError('EUNREACHABLE', `cannot reach MQTT over WebSocket: ${this.lastError}`));
        return;
      }
      this.events.setStatus('reconnecting', this.lastError);
    });
  }

  /** A newer connection of this client took its id over: stop for good, not reconnect. */
  private end(): void {
    if (this.closing) return;
    this.closing = true;
    this.client.end(true);
    this.events.setStatus('closed', KICK_REASONS.takenOver);
  }

  private assertOpen(): void {
    if (this.closing) throw new TransportError('ECLOSED', 'mqtt client is closed');
  }
}
