import type { TransportFactory } from '../transport.js';
import { SocketIoClient } from './client.js';
import { SocketIoGateway } from './gateway.js';

export { SocketIoClient, type SocketIoClientCounters, DEFAULT_CONNECT_TIMEOUT_MS } from './client.js';
export { SocketIoGateway, DEFAULT_SOCKETIO_LIMITS, type SocketIoGatewayLimits } from './gateway.js';
export { EVENTS as SOCKETIO_EVENTS, SOCKETIO_PATH } from './events.js';

export const socketioTransport: TransportFactory = {
  name: 'socketio',
  summary: 'Socket.io 4 on the server HTTP port (/socket.io/); the server routes topics. --polling allows long-polling',
  createClient: (options) => new SocketIoClient(options),
  createGateway: (context) => new SocketIoGateway(context),
};
