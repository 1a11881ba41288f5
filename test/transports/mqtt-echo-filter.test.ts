import { describe, expect, it } from 'vitest';
import { EchoFilter } from '../../src/transports/mqtt/echo-filter.js';

describe('echo filter for MQTT 3.1.1 bridges', () => {
  it('drops each remembered publish once, and nothing else', () => {
    const filter = new EchoFilter();
    filter.sent('pong/game/a/ball', '{"seq":1}');
    filter.sent('pong/game/a/ball', '{"seq":1}');
    expect(filter.isEcho('pong/game/a/ball', Buffer.from('{"seq":2}'))).toBe(false);
    expect(filter.isEcho('pong/game/b/ball', Buffer.from('{"seq":1}'))).toBe(false);
    expect(filter.isEcho('pong/game/a/ball', Buffer.from('{"seq":1}'))).toBe(true);
    expect(filter.isEcho('pong/game/a/ball', Buffer.from('{"seq":1}'))).toBe(true);
    expect(filter.isEcho('pong/game/a/ball', Buffer.from('{"seq":1}'))).toBe(false);
    expect(filter.size).toBe(0);
  });

  it('forgets the oldest publishes beyond its bound', () => {
    const filter = new EchoFilter(3);
    for (let seq = 1; seq <= 5; seq++) filter.sent('t', `${seq}`);
    expect(filter.size).toBe(3);
    expect(filter.isEcho('t', Buffer.from('1'))).toBe(false);
    expect(filter.isEcho('t', Buffer.from('5'))).toBe(true);
  });
});
