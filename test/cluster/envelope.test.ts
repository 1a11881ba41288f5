import { describe, expect, it } from 'vitest';
import { decodeEnvelope, EnvelopeCodec, encodeEnvelope, type Envelope } from '../../src/cluster/envelope.js';

const senders = (clientId: string | null, address: string) => ({ clientId, address });

describe('envelope: a bus message between nodes', () => {
  it('round-trips, payload untouched', () => {
    const envelope: Envelope = {
      node: 'A',
      fence: 7,
      server: true,
      topic: 'pong/game/g/seat/c-1',
      payload: '{"player":1,"granted":true}\n{"x":1}',
      qos: 1,
      retain: false,
      to: 'c-1',
      sender: { clientId: 'c-1', address: '127.0.0.1' },
    };
    expect(decodeEnvelope(encodeEnvelope(envelope), senders)).toEqual({ ok: true, value: envelope });
  });

  it('refuses what a peer or Redis could hand over malformed, with a reason', () => {
    const good = encodeEnvelope({ node: 'A', fence: 0, server: false, topic: 'pong/game/g/p1/paddle', payload: '{}', qos: 0, retain: false, to: undefined, sender: undefined });
    const header = good.slice(0, good.indexOf('\n'));
    const cases: Array<[string, string]> = [
      ['no header', 'envelope-header'],
      [`{not json\n{}`, 'envelope-json'],
      [`${header.replace('"n":"A"', '"n":""')}\n{}`, 'envelope-node'],
      [`${header.replace('"f":0', '"f":-1')}\n{}`, 'envelope-fence'],
      [`${header.replace('"q":0', '"q":2')}\n{}`, 'envelope-flags'],
      [`${header.replace('pong/game/g/p1/paddle', 'elsewhere/x')}\n{}`, 'envelope-topic'],
      [`${header}\n${'x'.repeat(100_000)}`, 'envelope-too-large'],
    ];
    for (const [text, reason] of cases) expect(decodeEnvelope(text, senders)).toEqual({ ok: false, reason });
  });
});

describe('envelope codec: the same, its headers remembered', () => {
  it('encodes and decodes as the plain functions do, message after message', () => {
    const codec = new EnvelopeCodec(senders);
    for (let seq = 1; seq <= 3; seq++) {
      const envelope: Envelope = { node: 'B', fence: 2, server: true, topic: 'pong/game/g/ball', payload: `{"seq":${seq}}`, qos: 0, retain: false, to: undefined, sender: undefined };
      const text = codec.encode(envelope);
      expect(text).toBe(encodeEnvelope(envelope));
      expect(codec.decode(text)).toEqual(decodeEnvelope(text, senders));
    }
    expect(codec.decode('{"n":1}\n{}')).toEqual({ ok: false, reason: 'envelope-node' });
  });
});
