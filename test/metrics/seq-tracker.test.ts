import { describe, expect, it } from 'vitest';
import { SeqTracker } from '../../src/metrics/seq-tracker.js';

function feed(tracker: SeqTracker, seqs: number[]) {
  return seqs.map((s) => tracker.observe(s));
}

describe('SeqTracker', () => {
  it('counts nothing lost for an unbroken sequence starting anywhere', () => {
    const t = new SeqTracker();
    feed(t, [500, 501, 502, 503]);
    expect(t.lost).toBe(0);
    expect(t.received).toBe(4);
  });

  it('counts every seq skipped', () => {
    const t = new SeqTracker();
    feed(t, [1, 2, 5, 6, 10]);
    expect(t.lost).toBe(2 + 3);
  });

  it('un-counts a late frame that fills a gap, once', () => {
    const t = new SeqTracker();
    expect(feed(t, [1, 2, 5, 3, 6, 4, 4, 3])).toEqual(['first', 'next', 'next', 'late', 'next', 'late', 'duplicate', 'duplicate']);
    expect(t.lost).toBe(0);
    expect(t.duplicates).toBe(2);
  });

  it('does not un-count frames from before tracking began', () => {
    const t = new SeqTracker();
    expect(feed(t, [10, 12, 9])).toEqual(['first', 'next', 'stale']);
    expect(t.lost).toBe(1);
  });

  it('treats a large backward jump as a restarted sender, counting no loss', () => {
    const t = new SeqTracker({ window: 256 });
    feed(t, [5000, 5001, 5003]);
    expect(t.lost).toBe(1);
    expect(t.observe(0)).toBe('reset');
    feed(t, [1, 2, 4]);
    expect(t.lost).toBe(2);
    expect(t.resets).toBe(1);
    // The restarted run's gaps are tracked on their own.
    expect(t.observe(3)).toBe('late');
    expect(t.lost).toBe(1);
  });

  it('treats a huge forward jump as a new sequence, not as millions lost', () => {
    const t = new SeqTracker({ maxForwardJump: 3600 });
    feed(t, [1, 2]);
    expect(t.observe(9_000_000)).toBe('reset');
    expect(t.lost).toBe(0);
    t.observe(9_000_002);
    expect(t.lost).toBe(1);
  });

  it('forgets gaps older than its window', () => {
    const t = new SeqTracker({ window: 16 });
    feed(t, [0, 2]);
    for (let s = 3; s < 40; s++) t.observe(s);
    expect(t.lost).toBe(1);
    // Seq 1 is 38 behind, beyond the window: taken as a restart, not as filling the old gap.
    expect(t.observe(1)).toBe('reset');
    expect(t.lost).toBe(1);
  });

  it('handles gaps wider than the window', () => {
    const t = new SeqTracker({ window: 16 });
    feed(t, [0, 100]);
    expect(t.lost).toBe(99);
    expect(t.observe(95)).toBe('late');
    expect(t.observe(95)).toBe('duplicate');
    expect(t.lost).toBe(98);
  });

  it('ignores seqs that are not non-negative integers', () => {
    const t = new SeqTracker();
    feed(t, [1, 2]);
    expect(feed(t, [-1, 2.5, Number.NaN])).toEqual(['stale', 'stale', 'stale']);
    expect(t.lost).toBe(0);
    t.reset();
    expect([t.lost, t.received, t.highest]).toEqual([0, 0, null]);
  });
});
