import { socketioTransport } from '../../src/transports/socketio/index.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { runTransportContract } from './contract.js';

runTransportContract('socketio', () => startGatewayFixture(socketioTransport));
// A killed polling client is noticed only when it misses a ping: ping often, so the will
// cases need not wait the default 15 s.
const quickPings = { gatewayOptions: { extra: { pingIntervalMs: 500, pingTimeoutMs: 500 } } };

runTransportContract('socketio, polling then upgrade', () =>
  startGatewayFixture(socketioTransport, { ...quickPings, clientExtra: { polling: true } }),
);
runTransportContract('socketio, long-polling only', () =>
  startGatewayFixture(socketioTransport, { ...quickPings, clientExtra: { polling: 'only' } }),
);
