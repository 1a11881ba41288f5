/**
 * Server side of the MQTT transport. MQTT clients talk to a broker, not to us; the gateway
 * bridges the broker's pong/# and the bus, both ways, with payloads bounded and counted.
 */
import { MAX_PAYLOAD_BYTES } from '../../protocol/constants.js';
import type { BusMessage } from '../../server/bus.js';
import { DEFAULT_HUB_LIMITS } from '../hub.js';
import type { Gateway, GatewayContext, GatewayCounters } from '../transport.js';
import { BRIDGED_FILTER, type BrokerLink, type BrokerPublish } from './broker-link.js';
import { startEmbeddedBroker } from './embedded-broker.js';
import { connectExternalBroker } from './external-broker.js';
import { DEFAULT_MQTT_PORT, mqttUrl } from './url.js';

export class MqttGateway implements Gateway {
  readonly name = 'mqtt' as const;
  /** Bus messages too large to hand to the broker (only the server itself could send one). */
  droppedOutbound = 0;
  private link: BrokerLink | null = null;
  private unsubscribeBus: (() => void) | null = null;
  private readonly tally = { messagesIn: 0, messagesOut: 0, dropped: 0 };

  constructor(private readonly context: GatewayContext) {}

  get counters(): GatewayCounters {
    return { connections: this.link?.connections ?? 0, ...this.tally };
  }

  async start(): Promise<void> {
    if (this.link) return;
    const { options, host, log } = this.context;
    const link = options.brokerUrl
      ? await connectExternalBroker(options.brokerUrl, log)
      : await startEmbeddedBroker(host, options.mqttPort ?? DEFAULT_MQTT_PORT, log);
    link.onPublish((message) => this.fromBroker(message));
    this.link = link;
    this.unsubscribeBus = this.context.bus.subscribe(BRIDGED_FILTER, (message) => this.fromBus(message));
    log(`mqtt: ${options.brokerUrl ? 'bridged to broker' : 'embedded broker on'} ${link.url}`);
  }

  async stop(): Promise<void> {
    const link = this.link;
    if (!link) return;
    this.link = null;
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
      this.tally.dropped += 1;
      return;
    }
    this.context.bus.publish(message.topic, message.payload.toString('utf8'), {
      qos: message.qos,
      retain: message.retain,
      origin: 'mqtt',
    });
  }

  private fromBus(message: BusMessage): void {
    // What came from the broker is already there.
    if (message.origin === 'mqtt' || !this.link) return;
    if (Buffer.byteLength(message.payload) > MAX_PAYLOAD_BYTES) {
      this.droppedOutbound += 1;
      return;
    }
    this.tally.messagesOut += 1;
    this.link.publish(message);
  }
}
