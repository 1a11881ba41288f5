import { describe, expect, it } from 'vitest';
import { ackText, ackTextOf } from '../../src/protocol/ack-text.js';

describe('ackText', () => {
  it('echoes seq and timestamp and gives rx to the microsecond, as JSON', () => {
    const text = ackText({ x: 1, seq: 42, timestamp: 4999.25 }, 5000.1234)!;
    expect(JSON.parse(text)).toEqual({ seq: 42, timestamp: 4999.25, rx: 5000.123 });
    expect(text).toBe('{"seq":42,"timestamp":4999.25,"rx":5000.123}');
  });

  it('gives null for anything without a usable seq and timestamp', () => {
    for (const frame of [null, 7, 'x', [], {}, { seq: 1 }, { timestamp: 1 }, { seq: '1', timestamp: 2 }, { seq: -1, timestamp: 2 }, { seq: 1.5, timestamp: 2 }, { seq: 1, timestamp: Number.NaN }]) {
      expect(ackText(frame, 5), JSON.stringify(frame)).toBeNull();
    }
  });

  it('ackTextOf reads the frame from its JSON, and gives null for text that is not JSON', () => {
    expect(ackTextOf('{"seq":3,"timestamp":10.5}', 11)).toBe('{"seq":3,"timestamp":10.5,"rx":11}');
    expect(ackTextOf('{"seq":', 11)).toBeNull();
    expect(ackTextOf('null', 11)).toBeNull();
  });
});
