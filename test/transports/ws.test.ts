import { wsTransport } from '../../src/transports/ws/index.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { runTransportContract } from './contract.js';

runTransportContract('ws', () => startGatewayFixture(wsTransport));
