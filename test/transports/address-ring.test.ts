import { describe, expect, it } from 'vitest';
import { AddressRing, addressList } from '../../src/transports/address-ring.js';

describe('several addresses (a cluster\'s nodes)', () => {
  it('are read from a comma list, blanks dropped', () => {
    expect(addressList('http://a:1, http://b:2,,')).toEqual(['http://a:1', 'http://b:2']);
    expect(addressList('mqtt://a:1')).toEqual(['mqtt://a:1']);
  });

  it('are tried first to last, one more at each new attempt, round the ring', () => {
    const ring = new AddressRing(['a', 'b', 'c']);
    expect(ring.current).toBe('a');
    expect([ring.next(), ring.next(), ring.next(), ring.next()]).toEqual(['a', 'b', 'c', 'a']);
    const one = new AddressRing(['only']);
    expect([one.next(), one.next()]).toEqual(['only', 'only']);
    expect(() => new AddressRing([])).toThrow(RangeError);
  });
});
