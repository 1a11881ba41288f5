/** A plain Socket.io server: a room per topic, pong's pub/sub/msg events. */
import { Server } from 'socket.io';
import { closeHttp, isAckTopic, listenHttp, type AckSink, type BareRelay } from './relay.js';

export async function startSocketIoRelay(onAck: AckSink): Promise<BareRelay> {
  const { http, url } = await listenHttp();
  const io = new Server(http, { path: '/socket.io/', transports: ['websocket'], serveClient: false });
  io.on('connection', (socket) => {
    socket.on('sub', (filter: unknown) => {
      if (typeof filter === 'string') void socket.join(filter);
    });
    socket.on('pub', (topic: unknown, payload: unknown) => {
      if (typeof topic === 'string' && typeof payload === 'string' && isAckTopic(topic)) onAck(topic, payload);
    });
  });
  return {
    urls: { httpUrl: url, mqttUrl: null },
    publish(topic, payload) {
      io.to(topic).emit('msg', topic, payload);
    },
    async stop() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await closeHttp(http).catch(() => {});
    },
  };
}
