import { describe, expect, it } from 'vitest';
import { PaddleReconciler, unexplained, type Intent } from '../../src/client/smoothing/reconcile.js';

describe('unexplained', () => {
  const intents: Intent[] = [
    { at: 0, y: 4.5 },
    { at: 100, y: 4 },
    { at: 116, y: 3.5 },
    { at: 133, y: 3 },
  ];

  it('accepts any position the paddle was meant to hold during the last round trip', () => {
    // At 200 ms with a 120 ms lag the server may show anything from 4.5 (held at 80) to 3.
    expect(unexplained(intents, 4.5, 200, 120, 0.05)).toBe(0);
    expect(unexplained(intents, 3.7, 200, 120, 0.05)).toBe(0);
    expect(unexplained(intents, 3, 200, 120, 0.05)).toBe(0);
  });

  it('measures how far outside that range the server is', () => {
    expect(unexplained(intents, 6, 200, 120, 0.05)).toBeCloseTo(1.45, 9);
    expect(unexplained(intents, 2, 200, 120, 0.05)).toBeCloseTo(-0.95, 9);
    // Long after the last move only the last intent explains anything.
    expect(unexplained(intents, 4.5, 2000, 120, 0.05)).toBeCloseTo(1.45, 9);
  });
});

describe('PaddleReconciler', () => {
  it('never pulls back a paddle the server is only following late (no rubber band)', () => {
    const reconciler = new PaddleReconciler();
    // The player sweeps from 0 to 9 at 40 units/s; the server shows each move 100 ms later.
    const trail: Array<{ at: number; y: number }> = [];
    for (let t = 0; t <= 400; t += 16) {
      const y = Math.min(9, (40 * t) / 1000);
      reconciler.intend(y, t);
      trail.push({ at: t, y });
      const server = trail.filter((p) => p.at <= t - 100).at(-1)?.y ?? 0;
      expect(reconciler.observe(server, y, t, 150)).toBeNull();
    }
  });

  it('blends to the server after a lasting disagreement (a refused or reset paddle)', () => {
    const reconciler = new PaddleReconciler();
    reconciler.intend(2, 0);
    let own = 2;
    const corrections: number[] = [];
    for (let t = 16; t <= 600; t += 16) {
      const next = reconciler.observe(6, own, t, 150);
      if (next !== null) {
        corrections.push(next);
        own = next;
        reconciler.intend(next, t);
      }
    }
    // Nothing for 200 ms, then a glide, not a jump: each step a fraction of the gap.
    expect(corrections.length).toBeGreaterThan(5);
    expect(corrections[0]).toBeLessThan(2 + 0.3 * 4);
    for (let i = 1; i < corrections.length; i++) expect(corrections[i]).toBeGreaterThanOrEqual(corrections[i - 1]!);
    expect(own).toBeCloseTo(6, 1);
  });
});
