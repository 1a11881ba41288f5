/**
 * MQTT over WebSocket on the server's HTTP port, at `/mqtt` (mqtt.js's default path): how the
 * browser page's mqtt.js reaches the embedded broker. Each WebSocket becomes a stream the broker
 * handles like a TCP connection, with the same admission, packet bound, guard and identity
 * rules. A WebSocket message larger than the packet bound is refused by `ws` itself (close 1009).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { UpgradeRouter } from '../../bus/upgrade-router.js';
import { MQTT_MAX_PACKET_BYTES } from './packet-size-guard.js';

export const MQTT_WEBSOCKET_PATH = '/mqtt';

export class MqttWebSocketEndpoint {
  private readonly server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MQTT_MAX_PACKET_BYTES,
    // mqtt.js asks for "mqtt" (MQTT 3.1.1 and 5); older clients for "mqttv3.1".
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });

  constructor(
    private readonly upgrades: UpgradeRouter,
    accept: (stream: Duplex, request: IncomingMessage) => void,
  ) {
    upgrades.register(MQTT_WEBSOCKET_PATH, (request, socket, head) => {
      this.server.handleUpgrade(request, socket, head, (ws) => {
        const stream = createWebSocketStream(ws);
        // A peer's error closes that peer; the broker sees the stream end.
        stream.on('error', () => stream.destroy());
        accept(stream, request);
      });
    });
  }

  close(): void {
    this.upgrades.unregister(MQTT_WEBSOCKET_PATH);
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}
