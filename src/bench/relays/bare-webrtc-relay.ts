/**
 * A bare node-datachannel relay, for the WebRTC floor: one answering peer per client, set up
 * over a plain WebSocket (bare-signal.ts), and frames and acks in pong's text framing on the
 * one data channel the client opens (unordered, no retransmits, as pong's ball and acks
 * travel). No reliable channel, no sessions, no bus: the library and a topic table.
 */
import { WebSocketServer } from 'ws';
import { createPeer, type RtcChannel, type RtcPeer } from '../../transports/webrtc/peer.js';
import { BARE_SIGNAL_PATH, receiveSignals, signalSender } from './bare-signal.js';
import { FramedTopics } from './framed-topics.js';
import { closeHttp, listenHttp, type AckSink, type BareRelay } from './relay.js';

export async function startBareWebRtcRelay(onAck: AckSink): Promise<BareRelay> {
  const { http, url } = await listenHttp();
  const wss = new WebSocketServer({ server: http, path: BARE_SIGNAL_PATH, perMessageDeflate: false });
  const topics = new FramedTopics<RtcChannel>(onAck);
  const peers = new Set<RtcPeer>();
  let count = 0;
  wss.on('connection', (socket) => {
    count += 1;
    const send = signalSender(socket);
    const peer = createPeer(`bare-relay-${count}`, { iceServers: [] }, {
      onLocalDescription: (sdp, type) => send({ kind: 'description', sdp, type }),
      onLocalCandidate: (candidate, mid) => send({ kind: 'candidate', candidate, mid }),
      onStateChange: () => {},
      onRemoteChannel: (channel) => ({
        onMessage: (text) => topics.receive(channel, text),
        onClose: () => topics.drop(channel),
      }),
    });
    peers.add(peer);
    receiveSignals(socket, peer, () => socket.terminate());
    socket.on('close', () => {
      peers.delete(peer);
      void peer.close();
    });
  });
  return {
    urls: { httpUrl: url, mqttUrl: null },
    publish(topic, payload) {
      topics.publish(topic, payload, (channel, frame) => void channel.send(frame));
    },
    async stop() {
      await Promise.allSettled([...peers].map((peer) => peer.close()));
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp(http);
    },
  };
}
