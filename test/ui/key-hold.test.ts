import { describe, expect, it } from 'vitest';
import { KeyHold } from '../../src/ui/key-hold.js';
import { PaddleMotion } from '../../src/ui/paddle-motion.js';

describe('KeyHold without release events (auto-repeat)', () => {
  it('holds a pressed key until its first repeat is overdue', () => {
    const keys = new KeyHold();
    expect(keys.event('up', 1000)).toBe('started');
    expect(keys.isHeld('up', 1000)).toBe(true);
    expect(keys.isConfirmed('up', 1000)).toBe(false);
    expect(keys.isHeld('up', 1600)).toBe(true);
    expect(keys.isHeld('up', 1650)).toBe(false);
    expect(keys.activeKey(1650)).toBeNull();
  });

  it('keeps a key held while repeats arrive, and releases it ~100 ms after the last', () => {
    const keys = new KeyHold();
    keys.event('down', 0);
    expect(keys.event('down', 500)).toBe('continued');
    expect(keys.isConfirmed('down', 500)).toBe(true);
    for (let t = 533; t <= 632; t += 33) keys.event('down', t);
    expect(keys.isHeld('down', 731)).toBe(true);
    expect(keys.isHeld('down', 732)).toBe(false);
  });

  it('tunes its timeouts to the auto-repeat it observes', () => {
    const keys = new KeyHold();
    // Two holds of a keyboard repeating after 300 ms at 30 Hz (33 ms).
    for (const start of [0, 2000]) {
      keys.event('up', start);
      for (let t = start + 300; t <= start + 600; t += 33) keys.event('up', t);
    }
    expect(keys.repeat.observed).toEqual({ delayMs: 300, intervalMs: 33 });
    // A repeat overdue by 60% of the interval (+12 ms) ends the hold: 64.8 ms, not 100.
    expect(keys.isHeld('up', 2597 + 64)).toBe(true);
    expect(keys.isHeld('up', 2597 + 65)).toBe(false);
    // A press not repeated within 1.25 x 300 + 40 ms was a tap: 415 ms, not 650.
    keys.event('down', 5000);
    expect(keys.isHeld('down', 5414)).toBe(true);
    expect(keys.isHeld('down', 5415)).toBe(false);
  });

  it('ignores gaps that are no auto-repeat when learning it', () => {
    const keys = new KeyHold();
    for (const start of [0, 1500, 3000]) {
      keys.event('up', start);
      keys.event('up', start + 60); // two quick taps, not a repeat delay
      keys.event('up', start + 500); // long after: a new press, not a repeat
    }
    expect(keys.repeat.observed).toEqual({ delayMs: null, intervalMs: null });
  });

  it('ends the previous key when another is pressed: only the last key repeats', () => {
    const keys = new KeyHold();
    keys.event('up', 0);
    keys.event('up', 400);
    keys.event('down', 420);
    expect(keys.isHeld('up', 421)).toBe(false);
    expect(keys.activeKey(421)).toBe('down');
  });
});

describe('KeyHold with kitty event types', () => {
  it('ends a hold at once on release', () => {
    const keys = new KeyHold();
    keys.event('up', 0, 'press');
    keys.event('up', 500, 'repeat');
    expect(keys.reportsReleases).toBe(true);
    expect(keys.event('up', 510, 'release')).toBe('ended');
    expect(keys.isHeld('up', 510)).toBe(false);
  });

  it('once releases are known, holds a press without repeats until its release', () => {
    const keys = new KeyHold();
    keys.event('down', 0, 'press');
    keys.event('down', 50, 'release');
    // The next press comes as a plain sequence (kitty sends CSI A for an unmodified press).
    expect(keys.event('up', 1000)).toBe('started');
    expect(keys.isConfirmed('up', 1000)).toBe(true);
    expect(keys.isHeld('up', 1900)).toBe(true);
    keys.event('up', 1950, 'release');
    expect(keys.isHeld('up', 1950)).toBe(false);
  });

  it('lets both keys be down and follows the one pressed last', () => {
    const keys = new KeyHold();
    keys.event('up', 0, 'release');
    keys.event('up', 10, 'press');
    keys.event('down', 20, 'press');
    expect(keys.activeKey(30)).toBe('down');
    keys.event('down', 40, 'release');
    expect(keys.activeKey(40)).toBe('up');
  });

  it('gives up on a release that never came after a second of silence', () => {
    const keys = new KeyHold();
    keys.event('up', 0, 'repeat');
    expect(keys.isHeld('up', 999)).toBe(true);
    expect(keys.isHeld('up', 1000)).toBe(false);
  });
});

describe('PaddleMotion', () => {
  it('nudges one unit on a tap and stays there', () => {
    const motion = new PaddleMotion(new KeyHold());
    motion.sync(4);
    expect(motion.onKey('up', 0)).toBe(3);
    expect(motion.tick(300)).toBeNull();
    expect(motion.tick(700)).toBeNull();
    expect(motion.isActive(700)).toBe(false);
    expect(motion.position).toBe(3);
  });

  it('glides once auto-repeat confirms the hold: 80 ms of acceleration, then 40 units/s', () => {
    const motion = new PaddleMotion(new KeyHold({ repeatTimeoutMs: 100 }));
    motion.sync(9);
    motion.onKey('up', 0); // 8
    motion.onKey('up', 400); // the first repeat: gliding starts here
    // The ramp: 40 u/s reached at 480 ms, having covered 40 x 0.08 / 2 = 1.6 units.
    expect(motion.tick(440)).toBeCloseTo(8 - 0.4, 2);
    expect(motion.tick(480)).toBeCloseTo(8 - 1.6, 2);
    for (let t = 490; t <= 550; t += 30) motion.onKey('up', t);
    // 480 → 550 at 40 u/s: 2.8 more.
    expect(motion.position).toBeCloseTo(3.6, 2);
    // The repeats stopped at 550: the hold ends at 650 and the paddle with it (4 more, then 0).
    expect(motion.tick(700)).toBeCloseTo(0, 2);
    expect(motion.tick(800)).toBeNull();
  });

  it('reaches the far wall in time for the fastest shot, and clamps to [0, 9]', () => {
    const keys = new KeyHold();
    const motion = new PaddleMotion(keys);
    motion.sync(0);
    keys.event('down', -100, 'release');
    motion.onKey('down', 0, 'press');
    let t = 0;
    while (motion.position < 9 && t < 1000) motion.tick((t += 16));
    expect(motion.position).toBe(9);
    // The fastest ball crosses in 473 ms; after 200 ms to react, 273 remain.
    expect(t).toBeLessThan(273);
    motion.tick(t + 200);
    expect(motion.position).toBe(9);
    motion.onKey('down', t + 210, 'release');
    // A press steps at once, then glides from the press.
    expect(motion.onKey('up', t + 220, 'press')).toBe(8);
    expect(motion.tick(t + 220 + 80)).toBeCloseTo(8 - 1.6, 5);
  });
});
