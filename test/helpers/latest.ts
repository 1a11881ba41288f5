/**
 * The latest message on each of some topics, kept current by a real MQTT client (as
 * mosquitto_sub would): for reading a server's retained `stats` and `pong/server/stats` while
 * a test runs.
 */
import { MqttTransportClient } from '../../src/transports/mqtt/client.js';

export interface LatestMessages {
  json<T = Record<string, unknown>>(topic: string): T | null;
  close(): Promise<void>;
}

export async function watchLatest(brokerUrl: string, filters: readonly string[], ca?: string): Promise<LatestMessages> {
  const client = new MqttTransportClient({
    brokerUrl,
    serverUrl: 'http://127.0.0.1:1',
    clientId: `latest-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    ...(ca !== undefined ? { ca } : {}),
  });
  const latest = new Map<string, string>();
  client.onMessage((topic, payload) => latest.set(topic, payload));
  for (const filter of filters) client.subscribe(filter);
  await client.connect();
  return {
    json<T>(topic: string) {
      const payload = latest.get(topic);
      return payload === undefined ? null : (JSON.parse(payload) as T);
    },
    close: () => client.close(),
  };
}
