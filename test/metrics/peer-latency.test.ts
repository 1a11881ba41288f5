import { describe, expect, it } from 'vitest';
import { PeerLatency } from '../../src/metrics/peer-latency.js';
import { decodePayload } from '../../src/protocol/validate.js';

const T0 = 1_763_774_400_000;
const TICK = 1000 / 60;

/** Sends frames first..last and acks those `acked` says, with the given round trip. */
function play(peer: PeerLatency, first: number, last: number, acked: (seq: number) => boolean, rtt = 2, offset = 0) {
  for (let seq = first; seq <= last; seq++) {
    const t0 = T0 + seq * TICK;
    peer.onFrameSent(seq);
    if (acked(seq)) peer.onAck({ seq, timestamp: t0, rx: t0 + rtt / 2 + offset }, t0 + rtt);
  }
}

describe('PeerLatency', () => {
  it('summarises nothing as zeros', () => {
    const s = new PeerLatency().summary();
    expect(s).toEqual({
      samples: 0,
      rtt: { last: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      jitter: 0,
      offset: 0,
      framesLost: 0,
    });
  });

  it('measures round trips and their jitter', () => {
    const peer = new PeerLatency();
    const rtts = [1, 3, 1, 3, 2];
    rtts.forEach((rtt, seq) => {
      peer.onFrameSent(seq);
      peer.onAck({ seq, timestamp: T0 + seq, rx: T0 + seq + rtt / 2 }, T0 + seq + rtt);
    });
    const s = peer.summary('ws');
    expect(s.samples).toBe(5);
    expect(s.transport).toBe('ws');
    expect(s.rtt).toMatchObject({ last: 2, min: 1, max: 3, mean: 2, p50: 2 });
    // |D| = 2, 2, 2, 1: J = 2, 2, 2, 2 + (1 − 2) / 16.
    expect(s.jitter).toBe(Math.round((2 - 1 / 16) * 1000) / 1000);
    expect(decodePayload('stats', JSON.stringify({ timestamp: T0, p1: s })).ok).toBe(true);
  });

  it('estimates the client clock offset from the acks', () => {
    const peer = new PeerLatency();
    play(peer, 0, 300, () => true, 2, 42.25);
    expect(peer.offset).toBeCloseTo(42.25, 9);
    expect(peer.summary().offset).toBe(42.25);
  });

  it('counts frames sent but never acked, from the first ack on, leaving the newest in flight', () => {
    const peer = new PeerLatency({ ackGraceFrames: 10 });
    // Frames 0–9 went out before the peer started acking: not its loss.
    play(peer, 0, 9, () => false);
    play(peer, 10, 200, (seq) => seq % 10 !== 5);
    // 15, 25, ..., 185 (18 frames) are old enough; 195 is still within the grace period.
    expect(peer.framesLost).toBe(18);
    // A late ack un-counts its frame.
    peer.onAck({ seq: 15, timestamp: T0 + 15 * TICK, rx: T0 + 15 * TICK + 1 }, T0 + 200 * TICK);
    expect(peer.summary().framesLost).toBe(17);
    play(peer, 201, 230, () => true);
    expect(peer.framesLost).toBe(18);
  });

  it('keeps losses that fell out of its window and ignores duplicate acks', () => {
    const peer = new PeerLatency({ sentWindow: 64, ackGraceFrames: 5 });
    play(peer, 0, 1000, (seq) => seq % 100 !== 50);
    expect(peer.framesLost).toBe(10);
    const samples = peer.samples;
    peer.onAck({ seq: 1000, timestamp: T0, rx: T0 }, T0 + 1000 * TICK);
    expect(peer.samples).toBe(samples);
  });

  it('starts the loss tracking over when the room restarts its seq', () => {
    const peer = new PeerLatency({ ackGraceFrames: 5 });
    play(peer, 5000, 5100, (seq) => seq !== 5050);
    expect(peer.framesLost).toBe(1);
    play(peer, 0, 100, (seq) => seq !== 60 && seq !== 61);
    expect(peer.framesLost).toBe(3);
  });

  it('falls back to ack seq gaps when frames sent are not reported', () => {
    const peer = new PeerLatency();
    for (const seq of [1, 2, 4, 7, 6]) peer.onAck({ seq, timestamp: T0, rx: T0 }, T0 + 1);
    expect(peer.framesLost).toBe(2);
  });

  it('counts a negative round trip (a forged timestamp) as 0 and keeps it out of the offset', () => {
    const peer = new PeerLatency();
    peer.onAck({ seq: 1, timestamp: T0 + 100, rx: T0 + 999 }, T0);
    expect(peer.negativeRtts).toBe(1);
    expect(peer.offsetKnown).toBe(false);
    expect(peer.summary().rtt.min).toBe(0);
  });
});
