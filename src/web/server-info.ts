/**
 * What the server serves, from its /server.json, and what the page says about a transport it
 * does not serve: the flag that opens it. Pure apart from the fetch.
 */
import type { TransportName } from '../transports/transport.js';

export interface ServerInfo {
  transports: TransportName[];
  /** MQTT over WebSocket on this port (the embedded broker's), or null. */
  mqttWebSocketPath: string | null;
}

export const TRANSPORT_NAMES: readonly TransportName[] = ['ws', 'socketio', 'mqtt', 'webrtc'];

export const TRANSPORT_LABELS: Readonly<Record<TransportName, string>> = {
  ws: 'WebSocket',
  socketio: 'Socket.io',
  mqtt: 'MQTT over WebSocket',
  webrtc: 'WebRTC data channels',
};

export function isTransportName(value: string | null): value is TransportName {
  return value !== null && (TRANSPORT_NAMES as readonly string[]).includes(value);
}

/** Whether the page can use this transport on this server. */
export function serves(info: ServerInfo, name: TransportName): boolean {
  if (!info.transports.includes(name)) return false;
  return name !== 'mqtt' || info.mqttWebSocketPath !== null;
}

/** Why the page cannot use a transport here, naming what would open it; null when it can. */
export function notServedReason(info: ServerInfo, name: TransportName): string | null {
  if (serves(info, name)) return null;
  if (name === 'mqtt' && info.transports.includes('mqtt')) {
    return 'This server bridges an external broker, which it cannot offer over WebSocket here: connect to that broker’s own WebSocket listener, or start pong serve without --broker.';
  }
  return `This server does not serve ${TRANSPORT_LABELS[name]}: start it with pong serve --transport ${[...info.transports, name].join(',')} (or --transport all).`;
}

/** The first transport this server serves, in the page's order of preference. */
export function defaultTransport(info: ServerInfo): TransportName | null {
  return TRANSPORT_NAMES.find((name) => serves(info, name)) ?? null;
}

export async function fetchServerInfo(): Promise<ServerInfo> {
  const response = await fetch('/server.json');
  if (!response.ok) throw new Error(`the server answered /server.json with HTTP ${response.status}`);
  const body = (await response.json()) as Partial<ServerInfo>;
  return {
    transports: (body.transports ?? []).filter((name): name is TransportName => isTransportName(name)),
    mqttWebSocketPath: typeof body.mqttWebSocketPath === 'string' ? body.mqttWebSocketPath : null,
  };
}
