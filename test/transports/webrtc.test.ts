/**
 * The transport contract over WebRTC data channels, once with signaling on the /rtc WebSocket
 * and once over Socket.io at /rtc.io/.
 */
import { webrtcTransport } from '../../src/transports/webrtc/index.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { runTransportContract } from './contract.js';

runTransportContract('webrtc (ws signaling)', () => startGatewayFixture(webrtcTransport));

runTransportContract('webrtc (Socket.io signaling)', () =>
  startGatewayFixture(webrtcTransport, {
    gatewayOptions: { extra: { signaling: 'socketio' } },
    clientExtra: { signaling: 'socketio' },
  }),
);
