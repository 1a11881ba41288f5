/**
 * A bare socket.io-client on WebSocket speaking the documented events (docs/PROTOCOL.md,
 * Socket.io): `pub`, `sub`, `will`, `bye` up; `msg` and `err` down.
 */
import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { endSignal, type PeerConnector, type RawPeer, type RefusalProbe } from './raw-peer.js';

function open(url: string, clientId: string | null): Socket {
  return io(url, {
    path: '/socket.io/',
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(clientId === null ? {} : { query: { clientId } }),
  });
}

/** The TCP socket under the WebSocket transport, to cut it as a crash would; null once closed. */
function tcpOf(socket: Socket): NetSocket | null {
  return (socket.io.engine?.transport as unknown as { ws?: { _socket?: NetSocket | null } } | undefined)?.ws?._socket ?? null;
}

export const connectSocketIoPeer: PeerConnector = async (url, clientId, options = {}) => {
  const socket = open(url, clientId);
  const messages: Array<[string, string]> = [];
  const refusals: string[] = [];
  const { ended, end } = endSignal();
  socket.on('msg', (topic: string, payload: string) => messages.push([topic, payload]));
  socket.on('err', (reason: string, detail: string) => refusals.push(`${reason} ${detail}`));
  socket.on('disconnect', (reason) => end(reason));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const { will } = options;
  if (will) socket.emit('will', will.topic, will.payload, { qos: will.qos });
  const peer: RawPeer = {
    publish: (topic, payload, flags = {}) => socket.emit('pub', topic, payload, flags),
    subscribe: (filter) => socket.emit('sub', filter),
    messages,
    refusals,
    ended,
    // Past the server's maxHttpBufferSize (64 KiB).
    sendOversized: () => socket.emit('pub', 'pong/game/big/p1/paddle', 'x'.repeat(100 * 1024)),
    drop: () => tcpOf(socket)?.destroy(),
    close: async () => {
      socket.emit('bye');
      socket.disconnect();
      await ended;
    },
  };
  return peer;
};

/** Refused after the handshake: an `err` event, then the connection closed. */
export const socketIoRefusal: RefusalProbe = (url, clientId) =>
  new Promise((resolve, reject) => {
    const socket = open(url, clientId);
    const said: string[] = [];
    socket.on('err', (reason: string, detail: string) => said.push(`err ${reason} ${detail}`));
    socket.on('disconnect', (reason) => {
      socket.close();
      if (said.length === 0) reject(new Error(`disconnected (${reason}) with nothing said`));
      else resolve(`${said.join(', ')}, then ${reason}`);
    });
    socket.on('connect_error', (error) => reject(error));
  });
