import { describe, expect, it } from 'vitest';
import { bytesPerFrame, WireRate } from '../../src/compare/wire-rate.js';

describe('bytes per frame', () => {
  it('divides the bytes received over an interval by the frames received over the same interval', () => {
    const rate = new WireRate();
    expect(rate.perFrame({ bytesIn: 1000, frames: 10 })).toBeNull();
    // Bytes and frames before the start (the handshake, the retained state) do not count.
    rate.start({ bytesIn: 5000, frames: 40 });
    expect(rate.perFrame({ bytesIn: 5000, frames: 40 })).toBeNull();
    expect(rate.perFrame({ bytesIn: 5000 + 60 * 230 + 115, frames: 100 })).toBe(231.9);
  });

  it('has no figure without frames, or when the counter went backwards (a new connection)', () => {
    expect(bytesPerFrame({ bytesIn: 0, frames: 0 }, { bytesIn: 500, frames: 0 })).toBeNull();
    expect(bytesPerFrame({ bytesIn: 900, frames: 1 }, { bytesIn: 100, frames: 5 })).toBeNull();
    expect(bytesPerFrame({ bytesIn: 0, frames: 0 }, { bytesIn: 3, frames: 3 })).toBe(1);
  });
});
