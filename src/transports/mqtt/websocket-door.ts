/**
 * MQTT over WebSocket into the embedded broker, as browsers speak it (mqtt.js in a page, the
 * classic demo's page at ws://host:9001): one WebSocket per client, its binary messages the
 * MQTT byte stream. Each connection comes through the same doors as one over TCP: the address's
 * share of connections is taken before the upgrade (refused with an HTTP 429 naming the reason,
 * while a refusal costs nothing), then the stream goes to the broker with its upgrade request,
 * from which the broker's hooks read the real remote address (client.req), and the guard
 * bounds its packets; the hooks do the rest, as for TCP.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { CONNECTION_LIMIT_HINT, KICK_REASONS } from '../limits.js';
import { refuseUpgrade } from '../ws/refusal.js';
import type { BrokerGuard } from './broker-guard.js';
import { MQTT_MAX_PACKET_BYTES } from './packet-size-guard.js';

/** mqtt.js's default path, on the server's HTTP port. */
export const MQTT_WS_PATH = '/mqtt';

/**
 * A WebSocket message is buffered whole before it is read: bounded here, at two packets (a
 * client may write a few in one message), while the guard bounds each packet inside it.
 */
export const MQTT_WS_MAX_MESSAGE_BYTES = 2 * MQTT_MAX_PACKET_BYTES;

/** Hands an admitted connection's byte stream to the broker. */
export type ServeStream = (stream: Duplex, request: IncomingMessage) => void;

export class MqttWebSocketDoor {
  // The subprotocol the client asks for (mqtt, or mqttv3.1) is echoed, as browsers require:
  // ws answers with the first one offered.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MQTT_WS_MAX_MESSAGE_BYTES, perMessageDeflate: false });
  private readonly open = new Set<WebSocket>();

  constructor(
    private readonly guard: BrokerGuard,
    private readonly serve: ServeStream,
  ) {}

  /** For an UpgradeRouter: takes an upgrade request for MQTT over WebSocket. */
  readonly upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const address = request.socket.remoteAddress ?? 'unknown';
    if (!this.guard.admitConnection(address)) {
      refuseUpgrade(socket, KICK_REASONS.connections, CONNECTION_LIMIT_HINT);
      return;
    }
    // Given back when the socket closes, whether or not the upgrade completes.
    socket.once('close', () => this.guard.releaseConnection(address));
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.open.add(ws);
      ws.once('close', () => this.open.delete(ws));
      this.serve(createWebSocketStream(ws), request);
    });
  };

  /** Ends every connection at once (a stopping broker waits for no closing handshake). */
  close(): void {
    for (const ws of this.open) ws.terminate();
    this.open.clear();
    this.wss.close();
  }
}
