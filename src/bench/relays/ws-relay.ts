/** The ws library and a Map from topic to sockets: pong's ws framing, nothing else. */
import { WebSocketServer, type WebSocket } from 'ws';
import { closeHttp, isAckTopic, listenHttp, type AckSink, type BareRelay } from './relay.js';

export async function startWsRelay(onAck: AckSink): Promise<BareRelay> {
  const { http, url } = await listenHttp();
  const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
  const subscribers = new Map<string, Set<WebSocket>>();
  wss.on('connection', (socket) => {
    const mine = new Set<string>();
    socket.on('message', (data) => {
      const text = data.toString();
      const newline = text.indexOf('\n');
      const header = newline === -1 ? text : text.slice(0, newline);
      const [command, topic] = header.split(' ');
      if (topic === undefined) return;
      if (command === 'sub') {
        let set = subscribers.get(topic);
        if (set === undefined) subscribers.set(topic, (set = new Set()));
        set.add(socket);
        mine.add(topic);
      } else if (command === 'pub' && isAckTopic(topic)) {
        onAck(topic, newline === -1 ? '' : text.slice(newline + 1));
      }
    });
    socket.on('close', () => {
      for (const topic of mine) subscribers.get(topic)?.delete(socket);
    });
  });
  return {
    urls: { httpUrl: url, mqttUrl: null },
    publish(topic, payload) {
      const set = subscribers.get(topic);
      if (set === undefined) return;
      const frame = `msg ${topic}\n${payload}`;
      for (const socket of set) socket.send(frame);
    },
    async stop() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp(http);
    },
  };
}
