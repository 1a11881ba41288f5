/**
 * A player at its least: the transport's bare client library, subscribed to one game's ball
 * topic, acking every frame at once with the ack pong's session writes. No session, no view,
 * no bot. The floors' clients (against a bare relay) and the scale bench's load generator
 * (against a bare relay or pong's server, which also wants a client id and a join) are these.
 */
import net, { type Socket } from 'node:net';
import mqtt from 'mqtt';
import { io as socketIoClient } from 'socket.io-client';
import WebSocket from 'ws';
import { systemClock } from '../../metrics/clock.js';
import { createPeer } from '../../transports/webrtc/peer.js';
import { ackTextOf } from '../../protocol/ack-text.js';
import { topics } from '../../protocol/topics.js';
import type { FloorName, HostUrls } from '../ipc.js';
import { BARE_SIGNAL_PATH, receiveSignals, signalSender } from '../relays/bare-signal.js';
import { lengthPrefixed, LengthPrefixedReader } from '../relays/length-prefixed.js';

export interface BareAcker {
  /** Ball frames received and acked so far. */
  readonly frames: number;
  /** Messages that were not a ball frame it could ack: dropped, never fatal. */
  readonly malformed: number;
  close(): Promise<void>;
}

export interface AckerSpec {
  transport: FloorName;
  urls: HostUrls;
  game: string;
  player: 1 | 2;
  /** Who to say this client is, where the transport carries it (pong's gateways want one). */
  clientId?: string;
  /** Published (QoS 1) on the game's join topic once connected: pong's server seats no one without it. */
  join?: string;
}

/** All the attempts together: under the bench's 30 s wait for a client to be ready. */
const CONNECT_TIMEOUT_MS = 25_000;
/** One attempt at most; set-ups tried within CONNECT_TIMEOUT_MS before giving up. */
const ATTEMPT_TIMEOUT_MS = 10_000;
const CONNECT_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 250;
/** The options argument pong's Socket.io client sends with every publish. */
const ACK_OPTIONS = { qos: 0, retain: false } as const;
/** Until the first frame, the WebRTC subscription is resent this often: the channel may drop it. */
const WEBRTC_SUB_RETRY_MS = 100;

/** What a connection needs from the acker: where to ack, and its counters. */
class Acks {
  frames = 0;
  malformed = 0;

  constructor(readonly ackTopic: string) {}

  /** The ack for a ball frame's JSON, or null (counted) if it is not one. */
  ack(ballJson: string, rx: number): string | null {
    const text = ackTextOf(ballJson, rx);
    if (text === null) this.malformed += 1;
    else this.frames += 1;
    return text;
  }

  /** Pong's framing (see relays/framed-topics.ts): `msg <topic>\n<payload>` in, `pub <topic>\n<ack>` out. */
  framed(message: string, rx: number): string | null {
    const newline = message.indexOf('\n');
    if (newline < 0 || !message.startsWith('msg ')) {
      this.malformed += 1;
      return null;
    }
    const ack = this.ack(message.slice(newline + 1), rx);
    return ack === null ? null : `pub ${this.ackTopic}\n${ack}`;
  }
}

type Close = () => Promise<void>;

export async function startBareAcker(spec: AckerSpec): Promise<BareAcker> {
  const acks = new Acks(topics.ack(spec.game, spec.player));
  const deadline = performance.now() + CONNECT_TIMEOUT_MS;
  let lastError: unknown = new Error(`${spec.transport}: could not connect within ${CONNECT_TIMEOUT_MS / 1000} s`);
  // As any client would: a set-up that fails (a WebRTC peer whose ICE or DTLS gave up on a
  // starved machine) is tried again, with a fresh connection, while time is left.
  for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
    const budgetMs = deadline - performance.now();
    if (budgetMs <= 0) break;
    try {
      const close = await connectWithin(spec, acks, Math.min(budgetMs, ATTEMPT_TIMEOUT_MS));
      return {
        get frames() {
          return acks.frames;
        },
        get malformed() {
          return acks.malformed;
        },
        close,
      };
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }
  throw lastError;
}

