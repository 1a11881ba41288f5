import { describe, expect, it } from 'vitest';
import { isClientEvent, parseFilter, parseMessage, parsePublish } from '../../src/transports/socketio/events.js';

describe('Socket.io event arguments', () => {
  it('accepts pub with and without flags', () => {
    expect(parsePublish(['pong/game/a/ball', '{}'])).toEqual({ topic: 'pong/game/a/ball', payload: '{}' });
    expect(parsePublish(['pong/game/a/state', '{}', { qos: 1, retain: true }])).toEqual({
      topic: 'pong/game/a/state',
      payload: '{}',
      qos: 1,
      retain: true,
    });
    expect(parsePublish(['t', 'p', {}])).toEqual({ topic: 't', payload: 'p' });
    expect(parsePublish(['t', 'p', null])).toEqual({ topic: 't', payload: 'p' });
  });

  it('ignores a trailing acknowledgement callback', () => {
    expect(parsePublish(['t', 'p', { qos: 0 }, () => undefined])).toEqual({ topic: 't', payload: 'p', qos: 0 });
    expect(parseFilter(['pong/#', () => undefined])).toBe('pong/#');
  });

  it.each([
    ['no arguments', []],
    ['a topic only', ['t']],
    ['a non-string topic', [42, 'p']],
    ['a number payload', ['t', 5]],
    ['an object payload', ['t', { y: 1 }]],
    ['qos 2', ['t', 'p', { qos: 2 }]],
    ['a string qos', ['t', 'p', { qos: '1' }]],
    ['a non-boolean retain', ['t', 'p', { retain: 1 }]],
    ['flags that are an array', ['t', 'p', [1]]],
    ['flags that are a string', ['t', 'p', 'qos1']],
    ['too many arguments', ['t', 'p', {}, 'extra']],
  ])('refuses pub with %s', (_name, args) => {
    expect(parsePublish(args as unknown[])).toBeNull();
  });

  it('takes exactly one string filter', () => {
    expect(parseFilter(['pong/game/+/ball'])).toBe('pong/game/+/ball');
    expect(parseFilter([])).toBeNull();
    expect(parseFilter([7])).toBeNull();
    expect(parseFilter(['a', 'b'])).toBeNull();
  });

  it('checks msg on the client side too', () => {
    expect(parseMessage(['t', 'p'])).toEqual({ topic: 't', payload: 'p' });
    expect(parseMessage(['t'])).toBeNull();
    expect(parseMessage(['t', 1])).toBeNull();
  });

  it('knows the client events', () => {
    expect(['pub', 'sub', 'unsub'].every(isClientEvent)).toBe(true);
    expect(isClientEvent('msg')).toBe(false);
    expect(isClientEvent(3)).toBe(false);
  });
});
