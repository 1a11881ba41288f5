/**
 * Server side of the MQTT transport. MQTT clients talk to a broker, not to us; the gateway
 * bridges the broker's pong/# and the bus, both ways, with payloads bounded and counted. An
 * embedded broker also takes MQTT over WebSocket at /mqtt on the server's HTTP port (when it
 * listens: `pong serve` opens it whenever it embeds a broker), and on `wsPort` if given.
 */
import { MAX_PAYLOAD_BYTES } from '../../protocol/constants.js';
import { SERVER_ONLY, type BusMessage } from '../../bus/bus.js';
import { DropCounter } from '../../protocol/drop-counter.js';
import { DEFAULT_HUB_LIMITS } from '../hub.js';
import { clientLimits } from '../limits.js';
import type { Gateway, GatewayContext, GatewayCounters } from '../transport.js';
import type { BrokerGuard } from './broker-guard.js';
import { BRIDGED_FILTER, type BrokerLink, type BrokerPublish } from './broker-link.js';
import { startEmbeddedBroker } from './embedded-broker.js';
import { connectExternalBroker } from './external-broker.js';
import { parseMqttOptions, type MqttGatewayOptions } from './options.js';
import { DEFAULT_MQTT_PORT, mqttUrl } from './url.js';
import { MQTT_WS_PATH } from './websocket-door.js';
import { httpUrlOf } from '../http-url.js';

export class MqttGateway implements Gateway {
  readonly name = 'mqtt' as const;
  /** Bus messages too large to hand to the broker (only the server itself could send one). */
  droppedOutbound = 0;
  private link: BrokerLink | null = null;
  /** The embedded broker's guard (absent with an external broker, which guards itself). */
  private guard: BrokerGuard | null = null;
  private unsubscribeBus: (() => void) | null = null;
  private readonly tally = { messagesIn: 0, messagesOut: 0 };
  /** What the bridge refused from the broker (an external broker lets anything through). */
  private readonly bridgeDrops = new DropCounter();
  private readonly mqtt: MqttGatewayOptions;
  private tlsUrl: string | null = null;
  private webSocketUrls: string[] = [];
  private upgradeRegistered = false;

  constructor(private readonly context: GatewayContext) {
    this.mqtt = parseMqttOptions(context.options.extra);
  }

  get counters(): GatewayCounters {
    const droppedBy = { ...(this.guard?.drops.snapshot() ?? {}) };
    for (const [reason, count] of Object.entries(this.bridgeDrops.snapshot())) droppedBy[reason] = (droppedBy[reason] ?? 0) + count;
    return {
      connections: this.link?.connections ?? 0,
      ...this.tally,
      dropped: (this.guard?.drops.total ?? 0) + this.bridgeDrops.total,
      droppedBy,
      kicked: this.guard?.kicked ?? 0,
      shed: this.guard?.shed ?? 0,
    };
  }

  /** mqtts://host:port of the embedded broker's TLS listener, if it has one. */
  get secureUrl(): string | null {
    return this.tlsUrl;
  }

  /** Where the embedded broker takes MQTT over WebSocket: the HTTP port's /mqtt, and its own port's. */
  get webSocketUrl(): readonly string[] {
    return this.webSocketUrls;
  }

  async start(): Promise<void> {
    if (this.link) return;
    const { options, host, log } = this.context;
    let link: BrokerLink;
    if (options.brokerUrl) {
      link = await connectExternalBroker(options.brokerUrl, log, undefined, this.mqtt);
    } else {
      const embedded = await startEmbeddedBroker(host, options.mqttPort ?? DEFAULT_MQTT_PORT, log, {
        guard: { limits: clientLimits('mqtt', options.limits), policy: this.context.policy, clients: this.context.clients },
        tls: this.mqtt.tls,
        tlsPort: this.mqtt.mqttsPort,
        webSocketPort: this.mqtt.wsPort,
        ...(this.context.arrived !== undefined ? { arrived: this.context.arrived } : {}),
        ...(this.context.interest !== undefined ? { interest: this.context.interest } : {}),
      });
      this.guard = embedded.guard;
      this.tlsUrl = embedded.tlsUrl;
      const { http, upgrades } = this.context;
      if (http.listening) {
        upgrades.register(MQTT_WS_PATH, embedded.webSocket.upgrade);
        this.upgradeRegistered = true;
        this.webSocketUrls.push(webSocketUrlOf(http, host));
        log(`mqtt: over WebSocket at ${webSocketUrlOf(http, host)} (the HTTP port)`);
      }
      if (embedded.webSocketUrl !== null) {
        this.webSocketUrls.push(embedded.webSocketUrl);
        log(`mqtt: over WebSocket at ${embedded.webSocketUrl} (and at /), a port of its own`);
      }
      link = embedded;
    }
    link.onPublish((message) => this.fromBroker(message));
    this.link = link;
    this.unsubscribeBus = this.context.bus.subscribe(BRIDGED_FILTER, (message) => this.fromBus(message));
    log(`mqtt: ${options.brokerUrl ? 'bridged to broker' : 'embedded broker on'} ${link.url}`);
    if (this.tlsUrl) log(`mqtt: TLS listener on ${this.tlsUrl}`);
  }

  async stop(): Promise<void> {
    const link = this.link;
    if (!link) return;
    this.link = null;
    this.unsubscribeBus?.();
    this.unsubscribeBus = null;
    if (this.upgradeRegistered) this.context.upgrades.unregister(MQTT_WS_PATH);
    this.upgradeRegistered = false;
    this.webSocketUrls = [];
    await link.close();
  }

  describe(): string {
    if (this.link) return this.link.url;
    const { options, host } = this.context;
    return options.brokerUrl ?? mqttUrl(host, options.mqttPort ?? DEFAULT_MQTT_PORT);
  }

  private fromBroker(message: BrokerPublish): void {
    this.tally.messagesIn += 1;
    if (message.payload.length > MAX_PAYLOAD_BYTES || message.topic.length > DEFAULT_HUB_LIMITS.maxTopicLength) {
      this.bridgeDrops.record(message.payload.length > MAX_PAYLOAD_BYTES ? 'payload-too-large' : 'bad-topic');
      return;
    }
    const secret = this.context.policy?.isSecret(message.topic, message.payload) === true;
    this.context.bus.publish(message.topic, message.payload.toString('utf8'), {
      qos: message.qos,
      retain: message.retain,
      origin: 'mqtt',
      ...(message.sender !== undefined ? { sender: message.sender } : {}),
      ...(secret ? { to: SERVER_ONLY } : {}),
    });
  }

  private fromBus(message: BusMessage): void {
    // What came from the broker is already there; what no client may read never goes there.
    if (message.origin === 'mqtt' || message.to === SERVER_ONLY || !this.link) return;
    // A UTF-16 unit is at most 3 UTF-8 bytes: only a long payload needs counting.
    if (message.payload.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(message.payload) > MAX_PAYLOAD_BYTES) {
      this.droppedOutbound += 1;
      return;
    }
    this.tally.messagesOut += 1;
    this.link.publish(message);
  }
}

/** ws://host:port/mqtt (wss:// over TLS) of the server's HTTP port. */
function webSocketUrlOf(http: import('node:http').Server, host: string): string {
  return `${httpUrlOf(http, host).replace(/^http/, 'ws')}${MQTT_WS_PATH}`;
}
