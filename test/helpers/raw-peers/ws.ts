/**
 * A bare WebSocket at /ws speaking the documented text frames (docs/PROTOCOL.md, WebSocket).
 */
import { WebSocket } from 'ws';
import { WS_MAX_FRAME_BYTES } from '../../../src/transports/ws/limits.js';
import { endSignal, type PeerConnector, type PublishFlags, type RawPeer, type RefusalProbe } from './raw-peer.js';

function flagsOf({ qos = 0, retain = false }: PublishFlags): string {
  if (qos === 0 && !retain) return '-';
  return `${qos === 1 ? 'q1' : ''}${retain ? 'r' : ''}`;
}

function endpoint(url: string, clientId: string | null): string {
  const query = clientId === null ? '' : `?clientId=${encodeURIComponent(clientId)}`;
  return `${url.replace(/^http/, 'ws')}/ws${query}`;
}

export const connectWsPeer: PeerConnector = async (url, clientId, options = {}) => {
  const socket = new WebSocket(endpoint(url, clientId), { perMessageDeflate: false });
  const messages: Array<[string, string]> = [];
  const refusals: string[] = [];
  const { ended, end } = endSignal();
  socket.on('message', (data) => {
    const text = data.toString();
    const newline = text.indexOf('\n');
    if (text.startsWith('msg ')) messages.push([text.slice(4, newline), text.slice(newline + 1)]);
    else if (text.startsWith('err ')) refusals.push(text.slice(4));
  });
  socket.on('close', (code, reason) => end(`close ${code} ${reason.toString()}`.trimEnd()));
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const { will } = options;
  if (will) socket.send(`will ${will.topic} ${flagsOf(will)}\n${will.payload}`);
  const peer: RawPeer = {
    publish: (topic, payload, flags = {}) => socket.send(`pub ${topic} ${flagsOf(flags)}\n${payload}`),
    subscribe: (filter) => socket.send(`sub ${filter}`),
    messages,
    refusals,
    ended,
    sendOversized: () => socket.send(`pub pong/game/big/p1/paddle -\n${'x'.repeat(WS_MAX_FRAME_BYTES)}`),
    drop: () => socket.terminate(),
    close: async () => {
      socket.send('bye');
      socket.close(1000);
      await ended;
    },
  };
  return peer;
};

/** A refused upgrade is an HTTP answer: its status and the header that names the reason. */
export const wsRefusal: RefusalProbe = (url, clientId) =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(endpoint(url, clientId));
    socket.on('unexpected-response', (_request, response) => {
      resolve(`${response.statusCode} ${String(response.headers['x-pong-refusal'])}`);
      socket.terminate();
    });
    socket.on('open', () => {
      socket.terminate();
      reject(new Error('the connection was accepted'));
    });
    socket.on('error', () => undefined);
  });
