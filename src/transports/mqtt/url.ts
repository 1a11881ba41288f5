import { isIPv6 } from 'node:net';
import { TransportError } from '../transport.js';

export const DEFAULT_MQTT_PORT = 1883;

export interface BrokerAddress {
  host: string;
  port: number;
}

export function mqttUrl(host: string, port: number): string {
  return `mqtt://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/** mqtt://host[:port] or tcp://host[:port]; TLS and WebSocket brokers are not supported. */
export function parseBrokerUrl(url: string): BrokerAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError('EUNREACHABLE', `invalid broker URL '${url}' — expected mqtt://host:port`);
  }
  if (parsed.protocol !== 'mqtt:' && parsed.protocol !== 'tcp:') {
    throw new TransportError('EUNREACHABLE', `unsupported broker URL '${url}' — only mqtt://host:port (plain TCP) is supported`);
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: parsed.port === '' ? DEFAULT_MQTT_PORT : Number(parsed.port) };
}
