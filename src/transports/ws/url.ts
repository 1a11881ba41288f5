import type { Server } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import { isIPv6 } from 'node:net';

export const WS_PATH = '/ws';

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

/** http://host:port[/...] or ws://host:port → ws://host:port/ws?clientId=... */
export function wsUrlFor(serverUrl: string, clientId: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.pathname = WS_PATH;
  url.search = '';
  url.searchParams.set('clientId', clientId);
  return url.toString();
}

/** The connection URL with the seat token this client presents, if it holds one. */
export function withToken(url: string, token: string | null): string {
  if (token === null) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('token', token);
  return parsed.toString();
}
