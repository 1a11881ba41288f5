/**
 * One message for many Socket.io clients, encoded once: the Socket.io packet, and for clients
 * on the websocket transport the whole WebSocket frame, which Engine.IO then writes as it is.
 *
 * This is what Socket.io's own broadcast does (io.to(room).emit: its adapter encodes the packet
 * and precomputes the frame, then hands both to each client). Pong's hub delivers a message to
 * each subscribed socket in turn, so socket.emit() encoded the same ball frame once per client,
 * and ws framed it again for each: per client and per frame, that was most of what separated
 * the gateway's cost from Socket.io's rooms at a few hundred games.
 */
import type { Socket } from 'socket.io';
import { PacketType } from 'socket.io-parser';
import { serverTextFrame } from '../websocket-frame.js';

/** Engine.IO's packet type for a message, the first character of every frame it sends. */
const ENGINE_IO_MESSAGE = '4';

export interface PreEncodedMessage {
  /** What Engine.IO writes to a polling client. */
  readonly packets: readonly unknown[];
  /** The options Socket.io's adapter passes with a broadcast; Engine.IO reads the frame from them. */
  readonly options: { readonly preEncoded: true; readonly wsPreEncodedFrame?: readonly Buffer[] };
}

/** What a Socket.io server's `encoder` is (its parser's, a custom one included), as far as this uses it. */
export interface PacketEncoder {
  encode(packet: { type: PacketType; nsp: string; data: unknown[] }): unknown[];
}

/** The event `event` with `args`, to the default namespace, as Socket.io's adapter encodes a broadcast. */
export function preEncode(encoder: PacketEncoder, event: string, ...args: string[]): PreEncodedMessage {
  const packets = encoder.encode({ type: PacketType.EVENT, nsp: '/', data: [event, ...args] });
  const only = packets.length === 1 ? packets[0] : undefined;
  if (typeof only !== 'string') return { packets, options: { preEncoded: true } };
  return { packets, options: { preEncoded: true, wsPreEncodedFrame: [serverTextFrame(ENGINE_IO_MESSAGE + only)] } };
}

/** The write half of socket.emit(), with the encoding done: a closed connection ignores it, as emit does. */
interface PacketWriter {
  _packet(packets: readonly unknown[], options: PreEncodedMessage['options']): void;
}

export function sendPreEncoded(socket: Socket, message: PreEncodedMessage): void {
  (socket.client as unknown as PacketWriter)._packet(message.packets, message.options);
}
