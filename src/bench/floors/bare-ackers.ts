/**
 * The client side of each floor: the transport's bare client library, subscribed to one
 * game's ball topic on a bare relay, acking every frame at once with the ack pong's session
 * writes. No session, no view, no bot: what a player costs at the least, through the library.
 */
import type { Socket } from 'node:net';
import mqtt from 'mqtt';
import { io as socketIoClient } from 'socket.io-client';
import WebSocket from 'ws';
import { systemClock } from '../../metrics/clock.js';
import type { TransportName } from '../../transports/transport.js';
import { createPeer } from '../../transports/webrtc/peer.js';
import { ackText } from '../ack-text.js';
import type { HostUrls } from '../ipc.js';
import { BARE_SIGNAL_PATH, BareSignalQueue, parseBareSignal } from '../relays/bare-signal.js';

export interface BareAcker {
  /** Ball frames received so far. */
  readonly frames: number;
  close(): Promise<void>;
}

export interface AckerSpec {
  transport: TransportName;
  urls: HostUrls;
  game: string;
  player: 1 | 2;
}

const CONNECT_TIMEOUT_MS = 15_000;
/** Until the first frame, the WebRTC subscription is resent this often: the channel may drop it. */
const WEBRTC_SUB_RETRY_MS = 100;

export async function startBareAcker(spec: AckerSpec): Promise<BareAcker> {
  const ballTopic = `pong/game/${spec.game}/ball`;
  const ackTopic = `pong/game/${spec.game}/p${spec.player}/ack`;
  const state = { frames: 0 };
  const close = await withTimeout(connect(spec, ballTopic, ackTopic, state), CONNECT_TIMEOUT_MS, `${spec.transport}: could not connect to the relay`);
  return {
    get frames() {
      return state.frames;
    },
    close,
  };
}

/** Pong's framing (see relays/framed-topics.ts): `msg <topic>\n<payload>` in, `pub <topic>\n<ack>` out. */
function framedAck(ackTopic: string, text: string, rx: number): string {
  return `pub ${ackTopic}\n${ackText(text.slice(text.indexOf('\n') + 1), rx)}`;
}

async function connect(spec: AckerSpec, ballTopic: string, ackTopic: string, state: { frames: number }): Promise<() => Promise<void>> {
  const httpUrl = spec.urls.httpUrl ?? '';
  switch (spec.transport) {
    case 'ws': {
      const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false });
      socket.on('message', (data) => {
        const rx = systemClock();
        state.frames += 1;
        socket.send(framedAck(ackTopic, data.toString(), rx));
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      socket.send(`sub ${ballTopic}`);
      return async () => socket.terminate();
    }
    case 'socketio': {
      const socket = socketIoClient(httpUrl, { path: '/socket.io/', transports: ['websocket'], reconnection: false });
      socket.on('msg', (_topic: string, payload: string) => {
        const rx = systemClock();
        state.frames += 1;
        socket.emit('pub', ackTopic, ackText(payload, rx));
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      socket.emit('sub', ballTopic);
      return async () => void socket.disconnect();
    }
    case 'mqtt': {
      const client = await mqtt.connectAsync(spec.urls.mqttUrl ?? '', { clean: true, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS });
      // As pong's MQTT client does: Nagle off, or a small ack waits for the delayed ACK.
      (client.stream as Partial<Socket>).setNoDelay?.(true);
      client.on('message', (_topic, payload) => {
        const rx = systemClock();
        state.frames += 1;
        client.publish(ackTopic, ackText(payload.toString(), rx), { qos: 0 });
      });
      await client.subscribeAsync(ballTopic, { qos: 0 });
      return () => client.endAsync(true);
    }
    case 'webrtc':
      return connectDataChannel(`${httpUrl.replace(/^http/, 'ws')}${BARE_SIGNAL_PATH}`, ballTopic, ackTopic, state);
  }
}

async function connectDataChannel(signalUrl: string, ballTopic: string, ackTopic: string, state: { frames: number }): Promise<() => Promise<void>> {
  const signaling = new WebSocket(signalUrl, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    signaling.once('open', () => resolve());
    signaling.once('error', reject);
  });
  const send = (message: object) => {
    if (signaling.readyState === WebSocket.OPEN) signaling.send(JSON.stringify(message));
  };
  let markOpen!: () => void;
  const open = new Promise<void>((resolve) => (markOpen = resolve));
  const peer = createPeer('bare-acker', { iceServers: [] }, {
    onLocalDescription: (sdp, type) => send({ kind: 'description', sdp, type }),
    onLocalCandidate: (candidate, mid) => send({ kind: 'candidate', candidate, mid }),
    onStateChange: () => {},
  });
  const queue = new BareSignalQueue(peer);
  signaling.on('message', (data) => {
    const signal = parseBareSignal(data.toString());
    if (signal !== null) queue.apply(signal);
  });
  const channel = peer.createChannel('bare', { reliable: false }, {
    onOpen: () => markOpen(),
    onMessage: (text) => {
      const rx = systemClock();
      state.frames += 1;
      channel.send(framedAck(ackTopic, text, rx));
    },
  });
  await open;
  channel.send(`sub ${ballTopic}`);
  const retry = setInterval(() => {
    if (state.frames === 0) channel.send(`sub ${ballTopic}`);
    else clearInterval(retry);
  }, WEBRTC_SUB_RETRY_MS);
  return async () => {
    clearInterval(retry);
    await peer.close();
    signaling.terminate();
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
