/**
 * A link to a broker we do not run (Mosquitto, EMQX): the gateway becomes one more MQTT
 * client of it. With MQTT 5 the bridge subscription is no-local, so the broker never sends
 * back what the bridge published; retain-as-published keeps client retain flags, and
 * retain-handling 2 keeps a previous run's retained state from being imported onto the bus.
 * A broker that speaks only 3.1.1 (another pong's Aedes) gets the same bridge with the
 * echoes filtered out here instead.
 */
import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { TransportError } from '../transport.js';
import { BRIDGED_FILTER, type BrokerLink, type BrokerPublish } from './broker-link.js';
import { EchoFilter } from './echo-filter.js';
import { noDelayStream } from './tcp.js';
import { parseBrokerUrl } from './url.js';

export const BRIDGE_CONNECT_TIMEOUT_MS = 5_000;

type ProtocolVersion = 4 | 5;

class ProtocolRefused extends Error {}

/** How the bridge logs in to the broker: from --username/--password/--ca, or the URL's user:password@. */
export interface BridgeCredentials {
  username?: string;
  password?: string;
  ca?: string;
}

export async function connectExternalBroker(
  url: string,
  log: (line: string) => void,
  timeoutMs = BRIDGE_CONNECT_TIMEOUT_MS,
  credentials: BridgeCredentials = {},
): Promise<BrokerLink> {
  let version: ProtocolVersion = 5;
  let client: MqttClient;
  try {
    client = await connectBridge(url, version, timeoutMs, credentials);
  } catch (error) {
    if (!(error instanceof ProtocolRefused)) throw error;
    log(`mqtt: broker ${url} does not speak MQTT 5; bridging with MQTT 3.1.1`);
    version = 4;
    client = await connectBridge(url, version, timeoutMs, credentials);
  }
  const echoes = version === 5 ? null : new EchoFilter();
  await subscribeBridge(client, url, version);

  let handler: ((message: BrokerPublish) => void) | null = null;
  client.on('message', (topic, payload, packet) => {
    if (echoes?.isEcho(topic, payload)) return;
    handler?.({ topic, payload, qos: packet.qos === 0 ? 0 : 1, retain: packet.retain });
  });
  let up = true;
  client.on('close', () => {
    if (up) log(`mqtt: lost broker ${url}; retrying every second`);
    up = false;
  });
  client.on('connect', () => {
    if (!up) log(`mqtt: broker ${url} is back`);
    up = true;
  });

  return {
    url,
    get connections() {
      return up ? 1 : 0;
    },
    publish(message) {
      // QoS 0 is not queued while the broker is away, so no echo of it will ever come.
      if (message.qos === 0 && !client.connected) return;
      echoes?.sent(message.topic, message.payload);
      client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain });
    },
    onPublish(next) {
      handler = next;
    },
    async close() {
      handler = null;
      await client.endAsync(true);
    },
  };
}

function connectBridge(url: string, protocolVersion: ProtocolVersion, timeoutMs: number, credentials: BridgeCredentials): Promise<MqttClient> {
  const address = parseBrokerUrl(url);
  const username = credentials.username ?? address.username;
  const password = credentials.password ?? address.password;
  const client = new MqttClient(noDelayStream(address, undefined, credentials.ca), {
    manualConnect: true,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    protocolVersion,
    clientId: `pong-server-${randomUUID().slice(0, 8)}`,
    clean: true,
    keepalive: 15,
    reconnectPeriod: 1_000,
    connectTimeout: timeoutMs,
    queueQoSZero: false,
    resubscribe: true,
  });
  return new Promise((resolve, reject) => {
    let lastError: Error & { code?: string | number } = new Error('connection closed');
    const fail = (reason: Error) => {
      cleanup();
      client.end(true);
      reject(reason);
    };
    const unreachable = (reason: string) => new TransportError('EUNREACHABLE', `cannot reach broker ${url} — ${reason}; is it running?`);
    const timer = setTimeout(() => fail(unreachable(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onError = (error: Error & { code?: string | number }) => {
      lastError = error;
    };
    const onClose = () => {
      // CONNACK 0x01 (3.1.1) or 0x84 (5): the broker does not speak the version we asked for.
      if (lastError.code === 1 || lastError.code === 132) fail(new ProtocolRefused(lastError.message));
      else fail(unreachable(typeof lastError.code === 'string' ? lastError.code : lastError.message));
    };
    const onConnect = () => {
      cleanup();
      resolve(client);
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('close', onClose);
      client.off('connect', onConnect);
    };
    // Stays after the first connection: mqtt.js must always have an 'error' listener.
    client.on('error', onError);
    client.on('close', onClose);
    client.on('connect', onConnect);
    client.connect();
  });
}

async function subscribeBridge(client: MqttClient, url: string, version: ProtocolVersion): Promise<void> {
  const options = version === 5 ? { qos: 1 as const, nl: true, rap: true, rh: 2 } : { qos: 1 as const };
  const granted = await client.subscribeAsync(BRIDGED_FILTER, options);
  const grant = granted[0];
  if (!grant || grant.qos > 2) {
    await client.endAsync(true);
    throw new TransportError('EPROTOCOL', `broker ${url} refused the bridge subscription to ${BRIDGED_FILTER}`);
  }
}
