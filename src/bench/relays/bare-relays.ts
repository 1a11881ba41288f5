/** Every bare relay by the floor it serves: the transports' libraries, and the machine's bare TCP. */
import type { FloorName } from '../ipc.js';
import { startBareWebRtcRelay } from './bare-webrtc-relay.js';
import { startMqttRelay } from './mqtt-relay.js';
import type { AckSink, BareRelay } from './relay.js';
import { startSocketIoRelay } from './socketio-relay.js';
import { startTcpRelay } from './tcp-relay.js';
import { startWsRelay } from './ws-relay.js';

/** `brokerUrl`: MQTT's external broker, where there is one; the others have no use for it. */
export const bareRelays: Record<FloorName, (onAck: AckSink, brokerUrl?: string) => Promise<BareRelay>> = {
  mqtt: startMqttRelay,
  ws: startWsRelay,
  socketio: startSocketIoRelay,
  webrtc: startBareWebRtcRelay,
  tcp: startTcpRelay,
};
