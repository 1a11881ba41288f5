import type { TransportFactory } from '../transport.js';
import { WsClient } from './client.js';
import { WsGateway } from './gateway.js';

export const wsTransport: TransportFactory = {
  name: 'ws',
  summary: 'raw WebSocket at /ws on the server port; the server routes topics for its clients',
  createClient: (options) => new WsClient(options),
  createGateway: (context) => new WsGateway(context),
};
