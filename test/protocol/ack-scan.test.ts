import { describe, expect, it } from 'vitest';
import { scanAck } from '../../src/protocol/ack-scan.js';
import { ackText } from '../../src/protocol/ack-text.js';
import { decodeParsed, decodePayload, parsePayload, type DecodeResult } from '../../src/protocol/validate.js';
import type { AckMessage } from '../../src/protocol/messages.js';
import { mangle, seededRandom } from '../helpers/mangle.js';

const T = 1763774400123.412;

/** The general way, JSON.parse and decodeAck, which the scan must agree with. */
function fullDecode(text: string): DecodeResult<AckMessage> {
  const parsed = parsePayload(text);
  return parsed.ok ? decodeParsed('ack', parsed.value) : parsed;
}

describe('scanAck', () => {
  it('reads what clients send to the very numbers JSON.parse gives', () => {
    const next = seededRandom(1);
    for (let i = 0; i < 20_000; i++) {
      // Epoch ms to 1 µs, until 2255: beyond, 16 digits no longer convert exactly and the general way reads them.
      const timestamp = Math.round((1e12 + next() * 8e12) * 1000) / 1000;
      const seq = Math.floor(next() * 2 ** (1 + Math.floor(next() * 52)));
      const text = ackText({ seq, timestamp }, timestamp + next() * 500)!;
      const scanned = scanAck(text);
      expect(scanned, text).not.toBeNull();
      expect(scanned).toStrictEqual(JSON.parse(text));
      expect({ ok: true, value: scanned }).toStrictEqual(fullDecode(text));
    }
  });

  it('reads numbers at the edges of exact conversion as JSON.parse does', () => {
    const numbers = [
      '1',
      '0.1',
      '0.3',
      '9007199254740991',
      '900719925474099.1',
      '0.9007199254740991',
      '0.0000000000000000000001',
      '1763774400123.412',
      '99999999999999.99',
      '12.50',
      '7.000',
    ];
    for (const n of numbers) {
      const text = `{"seq":7,"timestamp":${n},"rx":${n}}`;
      const full = fullDecode(text);
      const scanned = scanAck(text);
      if (scanned !== null) expect({ ok: true, value: scanned }, text).toStrictEqual(full);
    }
    expect(scanAck('{"seq":7,"timestamp":0.1,"rx":0.3}')).toStrictEqual({ seq: 7, timestamp: 0.1, rx: 0.3 });
  });

  it('leaves anything else to the general decoder', () => {
    const others = [
      '{"seq": 1,"timestamp":5,"rx":6}',
      '{"seq":1,"timestamp":5,"rx":6,"x":1}',
      '{"timestamp":5,"seq":1,"rx":6}',
      '{"seq":1.0,"timestamp":5,"rx":6}',
      '{"seq":1,"timestamp":5e3,"rx":6}',
      '{"seq":1,"timestamp":-5,"rx":6}',
      '{"seq":01,"timestamp":5,"rx":6}',
      '{"seq":1,"timestamp":5.,"rx":6}',
      '{"seq":1,"timestamp":.5,"rx":6}',
      '{"seq":1,"timestamp":0,"rx":6}',
      '{"seq":1,"timestamp":5,"rx":1e14}',
      '{"seq":1,"timestamp":5,"rx":100000000000000}',
      '{"seq":9007199254740992,"timestamp":5,"rx":6}',
      '{"seq":1,"timestamp":9007199254740993,"rx":6}',
      '{"seq":1,"timestamp":5,"rx":0.00000000000000000000001}',
      '{"seq":1,"timestamp":5,"rx":6} ',
      '{"seq":1,"timestamp":5,"rx":6}}',
      '{"seq":1,"timestamp":5,"rx":"6"}',
      '{"seq":1,"timestamp":5,"rx":}',
      '{"seq":1,"timestamp":5,"rx"',
      '{"seq":',
      '',
    ];
    for (const text of others) expect(scanAck(text), text).toBeNull();
  });

  it('refuses nothing the general decoder accepts, and drops with its reasons', () => {
    const cases: Array<[string, string]> = [
      ['{"seq":-1,"timestamp":5,"rx":6}', 'out-of-range'],
      ['{"seq":1.5,"timestamp":5,"rx":6}', 'bad-field'],
      ['{"seq":1,"timestamp":0,"rx":6}', 'out-of-range'],
      ['{"seq":1,"timestamp":5,"rx":100000000000000}', 'out-of-range'],
      ['{"seq":9007199254740992,"timestamp":5,"rx":6}', 'out-of-range'],
      ['{"seq":1,"timestamp":"5","rx":6}', 'bad-field'],
      ['{"seq":01,"timestamp":5,"rx":6}', 'not-json'],
      ['{"seq":1,"timestamp":5,"rx":6}}', 'not-json'],
      ['[1,2,3]', 'not-object'],
      [`{"seq":1,"timestamp":5,"rx":6,"pad":"${'x'.repeat(5000)}"}`, 'too-large'],
    ];
    for (const [text, reason] of cases) {
      expect(decodePayload('ack', text), text).toStrictEqual({ ok: false, reason });
      expect(decodePayload('watcherAck', text), text).toStrictEqual({ ok: false, reason });
    }
    for (const text of ['{"seq":1,"timestamp":5e3,"rx":6}', '{ "seq": 1, "timestamp": 5, "rx": 6 }', '{"rx":6,"seq":1,"timestamp":5}']) {
      expect(decodePayload('ack', text)).toStrictEqual(fullDecode(text));
      expect(decodePayload('ack', text).ok).toBe(true);
    }
  });

  it('agrees with the general decoder on mangled acks', () => {
    const next = seededRandom(2);
    const alphabet = '0123456789.-+eE ,:"{}[]sqtrxn\n';
    const base = ackText({ seq: 1042, timestamp: T }, T + 0.8)!;
    for (let i = 0; i < 50_000; i++) {
      const text = mangle(base, alphabet, next);
      expect(decodePayload('ack', text), text).toStrictEqual(fullDecode(text));
    }
  });
});
