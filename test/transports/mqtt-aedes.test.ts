import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { runTransportContract } from './contract.js';

runTransportContract('mqtt via the embedded Aedes', () =>
  startGatewayFixture(mqttTransport, {
    gatewayOptions: { mqttPort: 0 },
    // The restart must come back where the clients' broker URL points.
    sameAddress: (first) => ({ mqttPort: Number(new URL(first.describe()).port) }),
  }),
);

