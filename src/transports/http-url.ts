/** The URL a client dials for a gateway on the server's shared HTTP port (ws, Socket.io, WebRTC). */
import type { Server } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import { isIPv6 } from 'node:net';

export function hostForUrl(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

/** The http:// (https://) URL of a listening server (ws clients derive ws://host:port/ws from it). */
export function httpUrlOf(server: Server, host: string): string {
  const scheme = (server as unknown) instanceof HttpsServer ? 'https' : 'http';
  const address = server.address();
  if (address === null || typeof address === 'string') return `${scheme}://${hostForUrl(host)}`;
  return `${scheme}://${hostForUrl(host)}:${address.port}`;
}
