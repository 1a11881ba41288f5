/**
 * The browser page on the server's HTTP port: the files `npm run build` bundles into dist/web
 * (see scripts/build-web.mjs), served from the package itself, so a classroom needs no CDN and
 * no network beyond the server. `/` and `/compare` are the same page (it reads its own path and
 * query); `/server.json` tells it what this server serves, so it can say which flag opens a
 * transport that is not.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { TransportName } from '../transports/transport.js';

/** What the page reads from /server.json. */
export interface ServerInfo {
  /** The transports this server serves. */
  transports: TransportName[];
  /** The path of MQTT over WebSocket on this port, when the embedded broker serves it. */
  mqttWebSocketPath: string | null;
}

/** dist/web of this package, from dist/server/ (built) or src/server/ (tests) alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const PAGE_PATHS: ReadonlySet<string> = new Set(['/', '/index.html', '/compare']);

const FILES: Readonly<Record<string, string>> = {
  '/app.js': 'text/javascript; charset=utf-8',
  '/app.js.map': 'application/json; charset=utf-8',
  '/app.js.LEGAL.txt': 'text/plain; charset=utf-8',
  '/app.css': 'text/css; charset=utf-8',
};

/**
 * Same origin only: the page talks to this server (WebSocket, Socket.io, MQTT over WebSocket)
 * and nothing else; WebRTC's data goes peer to peer, which connect-src does not govern. mqtt.js
 * builds a timer worker from a blob of its own code when it loads (the page then uses plain
 * timers, but refusing it would only print an error).
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'none'";

export class WebPage {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly info: () => ServerInfo,
    private readonly root: string = WEB_ROOT,
  ) {}

  /** Answers a GET or HEAD for the page, its files or /server.json; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/server.json') {
      this.send(request, response, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(this.info())));
      return true;
    }
    const file = PAGE_PATHS.has(path) ? '/index.html' : FILES[path] !== undefined ? path : null;
    if (file === null) return false;
    const type = file === '/index.html' ? 'text/html; charset=utf-8' : FILES[file]!;
    this.read(file).then(
      (body) => this.send(request, response, type, body),
      () => {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('pong: the browser page is not built here (dist/web is missing): run npm run build\n');
      },
    );
    return true;
  }

  /** Files are read once: they change only with a new build, which means a new server. */
  private async read(file: string): Promise<Buffer> {
    const cached = this.cache.get(file);
    if (cached !== undefined) return cached;
    const body = await readFile(`${this.root}${file.slice(1)}`);
    this.cache.set(file, body);
    return body;
  }

  private send(request: IncomingMessage, response: ServerResponse, type: string, body: Buffer): void {
    response.writeHead(200, {
      'content-type': type,
      'content-length': body.byteLength,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}
