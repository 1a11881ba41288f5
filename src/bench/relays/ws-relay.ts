/** The ws library and a Map from topic to sockets: pong's ws framing, nothing else. */
import { WebSocketServer, type WebSocket } from 'ws';
import { FramedTopics } from './framed-topics.js';
import { closeHttp, listenHttp, type AckSink, type BareRelay } from './relay.js';

export async function startWsRelay(onAck: AckSink): Promise<BareRelay> {
  const { http, url } = await listenHttp();
  const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
  const topics = new FramedTopics<WebSocket>(onAck);
  wss.on('connection', (socket) => {
    socket.on('message', (data) => topics.receive(socket, data.toString()));
    socket.on('close', () => topics.drop(socket));
  });
  return {
    urls: { httpUrl: url, mqttUrl: null },
    publish(topic, payload) {
      topics.publish(topic, payload, (socket, frame) => socket.send(frame));
    },
    async stop() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp(http);
    },
  };
}
