import type { TransportFactory } from '../transport.js';
import { MqttTransportClient } from './client.js';
import { MqttGateway } from './gateway.js';

export const mqttTransport: TransportFactory = {
  name: 'mqtt',
  summary: 'MQTT 3.1.1 via a broker (embedded Aedes, or --broker for Mosquitto/EMQX); the server bridges it to the game',
  createClient: (options) => new MqttTransportClient(options),
  createGateway: (context) => new MqttGateway(context),
};
