import { isIPv6 } from 'node:net';
import { TransportError } from '../transport.js';

export const DEFAULT_MQTT_PORT = 1883;
export const DEFAULT_MQTTS_PORT = 8883;

export interface BrokerAddress {
  host: string;
  port: number;
  /** mqtts: TLS to the broker. */
  secure: boolean;
  /** From mqtt://user:password@host, when the URL carries them. */
  username?: string;
  password?: string;
}

export function mqttUrl(host: string, port: number, secure = false): string {
  return `${secure ? 'mqtts' : 'mqtt'}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/** mqtt://, tcp:// or mqtts:// host[:port], optionally user:password@; WebSocket brokers are not supported. */
export function parseBrokerUrl(url: string): BrokerAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError('EUNREACHABLE', `invalid broker URL '${url}' — expected mqtt://host:port`);
  }
  const secure = parsed.protocol === 'mqtts:';
  if (parsed.protocol !== 'mqtt:' && parsed.protocol !== 'tcp:' && !secure) {
    throw new TransportError('EUNREACHABLE', `unsupported broker URL '${url}' — only mqtt://host:port or mqtts://host:port is supported`);
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? (secure ? DEFAULT_MQTTS_PORT : DEFAULT_MQTT_PORT) : Number(parsed.port);
  return {
    host,
    port,
    secure,
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}
