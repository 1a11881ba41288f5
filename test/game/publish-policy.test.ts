import { describe, expect, it } from 'vitest';
import { checkClientPublish } from '../../src/game/publish-policy.js';

const seats = { holderOf: (_game: string, player: 1 | 2) => (player === 1 ? 'alice' : null), proves: () => false };
const check = (topic: string, payload: string, clientId: string | null, retain = false) =>
  checkClientPublish({ topic: `pong/game/g/${topic}`, payload, retain }, clientId, seats);

describe('the publish policy of a game server', () => {
  it("lets a seat's holder publish for it, and nobody else", () => {
    expect(check('p1/paddle', '{"y":1}', 'alice')).toBeNull();
    expect(check('p1/paddle', '{"y":1}', 'mallory')).toBe('seat');
    expect(check('ack/p1', '{}', 'mallory')).toBe('seat');
    expect(check('ack/p1', '{}', 'alice')).toBeNull();
    // Where older pong clients still ack: the same seat, the same rule.
    expect(check('p1/ack', '{}', 'mallory')).toBe('seat');
    expect(check('p1/ack', '{}', 'alice')).toBeNull();
    expect(check('serve', '{"player":1,"timestamp":1}', 'mallory')).toBe('seat');
    expect(check('leave', '{"player":1,"timestamp":1}', 'mallory')).toBe('seat');
    expect(check('serve', '{"player":1,"timestamp":1}', 'alice')).toBeNull();
  });

  it('lets anyone speak for a free seat, and join for a taken one (the room answers it)', () => {
    expect(check('p2/paddle', '{"y":1}', 'bob')).toBeNull();
    expect(check('join', '{"player":1,"timestamp":1,"clientId":"bob"}', 'bob')).toBeNull();
  });

  it('refuses server topics, retained publishes, unknown topics and others\' names', () => {
    for (const topic of ['ball', 'state', 'stats', 'seat/alice', 'watch/bob/stats']) expect(check(topic, '{}', 'bob')).toBe('server-topic');
    expect(check('join', '{}', 'bob', true)).toBe('retained');
    expect(check('nonsense', '{}', 'bob')).toBe('unknown-topic');
    expect(checkClientPublish({ topic: 'pong/server/stats', payload: '{}' }, 'bob', seats)).toBe('unknown-topic');
    expect(check('watch/alice/ack', '{}', 'bob')).toBe('not-yours');
    expect(check('watch/bob/ack', '{}', 'bob')).toBeNull();
    expect(check('join', '{"spectator":true,"timestamp":1,"clientId":"alice"}', 'bob')).toBe('not-yours');
  });

  it('lets a serve, restart or ready naming no player through: the room counts it for the sender\'s seat', () => {
    for (const kind of ['serve', 'restart', 'ready']) expect(check(kind, '{"timestamp":1}', 'mallory')).toBeNull();
  });

  it('leaves malformed payloads to the room, which counts them', () => {
    expect(check('serve', 'not json', 'mallory')).toBeNull();
    expect(check('join', '[1,2]', 'mallory')).toBeNull();
  });

  it('reads a payload as the broker hands it over, a Buffer, as it reads the text', () => {
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    const asBuffer = (topic: string, text: string, clientId: string) => checkClientPublish({ topic: `pong/game/g/${topic}`, payload: bytes(text) }, clientId, seats);
    expect(asBuffer('join', '{"player":2,"timestamp":1,"clientId":"alice"}', 'bob')).toBe('not-yours');
    expect(asBuffer('serve', '{"player":1,"timestamp":1}', 'mallory')).toBe('seat');
    expect(asBuffer('serve', '{"player":1,"timestamp":1}', 'alice')).toBeNull();
    expect(asBuffer('ack/p1', '{"seq":1}', 'mallory')).toBe('seat');
    expect(asBuffer('serve', 'not json', 'mallory')).toBeNull();
  });
});
