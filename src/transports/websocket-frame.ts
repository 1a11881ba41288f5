/**
 * A whole WebSocket text frame as the server sends it (RFC 6455 §5.2: FIN, opcode 1, no mask,
 * the payload length in 7, 7+16 or 7+64 bits), header and UTF-8 payload in one buffer.
 *
 * Every ball frame goes to both players and any watchers, unchanged: framed once, it is one
 * write per client. ws frames each send() anew and writes header and payload as two chunks,
 * which the socket gathers into a writev: at a few hundred games that bookkeeping, per client
 * per frame, was a measurable part of the server's CPU. (ws exports Sender.frame for the same
 * purpose, but it returns the two parts, and its types are not published.) The ws gateway and
 * the Socket.io gateway (its pre-encoded packets, ../socketio/pre-encoded.ts) both write it.
 */

const FIN_TEXT = 0x81;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

export function serverTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const headerLength = length < LENGTH_16 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN_TEXT;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = LENGTH_16;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = LENGTH_64;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, headerLength);
  return frame;
}
