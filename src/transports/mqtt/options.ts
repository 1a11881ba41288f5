/**
 * The MQTT gateway's `extra` options (ServerOptions.extra.mqtt), like WebRTC's:
 *   tls        { cert, key }  PEM: adds an mqtts listener to the embedded broker
 *   mqttsPort  number         its port (default 8883; 0 = any free port)
 *   wsPort     number         MQTT over WebSocket on a port of its own (0 = any free port;
 *                             absent: only at /mqtt on the server's HTTP port)
 *   username, password        credentials for an external broker (--broker)
 *   ca         string         PEM to trust for an external mqtts:// broker
 * Misuse throws at construction, so a bad flag fails before anything listens.
 */
import { DEFAULT_MQTTS_PORT } from './url.js';

export interface MqttGatewayOptions {
  tls: { cert: string; key: string } | null;
  mqttsPort: number;
  wsPort: number | null;
  username?: string;
  password?: string;
  ca?: string;
}

export function parseMqttOptions(extra: Record<string, unknown> | undefined): MqttGatewayOptions {
  const tls = extra?.['tls'];
  const port = extra?.['mqttsPort'] ?? DEFAULT_MQTTS_PORT;
  const wsPort = extra?.['wsPort'] ?? null;
  if (tls !== undefined && (typeof tls !== 'object' || tls === null || !isPem(tls, 'cert') || !isPem(tls, 'key'))) {
    throw new TypeError('mqtt: tls must be { cert, key } with PEM strings');
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`mqtt: mqttsPort must be a port number, got ${JSON.stringify(port)}`);
  }
  if (wsPort !== null && (typeof wsPort !== 'number' || !Number.isInteger(wsPort) || wsPort < 0 || wsPort > 65535)) {
    throw new TypeError(`mqtt: wsPort must be a port number, got ${JSON.stringify(wsPort)}`);
  }
  const options: MqttGatewayOptions = { tls: (tls as MqttGatewayOptions['tls']) ?? null, mqttsPort: port, wsPort };
  for (const key of ['username', 'password', 'ca'] as const) {
    const value = extra?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new TypeError(`mqtt: ${key} must be a string`);
    options[key] = value;
  }
  return options;
}

function isPem(value: object, key: 'cert' | 'key'): boolean {
  return typeof (value as Record<string, unknown>)[key] === 'string';
}
