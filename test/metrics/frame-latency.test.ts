import { describe, expect, it } from 'vitest';
import { FrameLatency } from '../../src/metrics/frame-latency.js';

const T0 = 1_763_774_400_000;

describe('FrameLatency', () => {
  it('starts empty', () => {
    const f = new FrameLatency();
    expect(f.snapshot()).toEqual(FrameLatency.empty());
    expect(FrameLatency.empty()).toMatchObject({ frames: 0, last: null, p99: null, framesLost: 0, recent: [], offsetKnown: false });
  });

  it('measures one-way latency as rx − timestamp − offset', () => {
    const f = new FrameLatency();
    f.setOffset(500); // client clock 500 ms ahead of the server
    for (let i = 1; i <= 100; i++) f.onFrame(i, T0 + i * 16, T0 + i * 16 + 500 + i / 10);
    const s = f.snapshot();
    expect(s.offsetKnown).toBe(true);
    expect(s.frames).toBe(100);
    expect(s.last).toBe(10);
    expect(s.min).toBe(0.1);
    expect(s.max).toBe(10);
    expect(s.mean).toBeCloseTo(5.05, 3);
    expect(s.p50).toBeCloseTo(5, 2);
    expect(s.p95).toBeCloseTo(9.5, 2);
    expect(s.p99).toBeCloseTo(9.9, 2);
    // Each one-way value differs from the previous by 0.1 ms.
    expect(s.jitter).toBeCloseTo(0.1, 6);
    expect(s.framesLost).toBe(0);
  });

  it('keeps the last values, oldest first, for a sparkline', () => {
    const f = new FrameLatency({ recent: 5 });
    for (let i = 1; i <= 8; i++) f.onFrame(i, T0, T0 + i);
    expect(f.snapshot().recent).toEqual([4, 5, 6, 7, 8]);
  });

  it('counts lost frames from seq gaps, un-counts reordered ones and survives a server restart', () => {
    const f = new FrameLatency();
    for (const seq of [1, 2, 3, 6, 7, 5, 9]) f.onFrame(seq, T0, T0 + 1);
    expect(f.snapshot().framesLost).toBe(2); // 4 and 8
    // 4 arrives very late; 1 and 2 again are duplicates.
    for (const seq of [4, 1, 2]) f.onFrame(seq, T0, T0 + 1);
    expect(f.snapshot().framesLost).toBe(1);
    // The server restarted: seq back to 0 after 1399, which is no loss; the new run has its own gaps.
    const g = new FrameLatency();
    for (let seq = 1000; seq < 1400; seq++) g.onFrame(seq, T0, T0 + 1);
    for (const seq of [0, 1, 2, 5]) g.onFrame(seq, T0, T0 + 1);
    expect(g.snapshot().framesLost).toBe(2);
  });

  it('counts negative one-way values (offset off) and shows them as 0', () => {
    const f = new FrameLatency();
    f.setOffset(10);
    f.onFrame(1, T0, T0 + 4); // 4 − 10 = −6
    f.onFrame(2, T0, T0 + 13); // 3
    const s = f.snapshot();
    expect(s.negative).toBe(1);
    expect(s.min).toBe(0);
    expect(s.max).toBe(3);
    expect(s.recent).toEqual([0, 3]);
  });

  it('discards figures taken before the offset was known', () => {
    const f = new FrameLatency();
    f.onFrame(1, T0, T0 + 2000);
    expect(f.snapshot()).toMatchObject({ offsetKnown: false, max: 2000 });
    f.setOffset(1999);
    expect(f.snapshot()).toMatchObject({ offsetKnown: true, frames: 1, max: null, recent: [] });
    f.onFrame(2, T0, T0 + 2000.5);
    expect(f.snapshot()).toMatchObject({ frames: 2, min: 1.5, max: 1.5 });
    // A refined offset applies from the next frame on without discarding anything.
    f.setOffset(1999.5);
    f.onFrame(3, T0, T0 + 2000.5);
    expect(f.snapshot()).toMatchObject({ frames: 3, min: 1, max: 1.5 });
  });

  it('rounds to the microsecond and resets', () => {
    const f = new FrameLatency();
    f.onFrame(1, T0, T0 + 1.23456789);
    expect(f.snapshot().last).toBe(1.235);
    f.setOffset(3);
    f.reset();
    expect(f.snapshot()).toEqual(FrameLatency.empty());
  });
});
