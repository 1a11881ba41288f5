import { describe, expect, it } from 'vitest';
import { AckLog, type SeqWindow } from '../../src/bench/ack-log.js';

const ack = (seq: number, t0: number, rx: number) => JSON.stringify({ seq, timestamp: t0, rx });

/** A client whose clock is `skew` ms ahead, with `out` ms to it and `back` ms from it. */
function exchange(log: AckLog, game: string, player: string, seq: number, t0: number, out: number, back: number, skew: number): void {
  log.record(`pong/game/${game}/ack/${player}`, ack(seq, t0, t0 + out + skew), t0 + out + back);
}

describe('AckLog figures', () => {
  it('round trip percentiles, one-way after the clock offset, and the offset estimate on known inputs', () => {
    const log = new AckLog();
    log.recording = true;
    // 100 frames: round trips 1..100 × 0.01 ms + 1 ms, symmetric, client clock 5 ms ahead.
    for (let seq = 1; seq <= 100; seq++) {
      const half = (1 + seq * 0.01) / 2;
      exchange(log, 'g', 'p1', seq, 1000 + seq * 16.667, half, half, 5);
    }
    const figures = log.figures(new Map<string, SeqWindow>([['g', { from: 0, to: 100 }]]), ['p1']);
    expect(figures.clients).toBe(1);
    expect(figures.expected).toBe(100);
    expect(figures.acked).toBe(100);
    expect(figures.framesLost).toBe(0);
    expect(figures.roundTrip.min).toBeCloseTo(1.01, 3);
    expect(figures.roundTrip.p50).toBeCloseTo(1.5, 2);
    expect(figures.roundTrip.p99).toBeCloseTo(1.99, 2);
    expect(figures.roundTrip.max).toBeCloseTo(2.0, 3);
    // Symmetric paths: the estimate finds the 5 ms skew, so its error is ~0...
    expect(figures.offsetError).toBeCloseTo(5, 3);
    // ...and one-way is half of each round trip.
    expect(figures.oneWay.min).toBeCloseTo(0.505, 3);
    expect(figures.oneWay.max).toBeCloseTo(1.0, 3);
    // The NTP bound: half the fastest round trip.
    expect(figures.offsetBound).toBeCloseTo(0.505, 3);
    // One-way grows by 0.005 ms per frame: RFC 3550 jitter settles there.
    expect(figures.jitter).toBeCloseTo(0.005, 3);
    // The curve the plots draw: the percentiles 100 round trips can tell apart (up to 1 in
    // 100, p99), then the maximum as p100; each the round trip at that rank.
    const curve = figures.roundTripCurve;
    expect(curve.map((point) => point.p)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 100]);
    expect(curve[0]!.ms).toBeCloseTo(1.01, 3);
    expect(curve.find((point) => point.p === 90)!.ms).toBeCloseTo(1.9, 3);
    expect(curve.at(-1)!.ms).toBeCloseTo(2.0, 3);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.ms).toBeGreaterThanOrEqual(curve[i - 1]!.ms);
  });

  it('counts frames of the window a client never acked as lost, including a client that never acked', () => {
    const log = new AckLog();
    log.recording = true;
    for (const seq of [11, 12, 14, 15, 18, 20]) exchange(log, 'g', 'p1', seq, seq, 0.5, 0.5, 0);
    // Outside the window (from 10 exclusive, to 20 inclusive): ignored.
    exchange(log, 'g', 'p1', 10, 10, 0.5, 0.5, 0);
    exchange(log, 'g', 'p1', 21, 21, 0.5, 0.5, 0);
    // A duplicate ack counts once.
    exchange(log, 'g', 'p1', 12, 12, 0.5, 0.5, 0);
    const figures = log.figures(new Map([['g', { from: 10, to: 20 }]]));
    expect(figures.expected).toBe(20);
    expect(figures.acked).toBe(6);
    expect(figures.framesLost).toBe(14);
    expect(figures.clients).toBe(1);
  });

  it('offsets are per client, and asymmetric paths show up as offset error within the NTP bound', () => {
    const log = new AckLog();
    log.recording = true;
    for (let seq = 1; seq <= 50; seq++) {
      exchange(log, 'g', 'p1', seq, seq * 16, 0.2, 0.6, 0);
      exchange(log, 'g', 'p2', seq, seq * 16, 0.4, 0.4, -3);
    }
    const figures = log.figures(new Map([['g', { from: 0, to: 50 }]]));
    // p1: out 0.2, back 0.6 → offset estimate 0.2 − 0.4 = −0.2 (true 0): error 0.2 ≤ bound 0.4.
    // p2: symmetric, skew −3: estimated exactly.
    expect(figures.offsetError).toBeCloseTo(3, 3);
    expect(figures.offsetBound).toBeCloseTo(0.4, 3);
    expect(figures.roundTrip.p50).toBeCloseTo(0.8, 3);
    // p1's one-way comes out 0.4 (0.2 + its 0.2 offset error), p2's exactly 0.4.
    expect(figures.oneWay.p50).toBeCloseTo(0.4, 3);
  });

  it('records nothing while not recording, and forgets on clear', () => {
    const log = new AckLog();
    log.record('pong/game/g/ack/p1', ack(1, 1, 1), 2);
    expect(log.size).toBe(0);
    log.recording = true;
    log.record('pong/game/g/ack/p1', ack(1, 1, 1), 2);
    log.record('pong/game/g/ack/p1', 'not json', 2);
    expect(log.size).toBe(2);
    const figures = log.figures(new Map([['g', { from: 0, to: 1 }]]), ['p1']);
    expect(figures.acked).toBe(1);
    log.clear();
    expect(log.size).toBe(0);
  });
});
