/**
 * The pinging side of each floor, in the bench's own process: the bare client library sends a
 * ball-shaped frame on the same 60 Hz grid as the game (same loop, same polling), the echo
 * process sends it back, and the round trip is now − the frame's own timestamp.
 */
import { fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { io as socketIoClient } from 'socket.io-client';
import WebSocket from 'ws';
import { FixedRateLoop } from '../../game/loop.js';
import { systemClock } from '../../metrics/clock.js';
import { LatencyHistogram } from '../../metrics/histogram.js';
import { Jitter } from '../../metrics/jitter.js';
import { roundOrNull } from '../../metrics/round.js';
import type { TransportName } from '../../transports/transport.js';
import { createPeer } from '../../transports/webrtc/peer.js';
import { spreadOf, type Spread } from '../figures.js';
import { PING_TOPIC, PONG_TOPIC } from './echo.js';
import type { FloorFromChild, FloorToChild, Signal } from './floor-ipc.js';

export interface FloorFigures {
  /** What the floor is: the library and the path. */
  label: string;
  frames: number;
  framesLost: number;
  roundTrip: Spread;
  jitter: number | null;
}

interface PingLink {
  send(text: string): void;
  close(): Promise<void>;
}

type Receive = (text: string) => void;

const ENTRY = fileURLToPath(new URL('../floor-process.js', import.meta.url));

export function floorLabel(transport: TransportName, brokerUrl?: string): string {
  switch (transport) {
    case 'ws':
      return 'ws echo';
    case 'socketio':
      return 'Socket.io echo';
    case 'mqtt':
      return brokerUrl !== undefined ? 'MQTT via external broker' : 'MQTT via Aedes';
    case 'webrtc':
      return 'data channel, unordered, 0 retransmits';
  }
}

export async function measureFloor(transport: TransportName, options: { warmupMs: number; durationMs: number; brokerUrl?: string }): Promise<FloorFigures> {
  const child = fork(ENTRY, ['floor', transport], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (message: FloorToChild) => {
    if (child.connected) child.send(message);
  };
  const signals = new Set<(signal: Signal) => void>();
  const ready = new Promise<string>((resolve, reject) => {
    child.on('message', (message: FloorFromChild) => {
      if (message.type === 'ready') resolve(message.url);
      else if (message.type === 'failed') reject(new Error(`${transport} floor: ${message.message}`));
      else for (const listener of signals) listener(message.signal);
    });
    void exited.then(() => reject(new Error(`${transport} floor: the echo process exited`)));
  });
  let link: PingLink | null = null;
  try {
    send({ type: 'floor', transport, ...(options.brokerUrl !== undefined ? { brokerUrl: options.brokerUrl } : {}) });
    const url = await withTimeout(ready, 15_000, `${transport} floor: echo not ready`);
    const rtt = new LatencyHistogram();
    const jitter = new Jitter();
    let recording = false;
    let received = 0;
    const receive: Receive = (text) => {
      const now = systemClock();
      if (!recording) return;
      const frame = JSON.parse(text) as { timestamp: number };
      const value = now - frame.timestamp;
      rtt.record(value);
      jitter.update(value);
      received += 1;
    };
    link = await withTimeout(connect(transport, url, receive, send, signals), 15_000, `${transport} floor: could not connect`);
    let sent = 0;
    let seq = 0;
    const pinger = link;
    const loop = new FixedRateLoop({
      clock: systemClock,
      onTick: () => {
        seq += 1;
        const frame = { x: 20.5, y: 6.25, dx: 0.5, dy: -0.25, timestamp: Math.round(systemClock() * 1000) / 1000, seq, p1y: 4.5, p2y: 4.5 };
        pinger.send(JSON.stringify(frame));
        if (recording) sent += 1;
      },
    });
    loop.start();
    await sleep(options.warmupMs);
    recording = true;
    await sleep(options.durationMs);
    loop.stop();
    await sleep(300);
    recording = false;
    return {
      label: floorLabel(transport, options.brokerUrl),
      frames: sent,
      framesLost: Math.max(0, sent - received),
      roundTrip: spreadOf(rtt),
      jitter: roundOrNull(jitter.value),
    };
  } finally {
    await link?.close().catch(() => {});
    send({ type: 'close' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    process.off('exit', killOnExit);
  }
}

async function connect(
  transport: TransportName,
  url: string,
  receive: Receive,
  send: (message: FloorToChild) => void,
  signals: Set<(signal: Signal) => void>,
): Promise<PingLink> {
  switch (transport) {
    case 'ws': {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.on('message', (data) => receive(data.toString()));
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      return { send: (text) => socket.send(text), close: async () => socket.terminate() };
    }
    case 'socketio': {
      const socket = socketIoClient(url, { transports: ['websocket'], reconnection: false });
      socket.on('m', (payload: string) => receive(payload));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return { send: (text) => void socket.emit('m', text), close: async () => void socket.disconnect() };
    }
    case 'mqtt': {
      const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 0 });
      // As pong's MQTT client does: Nagle off.
      (client.stream as Partial<Socket>).setNoDelay?.(true);
      client.on('message', (_topic, payload) => receive(payload.toString()));
      await client.subscribeAsync(PONG_TOPIC, { qos: 0 });
      return { send: (text) => void client.publish(PING_TOPIC, text, { qos: 0 }), close: () => client.endAsync(true) };
    }
    case 'webrtc': {
      let markOpen!: () => void;
      const open = new Promise<void>((resolve) => (markOpen = resolve));
      const peer = createPeer('floor-ping', { iceServers: [] }, {
        onLocalDescription: (sdp, type) => send({ type: 'signal', signal: { kind: 'description', sdp, type } }),
        onLocalCandidate: (candidate, mid) => send({ type: 'signal', signal: { kind: 'candidate', candidate, mid } }),
        onStateChange: () => {},
      });
      const early: Signal[] = [];
      let described = false;
      signals.add((signal) => {
        if (signal.kind === 'description') {
          peer.setRemoteDescription(signal.sdp, 'answer');
          described = true;
          for (const candidate of early.splice(0)) if (candidate.kind === 'candidate') peer.addRemoteCandidate(candidate.candidate, candidate.mid);
        } else if (described) peer.addRemoteCandidate(signal.candidate, signal.mid);
        else early.push(signal);
      });
      const channel = peer.createChannel('unreliable', { reliable: false }, { onOpen: () => markOpen(), onMessage: receive });
      await open;
      return { send: (text) => void channel.send(text), close: () => peer.close() };
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
