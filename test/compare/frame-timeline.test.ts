/**
 * What `pong compare --plot` draws is what the same-frame window judged: every settled frame,
 * each lane's one-way latency or nothing where it lost the frame, and the frame's send time.
 */
import { describe, expect, it } from 'vitest';
import { FrameTimeline, frameTimes, lastSeconds, timelineFrames } from '../../src/compare/frame-timeline.js';
import { FrameWindow, RESTART_GAP } from '../../src/compare/frame-window.js';

describe('FrameTimeline', () => {
  it('keeps every settled frame of the window, with each lane\'s latency or its loss', () => {
    const timeline = new FrameTimeline(['a', 'b']);
    const window = new FrameWindow(['a', 'b'], { settleFrames: 2, frames: timeline });
    // Before the window opens, nothing is kept.
    timeline.stamp(9, 900);
    window.record('a', 9, 1);
    expect(timeline.data()).toBeNull();

    window.open(10);
    for (let seq = 10; seq <= 15; seq++) timeline.stamp(seq, 1000 + (seq - 10) * 16.7);
    // a loses 12; b loses 14; nobody gets 13 (its send time is unknown).
    for (const [seq, value] of [[10, 1], [11, 2], [14, 4], [15, 5]]) window.record('a', seq!, value!);
    for (const [seq, value] of [[10, 5], [11, 6], [12, 7], [15, 8]]) window.record('b', seq!, value!);
    window.settle();
    // Settled through 15 − 2: frames 10 to 13.
    expect(timeline.frames).toBe(4);
    window.settle(Infinity);
    const data = timeline.data()!;
    expect(data.names).toEqual(['a', 'b']);
    expect(data.seqFrom).toBe(10);
    expect(data.oneWay).toEqual([
      [1, 2, null, null, 4, 5],
      [5, 6, 7, null, null, 8],
    ]);
    expect(data.sentAt.map((t) => Math.round(t * 10) / 10)).toEqual([1000, 1016.7, 1033.4, 1050.1, 1066.8, 1083.5]);
    // The lanes' losses are the window's.
    expect(window.lane('a')!.lost).toBe(2);
    expect(window.lane('b')!.lost).toBe(2);
  });

  it('starts over when the window does (the server restarted its seqs)', () => {
    const timeline = new FrameTimeline(['a']);
    const window = new FrameWindow(['a'], { settleFrames: 0, frames: timeline });
    window.open(5000);
    window.record('a', 5000, 1);
    window.settle();
    window.record('a', 5000 - RESTART_GAP - 10, 2);
    window.settle(Infinity);
    expect(timeline.data()).toMatchObject({ seqFrom: 5000 - RESTART_GAP - 10, oneWay: [[2]] });
  });

  it('gives each frame its time from the first frame, placing frames nobody received on the 60 Hz grid', () => {
    const times = frameTimes({ names: ['a'], seqFrom: 1, sentAt: [Number.NaN, 1000, 1016, Number.NaN, Number.NaN, 1070], oneWay: [[]] });
    expect(times.map((t) => Math.round(t * 100000) / 100)).toEqual([0, 16.67, 32.67, 49.33, 66, 86.67]);
  });

  it('keeps only the newest frames when asked (a live view), their times still counted from the window\'s first frame', () => {
    const timeline = new FrameTimeline(['a'], { keepFrames: 8 });
    const window = new FrameWindow(['a'], { settleFrames: 0, frames: timeline });
    window.open(100);
    for (let seq = 100; seq < 130; seq++) {
      timeline.stamp(seq, 5000 + (seq - 100) * 20);
      if (seq % 7 !== 0) window.record('a', seq, seq - 100);
      window.settle();
    }
    const data = timeline.data()!;
    // Never fewer than 8, never more than a quarter over.
    expect(data.sentAt.length).toBeGreaterThanOrEqual(8);
    expect(data.sentAt.length).toBeLessThanOrEqual(10);
    expect(data.seqFrom).toBe(130 - data.sentAt.length);
    expect(data.origin).toEqual({ seq: 100, at: 5000 });
    const frames = timelineFrames(data);
    expect(frames.times.at(-1)).toBeCloseTo(29 * 0.02);
    expect(frames.lanes[0]!.oneWay.at(-1)).toBe(29);
    // seq 126 is a multiple of 7: lost.
    expect(frames.lanes[0]!.oneWay[126 - data.seqFrom]).toBeNull();
  });

  it('cuts the last seconds of a timeline for a live view', () => {
    const times = Array.from({ length: 120 }, (_, i) => i / 60);
    const frames = { seqFrom: 10, times, lanes: [{ name: 'ws', oneWay: times.map((_, i) => i) }] };
    const last = lastSeconds(frames, 0.5);
    expect(last.seqFrom).toBe(10 + 89);
    expect(last.times[0]).toBeCloseTo(89 / 60);
    expect(last.lanes[0]!.oneWay).toHaveLength(31);
    expect(lastSeconds(frames, 10)).toEqual(frames);
  });
});
