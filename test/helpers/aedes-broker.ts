/**
 * A standalone Aedes on an OS-chosen port, as a stand-in for an external broker that speaks
 * only MQTT 3.1.1 (another pong server's embedded broker). Restartable on the same port.
 */
import { startEmbeddedBroker } from '../../src/transports/mqtt/embedded-broker.js';
import type { BrokerLink } from '../../src/transports/mqtt/broker-link.js';
import type { FixtureDependency } from './gateway-fixture.js';

const HOST = '127.0.0.1';

export interface StandaloneBroker extends FixtureDependency {
  readonly url: string;
}

export async function startAedesBroker(): Promise<StandaloneBroker> {
  let link: BrokerLink | null = await startEmbeddedBroker(HOST, 0, () => undefined);
  const url = link.url;
  const port = Number(new URL(url).port);
  const stop = async () => {
    await link?.close();
    link = null;
  };
  return {
    url,
    stop,
    async start() {
      link ??= await startEmbeddedBroker(HOST, port, () => undefined);
    },
    teardown: stop,
  };
}
