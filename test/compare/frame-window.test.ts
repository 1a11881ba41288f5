import { describe, expect, it } from 'vitest';
import { FrameWindow, RESTART_GAP } from '../../src/compare/frame-window.js';

/** Feeds `values[seq]` for every seq a lane received; a missing entry is a lost frame. */
function feed(window: FrameWindow, name: string, frames: Record<number, number>): void {
  for (const [seq, oneWay] of Object.entries(frames)) window.record(name, Number(seq), oneWay);
}

describe('FrameWindow', () => {
  it('summarises every lane over the frames all lanes received, and counts each lane\'s own loss', () => {
    const window = new FrameWindow(['a', 'b'], { settleFrames: 0 });
    window.open(10);
    // a misses 12; b misses 14. Only 10, 11 and 13 are common.
    feed(window, 'a', { 10: 1, 11: 2, 13: 3, 14: 100 });
    feed(window, 'b', { 10: 5, 11: 6, 12: 50, 13: 7 });
    window.settle();

    expect(window.seqFrom).toBe(10);
    expect(window.seqTo).toBe(14);
    expect(window.sameFrames).toBe(3);
    const a = window.lane('a')!;
    const b = window.lane('b')!;
    expect([a.received, a.lost]).toEqual([4, 1]);
    expect([b.received, b.lost]).toEqual([4, 1]);
    // The frames only one lane got (a's 100, b's 50) are in no figure.
    expect(a.figures.count).toBe(3);
    expect(a.figures.oneWay()).toMatchObject({ min: 1, max: 3, mean: 2, last: 3 });
    expect(b.figures.oneWay()).toMatchObject({ min: 5, max: 7, mean: 6, last: 7 });
    expect(a.figures.recent()).toEqual([1, 2, 3]);
  });

  it('waits settleFrames behind the newest frame before judging, so a reordered frame still counts', () => {
    const window = new FrameWindow(['a', 'b'], { settleFrames: 3 });
    window.open(1);
    feed(window, 'a', { 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1 });
    feed(window, 'b', { 1: 1, 3: 1, 4: 1, 5: 1, 6: 1 });
    window.settle();
    // Settled through 6 − 3 = 3: b's 2 is not lost yet.
    expect(window.seqTo).toBe(3);
    expect(window.lane('b')!.lost).toBe(1);
    expect(window.sameFrames).toBe(2);

    window.settle();
    expect(window.seqTo).toBe(3);
    // Arriving after its seq settled, it stays lost and is not double counted.
    window.record('b', 2, 1);
    window.settle(Infinity);
    expect(window.lane('b')!).toMatchObject({ received: 5, lost: 1 });
    expect(window.sameFrames).toBe(5);
  });

  it('ignores frames before open() and after closeAt()', () => {
    const window = new FrameWindow(['a'], { settleFrames: 0 });
    window.record('a', 1, 9);
    expect(window.isOpen).toBe(false);
    window.open(5);
    feed(window, 'a', { 4: 9, 5: 1, 6: 2, 7: 3 });
    window.closeAt(6);
    window.record('a', 8, 9);
    window.settle(Infinity);
    expect([window.seqFrom, window.seqTo, window.sameFrames]).toEqual([5, 6, 2]);
    expect(window.lane('a')!.figures.oneWay().max).toBe(2);
  });

  it('records a negative one-way as 0 and counts it', () => {
    const window = new FrameWindow(['a'], { settleFrames: 0 });
    window.open(1);
    feed(window, 'a', { 1: -0.2, 2: 0.4 });
    window.settle();
    const figures = window.lane('a')!.figures;
    expect(figures.negative).toBe(1);
    expect(figures.oneWay().min).toBe(0);
  });

  it('starts over when the seq space does (a restarted server)', () => {
    const window = new FrameWindow(['a'], { settleFrames: 0 });
    window.open(5000);
    feed(window, 'a', { 5000: 1, 5001: 1 });
    window.settle();
    window.record('a', 1, 2);
    window.record('a', 2, 2);
    window.settle();
    expect(5000 - 1).toBeGreaterThan(RESTART_GAP);
    expect([window.seqFrom, window.seqTo, window.sameFrames]).toEqual([1, 2, 2]);
    expect(window.lane('a')!.lost).toBe(0);
  });
});
