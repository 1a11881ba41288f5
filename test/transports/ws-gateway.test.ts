/**
 * The ws gateway as a client in another language would meet it: a bare WebSocket speaking the
 * documented text frames, no pong client code involved.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_PAYLOAD_BYTES } from '../../src/protocol/constants.js';
import type { BusMessage } from '../../src/bus/bus.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import { WS_MAX_FRAME_BYTES } from '../../src/transports/ws/limits.js';
import { startGatewayFixture, type TransportFixture } from '../helpers/gateway-fixture.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

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

  it('describes itself by the http URL of the server', () => {
    expect(fixture.gateway.describe()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fixture.gateway.describe()).not.toMatch(/:0$/);
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

  it('answers malformed and refused frames with err, keeps the connection and counts them', async () => {
    const peer = await rawPeer(fixture);
    const before = fixture.gateway.counters.dropped;
    peer.socket.send('hello');
    peer.socket.send('pub pong/game/raw/ball q7\n{}');
    peer.socket.send(Buffer.from([1, 2, 3]));
    peer.socket.send('pub elsewhere/topic -\n{}');
    peer.socket.send('sub pong/#/ball');
    peer.socket.send(`pub pong/game/raw/p1/paddle -\n${'x'.repeat(MAX_PAYLOAD_BYTES + 1)}`);
    await waitFor(() => peer.frames.length === 6, 'six err frames');
    expect(peer.frames).toEqual([
      'err bad-frame unknown-command',
      'err bad-frame bad-flags',
      'err bad-frame binary frames are not part of the protocol',
      'err bad-topic elsewhere/topic',
      'err bad-filter pong/#/ball',
      'err payload-too-large pong/game/raw/p1/paddle',
    ]);
    expect(fixture.gateway.counters.dropped - before).toBe(6);
    expect(peer.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a connection that sends a frame over the size bound, and counts it', async () => {
    const peer = await rawPeer(fixture);
    const before = fixture.gateway.counters.dropped;
    peer.socket.send(`pub pong/game/raw/p1/paddle -\n${'x'.repeat(WS_MAX_FRAME_BYTES)}`);
    await waitFor(() => peer.closed() !== null, 'the connection to close');
    expect(peer.closed()).toBe(1009);
    expect(fixture.gateway.counters.dropped - before).toBe(1);
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

  it('leaves other upgrade paths alone and frees /ws when stopped', async () => {
    const url = fixture.gateway.describe().replace(/^http/, 'ws');
    const elsewhere = new WebSocket(`${url}/other`);
    const status = await new Promise<number | undefined>((resolve) => {
      elsewhere.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      elsewhere.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
    const peer = await rawPeer(fixture);
    await fixture.gateway.stop();
    await waitFor(() => peer.closed() !== null, 'connections to end on stop');
    expect(fixture.gateway.counters.connections).toBe(0);
  });
});
