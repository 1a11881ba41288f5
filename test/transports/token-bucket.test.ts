import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/transports/token-bucket.js';

describe('TokenBucket', () => {
  it('allows the burst at once, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 10, () => now);
    const taken = Array.from({ length: 11 }, () => bucket.take());
    expect(taken.filter(Boolean)).toHaveLength(10);
    now = 50; // 5 tokens back
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });

  it('never holds more than the burst, however long it was idle', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 10, () => now);
    now = 60_000;
    expect(Array.from({ length: 20 }, () => bucket.take()).filter(Boolean)).toHaveLength(10);
  });
});
