/**
 * Several WebSocket endpoints share the server's one HTTP port (ws at /ws, WebRTC signaling at
 * /rtc, Socket.io at /socket.io/). Each registers its path here instead of listening for
 * 'upgrade' itself, so an upgrade for one path is never answered (or destroyed) by another.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export class UpgradeRouter {
  private readonly routes = new Map<string, UpgradeHandler>();
  /** Prefixes handled by a library that listens for 'upgrade' on its own (Socket.io). */
  private readonly foreignPrefixes = new Set<string>();

  constructor(server: Server) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const handler = this.routes.get(path);
      if (handler) {
        handler(request, socket, head);
        return;
      }
      for (const prefix of this.foreignPrefixes) if (path.startsWith(prefix)) return;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
  }

  register(path: string, handler: UpgradeHandler): void {
    if (this.routes.has(path)) throw new Error(`upgrade path ${path} is already registered`);
    this.routes.set(path, handler);
  }

  unregister(path: string): void {
    this.routes.delete(path);
  }

  /** Leave upgrades under this prefix to a library that attached its own listener. */
  leaveTo(prefix: string): void {
    this.foreignPrefixes.add(prefix);
  }
}
