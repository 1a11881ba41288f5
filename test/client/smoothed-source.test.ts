import { describe, expect, it } from 'vitest';
import { SmoothedSource } from '../../src/client/smoothing/smoothed-source.js';
import type { Timers } from '../../src/client/smoothing/frame-clock.js';
import { FakeSource, recordingControls, viewState } from '../ui/fake-source.js';

/** Timers the test fires by hand: one pending display frame at a time. */
function manualTimers() {
  let pending: (() => void) | null = null;
  const timers: Timers = {
    setTimeout: (callback) => {
      pending = callback;
      return 1;
    },
    clearTimeout: () => {
      pending = null;
    },
  };
  return { timers, fire: () => pending?.() };
}

function setup(raw = false) {
  let now = 1000;
  const { timers, fire } = manualTimers();
  const inner = new FakeSource(viewState({ ball: null }));
  const controls = recordingControls();
  const source = new SmoothedSource(inner, controls, { raw, clock: () => now, monotonic: () => now, timers }).start();
  let notified = 0;
  source.subscribe(() => notified++);
  const ball = (seq: number, x: number) => ({ x, y: 6, dx: 0.5, dy: 0, timestamp: 5000 + (seq * 1000) / 60, seq, p1y: 4, p2y: 2 + seq * 0.1 });
  return {
    inner,
    source,
    controls,
    ball,
    frame: (ms = 1000 / 60) => {
      now += ms;
      fire();
    },
    advance: (ms: number) => (now += ms),
    notified: () => notified,
  };
}

describe('SmoothedSource', () => {
  it('publishes the ball once per display frame, not once per network frame', () => {
    const t = setup();
    for (let seq = 0; seq < 10; seq++) {
      t.advance(1000 / 60);
      t.inner.set({ ball: t.ball(seq, 10 + seq * 0.5) });
    }
    expect(t.notified()).toBe(0);
    t.frame();
    expect(t.notified()).toBe(1);
    const drawn = t.source.getState();
    expect(drawn.ball?.x).toBeGreaterThan(10);
    expect(drawn.ball?.x).toBeLessThan(15);
    // The opponent's paddle is drawn from the same instant as the ball, the own one as put.
    expect(drawn.paddles.p1).toBe(4);
    expect(drawn.paddles.p2).toBeGreaterThan(2);
    expect(drawn.paddles.p2).toBeLessThan(3);
  });

  it('shows a score or a move of the own paddle at once', () => {
    const t = setup();
    t.inner.set({ state: { status: 'playing', p1Score: 1, p2Score: 0, servingPlayer: 2, timestamp: 2 } });
    expect(t.notified()).toBe(1);
    t.inner.set({ paddles: { p1: 7, p2: 4 } });
    expect(t.notified()).toBe(2);
    expect(t.source.getState().paddles.p1).toBe(7);
  });

  it('stays quiet while nothing moves', () => {
    const t = setup();
    t.inner.set({ ball: { ...t.ball(0, 20), dx: 0 } });
    t.frame();
    const after = t.notified();
    for (let i = 0; i < 5; i++) t.frame();
    expect(t.notified()).toBe(after);
  });

  it('runs frame callbacks first, so a paddle step and the ball are one update', () => {
    const t = setup();
    const off = t.source.onFrame(() => {
      t.source.movePaddleTo(5);
      t.inner.set({ paddles: { p1: 5, p2: 4 } });
    });
    t.frame();
    expect(t.controls.moves).toEqual([5]);
    expect(t.notified()).toBe(1);
    off();
  });

  it('passes frames straight through in raw mode', () => {
    const t = setup(true);
    const ball = t.ball(0, 12.5);
    t.inner.set({ ball });
    expect(t.notified()).toBe(1);
    expect(t.source.getState().ball).toBe(ball);
  });
});
