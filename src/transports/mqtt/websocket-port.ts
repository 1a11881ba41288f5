/**
 * MQTT over WebSocket on a port of its own (`pong serve --mqtt-ws-port`, e.g. 9001, where the
 * classic demo's page connects), as Mosquitto's websockets listener serves it: an upgrade at
 * `/` or `/mqtt` is MQTT; any other path is not found; a plain HTTP request is told what the
 * port is for. With the server's certificate it is wss.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { UpgradeRouter } from '../../bus/upgrade-router.js';
import { TransportError } from '../transport.js';
import { hostForUrl } from '../http-url.js';
import { MQTT_WS_PATH, type MqttWebSocketDoor } from './websocket-door.js';

export interface MqttWebSocketPort {
  /** ws://host:port/mqtt (wss:// with TLS). */
  readonly url: string;
  close(): Promise<void>;
}

export async function listenMqttWebSocket(
  door: MqttWebSocketDoor,
  host: string,
  port: number,
  tls: { cert: string; key: string } | null,
  arrived?: (socket: Duplex) => void,
): Promise<MqttWebSocketPort> {
  const respond = (_request: unknown, response: import('node:http').ServerResponse) => {
    response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    response.end('MQTT over WebSocket: connect an MQTT client here (path / or /mqtt)\n');
  };
  // An https.Server is an http.Server to everything that attaches to it.
  const server: Server = tls ? (createHttpsServer(tls, respond) as unknown as Server) : createServer(respond);
  if (arrived !== undefined) server.on('connection', arrived);
  const upgrades = new UpgradeRouter(server);
  upgrades.register('/', door.upgrade);
  upgrades.register(MQTT_WS_PATH, door.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `${tls ? 'wss' : 'ws'}://${hostForUrl(host)}:${address.port}${MQTT_WS_PATH}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): TransportError {
  if (error.code === 'EADDRINUSE') {
    return new TransportError('EADDRINUSE', `port ${port} is in use — pick another for MQTT over WebSocket with --mqtt-ws-port`);
  }
  return new TransportError('EUNREACHABLE', `cannot listen on ${hostForUrl(host)}:${port} for MQTT over WebSocket — ${error.code ?? error.message}`);
}
