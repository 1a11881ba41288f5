/**
 * Client side of the MQTT transport: mqtt.js over TCP (or TLS), MQTT 3.1.1 (what Aedes speaks),
 * clean session. mqtt.js retries every second after a drop and subscribes again on its own;
 * MqttClientCore turns its events into connection statuses and keeps latest-wins publishes out
 * of its offline queue. This file adds the TCP stream, with Nagle off and its bytes counted.
 */
import { MqttClient } from 'mqtt';
import type { ClientOptions, WireCounters } from '../transport.js';
import { WireMeter } from '../wire-meter.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, MQTT_CLIENT_OPTIONS, MqttClientCore } from './client-core.js';
import { noDelayStream } from './tcp.js';
import { parseBrokerUrl } from './url.js';
import { AddressRing, addressList } from '../address-ring.js';


export class MqttTransportClient extends MqttClientCore {
  private readonly meter: WireMeter;

  constructor(options: ClientOptions) {
    // Several brokers (a cluster's nodes): tried in turn, one more at each reconnect.
    const brokers = new AddressRing(addressList(options.brokerUrl).map(parseBrokerUrl));
    const address = brokers.current;
    const username = options.username ?? address.username;
    const password = options.password ?? address.password;
    const meter = new WireMeter();
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    super({
      client: new MqttClient(noDelayStream(() => brokers.next(), meter, options.ca), {
        ...MQTT_CLIENT_OPTIONS,
        clientId: options.clientId,
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        connectTimeout: connectTimeoutMs,
      }),
      counts: meter,
      connectTimeoutMs,
      brokerPassword: password !== undefined,
      unreachable: (reason) => `cannot reach broker ${options.brokerUrl} — ${reason}`,
    });
    this.meter = meter;
  }

  get wire(): Readonly<WireCounters> {
    return this.meter.counters;
  }

  protected override text(payload: Buffer): string {
    return payload.toString('utf8');
  }
}
