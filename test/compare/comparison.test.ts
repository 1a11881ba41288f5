/**
 * The engine end to end without sockets: fake transports deliver the same ball frames to two
 * observers at known receive times, the server's stats give each its clock offset, and the
 * figures must come out of the observers' own acks, on the same frames, per transport.
 */
import { describe, expect, it } from 'vitest';
import { Comparison } from '../../src/compare/comparison.js';
import type { ConnectionStatus, MessageHandler, StatusHandler, TransportClient, TransportName, WireCounters } from '../../src/transports/transport.js';

/**
 * Just what a session uses of a client, handed over with a cast: the contract is still
 * growing (wills, limits), and this double should not have to follow every addition.
 */
class FakeTransport {
  status: ConnectionStatus = 'connecting';
  readonly wire: WireCounters = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
  readonly published: Array<{ topic: string; payload: string }> = [];
  private readonly handlers = new Set<MessageHandler>();
  constructor(
    readonly name: TransportName,
    readonly clientId: string,
  ) {}
  async connect(): Promise<void> {
    this.status = 'connected';
  }
  publish(topic: string, payload: string): void {
    this.published.push({ topic, payload });
  }
  subscribe(): void {}
  unsubscribe(): void {}
  onMessage(handler: MessageHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  onStatus(_handler: StatusHandler): () => void {
    return () => {};
  }
  setWill(): void {}
  async close(): Promise<void> {
    this.status = 'closed';
  }
  deliver(topic: string, body: object, bytes: number): void {
    this.wire.bytesIn += bytes;
    for (const handler of this.handlers) handler(topic, JSON.stringify(body));
  }
}

const GAME = 'cmp';
const rtt = { last: 1, min: 1, mean: 1, p50: 1.5, p95: 2, p99: 2.5, max: 3 };

describe('Comparison', () => {
  it('measures each observer from its own acks and its own clock offset, over the same frames', async () => {
    let now = 0;
    const fakes = new Map<TransportName, FakeTransport>();
    const comparison = new Comparison({
      gameId: GAME,
      transports: ['mqtt', 'ws'],
      createClient: (name, clientId) => {
        const fake = new FakeTransport(name, clientId);
        fakes.set(name, fake);
        return fake as unknown as TransportClient;
      },
      clock: () => now,
      settleFrames: 0,
      tickMs: 60_000,
      timeline: true,
    });
    expect(await comparison.start()).toEqual([]);
    const mqtt = fakes.get('mqtt')!;
    const ws = fakes.get('ws')!;
    // mqtt's clock runs 10 ms ahead of the server's, ws's 3 ms behind.
    const offsets = new Map([[mqtt, 10], [ws, -3]]);
    for (const [fake, offset] of offsets) {
      fake.deliver(`pong/game/${GAME}/watch/${fake.clientId}/stats`, { timestamp: 1, samples: 50, rtt, jitter: 0.1, offset, framesLost: 0 }, 100);
    }
    comparison.tick();
    expect(comparison.ready).toBe(true);
    comparison.measure();

    // One-way 2 ms for mqtt, 1 ms for ws; ws never gets frame 3. Each frame is 200 bytes on
    // mqtt's wire and 150 on ws's.
    for (let seq = 1; seq <= 5; seq++) {
      const timestamp = 1_000 + seq * 16;
      const frame = { x: 20, y: 6, dx: 0.5, dy: 0, timestamp, seq };
      now = timestamp + 10 + 2;
      mqtt.deliver(`pong/game/${GAME}/ball`, frame, 200);
      if (seq === 3) continue;
      now = timestamp - 3 + 1;
      ws.deliver(`pong/game/${GAME}/ball`, frame, 150);
    }
    const snapshot = await comparison.finish(0);
    await comparison.close();

    expect(snapshot).toMatchObject({ measuring: true, seqFrom: 1, seqTo: 5, sameFrames: 4 });
    const [m, w] = snapshot.transports;
    expect(m).toMatchObject({ name: 'mqtt', frames: 5, framesLost: 0, bytesPerFrame: 200, rtt: { p50: 1.5, p99: 2.5 } });
    expect(m!.oneWay).toMatchObject({ min: 2, p50: 2, max: 2 });
    expect(w).toMatchObject({ name: 'ws', frames: 4, framesLost: 1, bytesPerFrame: 150 });
    expect(w!.oneWay).toMatchObject({ min: 1, p50: 1, max: 1 });
    // Every frame of the window, kept for a plot: each lane's one-way, the send times, and time zero.
    expect(comparison.timeline()).toEqual({
      names: ['mqtt', 'ws'],
      seqFrom: 1,
      sentAt: [1016, 1032, 1048, 1064, 1080],
      oneWay: [
        [2, 2, 2, 2, 2],
        [1, 1, null, 1, 1],
      ],
      origin: { seq: 1, at: 1016 },
    });
    // The acks were published on each observer's own watcher topic, one per frame.
    expect(mqtt.published.filter((p) => p.topic === `pong/game/${GAME}/watch/${mqtt.clientId}/ack`)).toHaveLength(5);
  });

  it('reports an observer that cannot connect, and keeps the others', async () => {
    const comparison = new Comparison({
      gameId: GAME,
      transports: ['mqtt', 'ws'],
      createClient: (name, clientId) => {
        const fake = new FakeTransport(name, clientId);
        if (name === 'ws') fake.connect = () => Promise.reject(new Error('refused'));
        return fake as unknown as TransportClient;
      },
      tickMs: 60_000,
    });
    const failed = await comparison.start();
    expect(failed.map((f) => f.name)).toEqual(['ws']);
    const figures = comparison.snapshot().transports;
    expect(figures.map((t) => t.status)).toEqual(['connected', 'failed']);
    expect(figures[1]!.detail).toBe('refused');
    // Not asked to keep the frames: none are.
    expect(comparison.timeline()).toBeNull();
    await comparison.close();
  });
});
