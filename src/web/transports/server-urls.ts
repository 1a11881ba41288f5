/**
 * Where the page's transports connect: the server that served the page, over ws: or wss: as
 * the page itself came over http: or https:.
 */
export interface PageOrigin {
  /** e.g. http://192.168.1.20:8080 */
  readonly httpUrl: string;
}

export function pageOrigin(location: Pick<Location, 'protocol' | 'host'>): PageOrigin {
  return { httpUrl: `${location.protocol}//${location.host}` };
}

/** ws(s)://host:port<path>?clientId=…[&token=…] */
export function socketUrl(httpUrl: string, path: string, query: Record<string, string | null>): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = path;
  url.search = '';
  for (const [name, value] of Object.entries(query)) if (value !== null) url.searchParams.set(name, value);
  return url.toString();
}
