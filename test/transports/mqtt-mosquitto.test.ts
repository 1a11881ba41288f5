import { describe } from 'vitest';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { mosquittoAvailable, startMosquitto } from '../helpers/mosquitto.js';
import { runTransportContract } from './contract.js';

describe.runIf(mosquittoAvailable())('with a real Mosquitto', () => {
  runTransportContract('mqtt via Mosquitto', async () => {
    const broker = await startMosquitto();
    return startGatewayFixture(mqttTransport, { gatewayOptions: { brokerUrl: broker.url }, dependency: broker });
  });
});