/** One attempt; whatever it opened is closed if it fails or runs out of time. */
async function connectWithin(spec: AckerSpec, acks: Acks, budgetMs: number): Promise<Close> {
  let cleanup: Close = async () => {};
  const connecting = connect(spec, acks, (close) => (cleanup = close));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${spec.transport}: could not connect within ${Math.round(budgetMs / 100) / 10} s`)), budgetMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } catch (error) {
    await cleanup().catch(() => {});
    // A connection that completes after all is closed too.
    connecting.then((close) => close(), () => {}).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function connect(spec: AckerSpec, acks: Acks, onCleanup: (close: Close) => void): Promise<Close> {
  const httpUrl = spec.urls.httpUrl ?? '';
  const ballTopic = `pong/game/${spec.game}/ball`;
  const joinTopic = `pong/game/${spec.game}/join`;
  const query = spec.clientId !== undefined ? `?clientId=${encodeURIComponent(spec.clientId)}` : '';
  switch (spec.transport) {
    case 'ws': {
      const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws${query}`, { perMessageDeflate: false });
      const close = async () => socket.terminate();
      onCleanup(close);
      socket.on('message', (data) => {
        const ack = acks.framed(data.toString(), systemClock());
        if (ack !== null) socket.send(ack);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        // Kept for the socket's life: an 'error' with no listener would end the process.
        socket.on('error', reject);
      });
      socket.send(`sub ${ballTopic}`);
      if (spec.join !== undefined) socket.send(`pub ${joinTopic} q1\n${spec.join}`);
      return close;
    }
    case 'socketio': {
      const socket = socketIoClient(httpUrl, {
        path: '/socket.io/',
        transports: ['websocket'],
        reconnection: false,
        ...(spec.clientId !== undefined ? { query: { clientId: spec.clientId } } : {}),
      });
      const close = async () => void socket.disconnect();
      onCleanup(close);
      socket.on('msg', (_topic: unknown, payload: unknown) => {
        const ack = typeof payload === 'string' ? acks.ack(payload, systemClock()) : null;
        if (typeof payload !== 'string') acks.malformed += 1;
        if (ack !== null) socket.emit('pub', acks.ackTopic, ack, ACK_OPTIONS);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      socket.emit('sub', ballTopic);
      if (spec.join !== undefined) socket.emit('pub', joinTopic, spec.join, { qos: 1, retain: false });
      return close;
    }
    case 'mqtt': {
      const client = mqtt.connect(spec.urls.mqttUrl ?? '', {
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: ATTEMPT_TIMEOUT_MS,
        ...(spec.clientId !== undefined ? { clientId: spec.clientId } : {}),
      });
      const close = () => client.endAsync(true);
      onCleanup(close);
      // Kept for the client's life: an 'error' with no listener would end the process.
      client.on('error', () => {});
      client.on('message', (_topic, payload) => {
        const ack = acks.ack(payload.toString(), systemClock());
        if (ack !== null) client.publish(acks.ackTopic, ack, { qos: 0 });
      });
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.once('close', () => reject(new Error('mqtt: connection closed')));
      });
      // As pong's MQTT client does: Nagle off, or a small ack waits for the delayed ACK.
      (client.stream as Partial<Socket>).setNoDelay?.(true);
      await client.subscribeAsync(ballTopic, { qos: 0 });
      if (spec.join !== undefined) client.publish(joinTopic, spec.join, { qos: 1 });
      return close;
    }
    case 'webrtc':
      if (spec.join !== undefined) throw new Error("webrtc: a bare data channel cannot join a pong server (its signaling is pong's own)");
      return connectDataChannel(`${httpUrl.replace(/^http/, 'ws')}${BARE_SIGNAL_PATH}`, ballTopic, acks, onCleanup);
    case 'tcp':
      if (spec.join !== undefined) throw new Error('tcp: pong serves no bare TCP to join');
      return connectTcp(spec.urls.tcpUrl ?? '', ballTopic, acks, onCleanup);
  }
}

/** The machine floor's client: pong's framing in length-prefixed messages on a bare socket. */
async function connectTcp(tcpUrl: string, ballTopic: string, acks: Acks, onCleanup: (close: Close) => void): Promise<Close> {
  const { hostname, port } = new URL(tcpUrl);
  const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
  const close = async () => void socket.destroy();
  onCleanup(close);
  const reader = new LengthPrefixedReader((message) => {
    const ack = acks.framed(message, systemClock());
    if (ack !== null) socket.write(lengthPrefixed(ack));
  });
  socket.on('data', (chunk) => {
    // A stream that is not the relay's: nothing more of it can be read as messages.
    if (!reader.push(chunk)) {
      acks.malformed += 1;
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    // Kept for the socket's life: an 'error' with no listener would end the process.
    socket.on('error', reject);
  });
  socket.write(lengthPrefixed(`sub ${ballTopic}`));
  return close;
}

async function connectDataChannel(signalUrl: string, ballTopic: string, acks: Acks, onCleanup: (close: Close) => void): Promise<Close> {
  const signaling = new WebSocket(signalUrl, { perMessageDeflate: false });
  let retry: ReturnType<typeof setInterval> | undefined;
  let closePeer: Close = async () => {};
  const close = async () => {
    clearInterval(retry);
    await closePeer();
    signaling.terminate();
  };
  onCleanup(close);
  // The channel opens or the signaling ends, whichever is first.
  let markOpen!: () => void;
  let fail!: (error: Error) => void;
  const open = new Promise<void>((resolve, reject) => {
    markOpen = resolve;
    fail = reject;
  });
  signaling.on('error', (error) => fail(error));
  signaling.on('close', () => fail(new Error('webrtc: signaling closed before the channel opened')));
  await new Promise<void>((resolve, reject) => {
    signaling.once('open', () => resolve());
    signaling.once('error', reject);
  });
  const send = signalSender(signaling);
  const peer = createPeer('bare-acker', { iceServers: [] }, {
    onLocalDescription: (sdp, type) => send({ kind: 'description', sdp, type }),
    onLocalCandidate: (candidate, mid) => send({ kind: 'candidate', candidate, mid }),
    onStateChange: (state) => {
      if (state === 'failed') fail(new Error('webrtc: the peer connection failed'));
    },
  });
  closePeer = () => peer.close();
  receiveSignals(signaling, peer, fail);
  const channel = peer.createChannel('bare', { reliable: false }, {
    onOpen: () => markOpen(),
    onMessage: (text) => {
      const ack = acks.framed(text, systemClock());
      if (ack !== null) channel.send(ack);
    },
  });
  await open;
  channel.send(`sub ${ballTopic}`);
  retry = setInterval(() => {
    if (acks.frames === 0) channel.send(`sub ${ballTopic}`);
    else clearInterval(retry);
  }, WEBRTC_SUB_RETRY_MS);
  return close;
}
