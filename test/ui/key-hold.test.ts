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
    for (let t = 533; t <= 830; t += 33) keys.event('down', t);
    expect(keys.isHeld('down', 900)).toBe(true);
    expect(keys.isHeld('down', 929)).toBe(true);
    expect(keys.isHeld('down', 930)).toBe(false);
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

  it('glides at 24 units per second while auto-repeat confirms the hold', () => {
    const motion = new PaddleMotion(new KeyHold());
    motion.sync(9);
    motion.onKey('up', 0); // 8
    motion.onKey('up', 400); // the first repeat: gliding starts here
    for (let t = 430; t <= 550; t += 30) motion.onKey('up', t);
    // 400 → 550 ms is 0.15 s at 24 u/s = 3.6 units.
    expect(motion.position).toBeCloseTo(4.4, 5);
    expect(motion.tick(600)).toBeCloseTo(3.2, 5);
    // The repeats stopped at 550: the hold ends at 650 and the paddle with it.
    expect(motion.tick(700)).toBeCloseTo(2.0, 5);
    expect(motion.tick(800)).toBeNull();
  });

  it('crosses the court in well under half a second and clamps to [0, 9]', () => {
    const keys = new KeyHold();
    const motion = new PaddleMotion(keys);
    motion.sync(0);
    keys.event('down', -100, 'release');
    motion.onKey('down', 0, 'press');
    let t = 0;
    while (motion.position < 9 && t < 1000) motion.tick((t += 16));
    expect(motion.position).toBe(9);
    expect(t).toBeLessThan(400);
    motion.tick(t + 200);
    expect(motion.position).toBe(9);
    motion.onKey('down', t + 210, 'release');
    expect(motion.onKey('up', t + 220, 'press')).toBeNull();
    expect(motion.tick(t + 220 + 1000 / 24)).toBeCloseTo(8, 5);
  });
});
