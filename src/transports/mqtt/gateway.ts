/**
 * Server side of the MQTT transport. MQTT clients talk to a broker, not to us; the gateway
 * bridges the broker's pong/# and the bus, both ways, with payloads bounded and counted.
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
import { MqttWebSocketEndpoint } from './websocket-endpoint.js';

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
  private webSocket: MqttWebSocketEndpoint | null = null;

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
      });
      this.guard = embedded.guard;
      this.tlsUrl = embedded.tlsUrl;
      this.webSocket = new MqttWebSocketEndpoint(this.context.upgrades, (stream, request) => embedded.acceptStream(stream, request));
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
    this.webSocket?.close();
    this.webSocket = null;
    this.unsubscribeBus?.();
    this.unsubscribeBus = null;
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
