/**
 * A WebSocket upgrade refused before the WebSocket exists (the connection limit, a client id
 * another connection holds): an HTTP answer whose header names the reason, so the client can say
 * it rather than "unexpected server response".
 */
import type { Duplex } from 'node:stream';
import type { KickReason } from '../limits.js';

export const REFUSAL_HEADER = 'x-pong-refusal';

const STATUS: Partial<Record<KickReason, string>> = {
  'client-id-taken': '409 Conflict',
  'too-many-connections': '429 Too Many Requests',
};

export function refuseUpgrade(socket: Duplex, reason: KickReason, detail: string): void {
  const body = `${reason}: ${detail}\n`;
  socket.end(
    `HTTP/1.1 ${STATUS[reason] ?? '403 Forbidden'}\r\nConnection: close\r\n${REFUSAL_HEADER}: ${reason}\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
