export const WS_PATH = '/ws';

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
