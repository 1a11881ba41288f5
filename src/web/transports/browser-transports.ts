/**
 * The page's transports by name, each the browser's own way to speak it: a TransportClient to
 * the server that served the page, as the terminal's registry makes one for a terminal client.
 */
import type { TransportClient, TransportName } from '../../transports/transport.js';
import type { ServerInfo } from '../server-info.js';
import { BrowserMqttClient } from './mqtt-client.js';
import { BrowserSocketIoClient } from './socketio-client.js';
import { BrowserWebRtcClient } from './webrtc-client.js';
import { BrowserWsClient } from './ws-client.js';

export function createBrowserClient(name: TransportName, clientId: string, serverUrl: string, info: ServerInfo): TransportClient {
  const options = { serverUrl, brokerUrl: serverUrl, clientId };
  switch (name) {
    case 'ws':
      return new BrowserWsClient(options);
    case 'socketio':
      return new BrowserSocketIoClient(options);
    case 'webrtc':
      return new BrowserWebRtcClient(options);
    case 'mqtt':
      return new BrowserMqttClient(options, info.mqttWebSocketPath ?? '/mqtt');
  }
}
