import type { TransportFactory } from '../transport.js';
import { WebRtcClient } from './client.js';
import { WebRtcGateway } from './gateway.js';

export { WebRtcClient } from './client.js';
export { WebRtcGateway } from './gateway.js';
export { RTC_SOCKETIO_PATH, RTC_WS_PATH } from './links.js';
export type { SignalMessage } from './signal.js';

export const webrtcTransport: TransportFactory = {
  name: 'webrtc',
  summary: 'WebRTC data channels (node-datachannel), signaled at /rtc on the server port; peer to peer with the server',
  createClient: (options) => new WebRtcClient(options),
  createGateway: (context) => new WebRtcGateway(context),
};
