/**
 * The ws gateway as a client in another language would meet it: a bare WebSocket speaking the
 * documented text frames, no pong client code involved. What every gateway does (refusals,
 * limits, wills, stop) is the gateway contract's, run here once; below, what is ws's own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BusMessage } from '../../src/bus/bus.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import { startGatewayFixture, type TransportFixture } from '../helpers/gateway-fixture.js';
import { connectWsPeer, wsRefusal } from '../helpers/raw-peers/ws.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';
import { runGatewayContract } from './gateway-contract.js';

runGatewayContract({
  label: 'ws',
  factory: wsTransport,
  url: /^http:\/\/127\.0\.0\.1:\d+$/,
  connect: connectWsPeer,
  claim: { probe: wsRefusal, answer: '409 client-id-taken' },
  routesTopics: true,
  answersRefusedPublishes: true,
  badFilter: { filter: 'pong/#/ball', answer: 'bad-filter pong/#/ball' },
  oversized: { ended: /^close 1009\b/, counted: 'frame-too-large' },
  rateLimited: { told: null, ended: /^close 1008 rate-limit$/ },
  stopped: /^close 1006$/,
  sharesHttp: true,
  stalledLimits: { shedBytes: 16 * 1024, stalledBytes: 256 * 1024 },
});

interface RawPeer {
  socket: WebSocket;
  frames: string[];
  closed: () => number | null;
}

async function rawPeer(fixture: TransportFixture, options: { autoPong?: boolean } = {}): Promise<RawPeer> {
  const url = `${fixture.gateway.describe().replace(/^http/, 'ws')}/ws`;
  const socket = new WebSocket(url, { autoPong: options.autoPong ?? true });
  const frames: string[] = [];
  let closeCode: number | null = null;
  socket.on('message', (data) => frames.push(data.toString()));
  socket.on('close', (code) => (closeCode = code));
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, frames, closed: () => closeCode };
}

describe('ws gateway', () => {
  let fixture: TransportFixture;

  beforeEach(async () => {
    fixture = await startGatewayFixture(wsTransport, { gatewayOptions: { extra: { wsHeartbeatMs: 100 } } });
  });

  afterEach(async () => {
    await fixture.teardown();
  });

  it('speaks the documented frames to a hand-written client', async () => {
    const peer = await rawPeer(fixture);
    const onBus: BusMessage[] = [];
    fixture.bus.subscribe('pong/game/raw/#', (message) => onBus.push(message));
    peer.socket.send('sub pong/game/raw/ball');
    await repeatUntil(
      () => fixture.bus.publish('pong/game/raw/ball', '{"x":1}\nline two'),
      () => peer.frames.length > 0,
      'a msg frame',
    );
    expect(peer.frames[0]).toBe('msg pong/game/raw/ball\n{"x":1}\nline two');
    peer.socket.send('pub pong/game/raw/state q1r\n{"status":"waiting"}');
    peer.socket.send('pub pong/game/raw/p1/paddle\n{"y":2}');
    await waitFor(() => onBus.some((message) => message.topic === 'pong/game/raw/p1/paddle'), 'both publishes on the bus');
    expect(onBus.filter((message) => message.origin === 'ws').map(({ topic, payload, qos, retain }) => ({ topic, payload, qos, retain }))).toEqual([
      { topic: 'pong/game/raw/state', payload: '{"status":"waiting"}', qos: 1, retain: true },
      { topic: 'pong/game/raw/p1/paddle', payload: '{"y":2}', qos: 0, retain: false },
    ]);
  });

  it('frames messages of every length class (7, 16 and 64 bits) so a ws client reads them byte for byte', async () => {
    const peer = await rawPeer(fixture);
    peer.socket.send('sub pong/game/raw/ball');
    await repeatUntil(
      () => fixture.bus.publish('pong/game/raw/ball', 'ready'),
      () => peer.frames.length > 0,
      'the subscription',
    );
    const header = 'msg pong/game/raw/ball\n';
    // Whole frames of 125, 126, 65535 and 65536 bytes: each side of both length boundaries,
    // plus one whose characters are fewer than its UTF-8 bytes.
    const payloads = [125, 126, 65_535, 65_536].map((bytes) => 'x'.repeat(bytes - header.length));
    payloads.push('é🏓'.repeat(50));
    const before = peer.frames.length;
    for (const payload of payloads) fixture.bus.publish('pong/game/raw/ball', payload);
    await waitFor(() => peer.frames.length === before + payloads.length, 'every frame');
    expect(peer.frames.slice(before)).toEqual(payloads.map((payload) => header + payload));
    expect(peer.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('answers malformed frames with err, keeps the connection and counts them', async () => {
    const peer = await rawPeer(fixture);
    const before = fixture.gateway.counters.dropped;
    peer.socket.send('hello');
    peer.socket.send('pub pong/game/raw/ball q7\n{}');
    peer.socket.send(Buffer.from([1, 2, 3]));
    await waitFor(() => peer.frames.length === 3, 'three err frames');
    expect(peer.frames).toEqual([
      'err bad-frame unknown-command',
      'err bad-frame bad-flags',
      'err bad-frame binary frames are not part of the protocol',
    ]);
    expect(fixture.gateway.counters.dropped - before).toBe(3);
    expect(peer.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a client that stops answering pings', async () => {
    const peer = await rawPeer(fixture, { autoPong: false });
    const healthy = await rawPeer(fixture);
    await waitFor(() => peer.closed() !== null, 'the silent client to be dropped');
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    expect(fixture.gateway.counters.connections).toBe(1);
  });

  it('keeps a client that sends frames, pongs or not', async () => {
    const busy = await rawPeer(fixture, { autoPong: false });
    const silent = await rawPeer(fixture, { autoPong: false });
    const sending = setInterval(() => busy.socket.send('sub pong/game/demo/ball'), 20);
    try {
      await waitFor(() => silent.closed() !== null, 'the silent client to be dropped');
      // Several more sweeps (100 ms apart) with frames but no pongs.
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(busy.closed()).toBeNull();
      expect(busy.socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      clearInterval(sending);
    }
  });

  it('leaves other upgrade paths alone', async () => {
    const url = fixture.gateway.describe().replace(/^http/, 'ws');
    const elsewhere = new WebSocket(`${url}/other`);
    const status = await new Promise<number | undefined>((resolve) => {
      elsewhere.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      elsewhere.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});
