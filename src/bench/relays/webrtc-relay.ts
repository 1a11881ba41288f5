/**
 * node-datachannel has no server to speak of: a WebRTC relay needs signaling and a peer per
 * client. So this one is pong's own WebRTC gateway on a bare bus, with no game rooms: the
 * ratio then measures what the game adds on top of the transport.
 */
import { TopicBus } from '../../server/bus.js';
import { UpgradeRouter } from '../../server/upgrade-router.js';
import { getTransport } from '../../transports/registry.js';
import { closeHttp, listenHttp, type AckSink, type BareRelay } from './relay.js';

export async function startWebRtcRelay(onAck: AckSink): Promise<BareRelay> {
  const { http, url } = await listenHttp();
  const bus = new TopicBus();
  const gateway = getTransport('webrtc').createGateway({
    bus,
    http,
    upgrades: new UpgradeRouter(http),
    host: '127.0.0.1',
    log: () => {},
    options: { limits: { connectionsPerAddress: 100_000 } },
  });
  await gateway.start();
  bus.subscribe('pong/game/+/+/ack', (message) => onAck(message.topic, message.payload));
  return {
    urls: { httpUrl: url, mqttUrl: null },
    publish(topic, payload) {
      bus.publish(topic, payload, { qos: 0, retain: false });
    },
    async stop() {
      await gateway.stop();
      await closeHttp(http);
    },
  };
}
