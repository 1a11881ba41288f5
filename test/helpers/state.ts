/**
 * Reads a game's retained state the way any client would: a real transport client subscribes to
 * the state topic and takes the first copy the server (or broker) hands it.
 */
import { getTransport } from '../../src/transports/registry.js';
import type { TransportName } from '../../src/transports/transport.js';
import { topics } from '../../src/protocol/topics.js';
import { decodePayload } from '../../src/protocol/validate.js';
import type { StateMessage } from '../../src/protocol/messages.js';

export async function readRetainedState(
  transport: TransportName,
  urls: { mqttUrl?: string | undefined; httpUrl?: string | undefined },
  gameId: string,
): Promise<StateMessage> {
  const client = getTransport(transport).createClient({
    serverUrl: urls.httpUrl ?? 'http://127.0.0.1:1',
    brokerUrl: urls.mqttUrl ?? 'mqtt://127.0.0.1:1',
    clientId: `state-reader-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    connectTimeoutMs: 10_000,
  });
  try {
    const received = new Promise<StateMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no retained state on ${topics.state(gameId)}`)), 10_000);
      client.onMessage((topic, payload) => {
        if (topic !== topics.state(gameId)) return;
        const decoded = decodePayload('state', payload);
        if (decoded.ok) {
          clearTimeout(timer);
          resolve(decoded.value);
        }
      });
    });
    client.subscribe(topics.state(gameId));
    await client.connect();
    return await received;
  } finally {
    await client.close();
  }
}
