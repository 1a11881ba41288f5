import { socketioTransport } from '../../src/transports/socketio/index.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { runTransportContract } from './contract.js';

runTransportContract('socketio', () => startGatewayFixture(socketioTransport));
runTransportContract('socketio, polling then upgrade', () =>
  startGatewayFixture(socketioTransport, { clientExtra: { polling: true } }),
);
runTransportContract('socketio, long-polling only', () =>
  startGatewayFixture(socketioTransport, { clientExtra: { polling: 'only' } }),
);
