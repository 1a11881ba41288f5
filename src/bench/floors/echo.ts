/**
 * The echo side of each floor: the bare library bouncing every message straight back, in a
 * process of its own (floor-process.ts), as the game server is. WebRTC's pair is signalled
 * over the bench's IPC channel, so no signaling server stands between the two peers.
 */
import type { Socket } from 'node:net';
import mqtt from 'mqtt';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { createPeer, type RtcPeer } from '../../transports/webrtc/peer.js';
import { closeHttp, listenAedes, listenHttp } from '../relays/relay.js';

export const PING_TOPIC = 'floor/ping';
export const PONG_TOPIC = 'floor/pong';

export interface Echo {
  /** Where the pinger connects: an http:// or mqtt:// URL ('' for WebRTC). */
  url: string;
  stop(): Promise<void>;
}

export async function wsEcho(): Promise<Echo> {
  const { http, url } = await listenHttp();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
  return {
    url,
    async stop() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp(http);
    },
  };
}

export async function socketIoEcho(): Promise<Echo> {
  const { http, url } = await listenHttp();
  const io = new SocketIoServer(http, { transports: ['websocket'], serveClient: false });
  io.on('connection', (socket) => socket.on('m', (payload: string) => socket.emit('m', payload)));
  return {
    url,
    async stop() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await closeHttp(http).catch(() => {});
    },
  };
}

/** Aedes in this process, echoing in process: the same hops as pong's embedded broker. */
export async function aedesEcho(): Promise<Echo> {
  const { broker, url, stop } = await listenAedes();
  broker.on('publish', (packet, client) => {
    if (client === null || packet.topic !== PING_TOPIC) return;
    broker.publish({ cmd: 'publish', topic: PONG_TOPIC, payload: packet.payload, qos: 0, retain: false, dup: false }, () => {});
  });
  return { url, stop };
}

/** An external broker (Mosquitto): the echo is one more client of it, as pong's server is. */
export async function brokerEcho(brokerUrl: string): Promise<Echo> {
  const client = await mqtt.connectAsync(brokerUrl, { clean: true, reconnectPeriod: 0 });
  (client.stream as Partial<Socket>).setNoDelay?.(true);
  client.on('message', (_topic, payload) => client.publish(PONG_TOPIC, payload, { qos: 0 }));
  await client.subscribeAsync(PING_TOPIC, { qos: 0 });
  return {
    url: brokerUrl,
    async stop() {
      await client.endAsync(true);
    },
  };
}

export interface SignalOut {
  (message: { kind: 'description'; sdp: string; type: string } | { kind: 'candidate'; candidate: string; mid: string }): void;
}

/** The answering peer: echoes on whatever channel the offerer opens. */
export function webrtcEcho(signal: SignalOut): { peer: RtcPeer; echo: Echo } {
  const peer = createPeer('floor-echo', { iceServers: [] }, {
    onLocalDescription: (sdp, type) => signal({ kind: 'description', sdp, type }),
    onLocalCandidate: (candidate, mid) => signal({ kind: 'candidate', candidate, mid }),
    onStateChange: () => {},
    onRemoteChannel: (channel) => ({ onMessage: (text) => void channel.send(text) }),
  });
  return { peer, echo: { url: '', stop: () => peer.close() } };
}
