import { describe, expect, it } from 'vitest';
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  encodeFlags,
  encodeServerFrame,
  type ClientFrame,
} from '../../src/transports/framed/framing.js';
import { mangle, seededRandom } from '../helpers/mangle.js';

describe('framing (ws, WebRTC), client → server', () => {
  it('writes the documented bytes', () => {
    expect(encodeClientFrame({ kind: 'sub', filter: 'pong/game/demo/#' })).toBe('sub pong/game/demo/#');
    expect(encodeClientFrame({ kind: 'unsub', filter: 'pong/game/+/ball' })).toBe('unsub pong/game/+/ball');
    expect(encodeClientFrame({ kind: 'pub', topic: 'pong/game/demo/p1/paddle', qos: 0, retain: false, payload: '{"y":4.5}' })).toBe(
      'pub pong/game/demo/p1/paddle -\n{"y":4.5}',
    );
    expect(encodeClientFrame({ kind: 'pub', topic: 'pong/game/demo/state', qos: 1, retain: true, payload: '{}' })).toBe(
      'pub pong/game/demo/state q1r\n{}',
    );
  });

  it.each<ClientFrame>([
    { kind: 'sub', filter: 'pong/#' },
    { kind: 'unsub', filter: 'pong/game/+/p1/paddle' },
    { kind: 'pub', topic: 'pong/game/a/serve', qos: 1, retain: false, payload: '{"player":1}' },
    { kind: 'pub', topic: 'pong/game/a/state', qos: 0, retain: true, payload: '' },
    { kind: 'pub', topic: 'pong/game/a/x', qos: 0, retain: false, payload: 'two\nlines and spaces ✓\n' },
  ])('round-trips %o', (frame) => {
    expect(decodeClientFrame(encodeClientFrame(frame))).toEqual({ ok: true, frame });
  });

  it('reads every flag spelling and a missing flags token', () => {
    const flagsOf = (text: string) => {
      const decoded = decodeClientFrame(text);
      return decoded.ok && decoded.frame.kind === 'pub' ? [decoded.frame.qos, decoded.frame.retain] : decoded;
    };
    expect(flagsOf('pub t -\np')).toEqual([0, false]);
    expect(flagsOf('pub t q0\np')).toEqual([0, false]);
    expect(flagsOf('pub t q1\np')).toEqual([1, false]);
    expect(flagsOf('pub t r\np')).toEqual([0, true]);
    expect(flagsOf('pub t q0r\np')).toEqual([0, true]);
    expect(flagsOf('pub t q1r\np')).toEqual([1, true]);
    expect(flagsOf('pub t\np')).toEqual([0, false]);
    expect(encodeFlags(0, true)).toBe('r');
  });

  it.each([
    ['', 'empty'],
    ['\n{}', 'empty'],
    ['hello', 'unknown-command'],
    ['PUB t -\n{}', 'unknown-command'],
    ['sub', 'bad-header'],
    ['sub a b', 'bad-header'],
    ['sub a\n', 'bad-header'],
    ['sub  a', 'bad-header'],
    ['pub', 'bad-header'],
    ['pub t - extra\n{}', 'bad-header'],
    ['pub t q2\n{}', 'bad-flags'],
    ['pub t rq1\n{}', 'bad-flags'],
    ['pub t 1\n{}', 'bad-flags'],
  ])('refuses %j as %s', (text, error) => {
    expect(decodeClientFrame(text)).toEqual({ ok: false, error });
  });

  it('refuses to frame a topic with whitespace rather than send a different topic', () => {
    expect(() => encodeClientFrame({ kind: 'pub', topic: 'pong/a b', qos: 0, retain: false, payload: '' })).toThrow(TypeError);
    expect(() => encodeClientFrame({ kind: 'sub', filter: '' })).toThrow(TypeError);
  });
});

/**
 * The client frame decoder as it was written first (split into header, tokens and a flags
 * regex), kept as the reference the in-place decoder must agree with on every input.
 */
function referenceDecode(text: string): unknown {
  const newline = text.indexOf('\n');
  const header = newline < 0 ? text : text.slice(0, newline);
  const body = newline < 0 ? null : text.slice(newline + 1);
  if (header.length === 0) return { ok: false, error: 'empty' };
  const tokens = header.split(' ');
  const [command, target, flags] = tokens;
  const isToken = (value: string) => value.length > 0 && !/[\s]/.test(value);
  switch (command) {
    case 'sub':
    case 'unsub':
      if (tokens.length !== 2 || body !== null || !isToken(target ?? '')) return { ok: false, error: 'bad-header' };
      return { ok: true, frame: { kind: command, filter: target } };
    case 'pub':
    case 'will': {
      if (command === 'will' && tokens.length === 1 && body === null) return { ok: true, frame: { kind: 'will', will: null } };
      if (tokens.length < 2 || tokens.length > 3 || !isToken(target ?? '')) return { ok: false, error: 'bad-header' };
      const parsed = /^(?:-|(q[01])?(r)?)$/.exec(flags ?? '-');
      if (!parsed) return { ok: false, error: 'bad-flags' };
      const publish = { topic: target, qos: parsed[1] === 'q1' ? 1 : 0, retain: parsed[2] === 'r', payload: body ?? '' };
      return { ok: true, frame: command === 'pub' ? { kind: 'pub', ...publish } : { kind: 'will', will: publish } };
    }
    case 'bye':
      if (tokens.length !== 1 || body !== null) return { ok: false, error: 'bad-header' };
      return { ok: true, frame: { kind: 'bye' } };
    default:
      return { ok: false, error: 'unknown-command' };
  }
}

describe('framing (ws, WebRTC), client → server, read in place', () => {
  it('agrees with the split-and-regex reference on every flag spelling and header shape', () => {
    const commands = ['pub', 'will', 'sub', 'unsub', 'bye', 'PUB', 'pu', 'pubx', ''];
    const targets = ['', 'pong/game/a/p1/ack', 't', 'a\tb', 'a\rb'];
    const flags = [null, '', '-', 'q0', 'q1', 'r', 'q0r', 'q1r', 'q2', 'rq1', '-r', 'rr', 'qr', 'q', 'q1rr', 'x', '1'];
    const tails = [null, '', '{"seq":1}', 'a b\nc d'];
    for (const command of commands)
      for (const target of targets)
        for (const flag of flags)
          for (const extra of [null, '', 'x'])
            for (const tail of tails) {
              let header = command;
              if (target !== '' || flag !== null) header += ` ${target}`;
              if (flag !== null) header += ` ${flag}`;
              if (extra !== null) header += ` ${extra}`;
              for (const text of [header, ` ${header}`, `${header} `, header.replace(' ', '  ')]) {
                const framed = tail === null ? text : `${text}\n${tail}`;
                expect(decodeClientFrame(framed), JSON.stringify(framed)).toStrictEqual(referenceDecode(framed));
              }
            }
  });

  it('agrees with the reference on mangled frames', () => {
    const next = seededRandom(7);
    const alphabet = 'pubsnwilyeq01r- \n\t/x';
    const bases = ['pub pong/game/a/p1/ack -\n{"seq":1}', 'will pong/game/a/leave q1\n{}', 'sub pong/#', 'unsub a', 'bye', 'will'];
    for (let i = 0; i < 20_000; i++) {
      const text = mangle(bases[i % bases.length]!, alphabet, next);
      expect(decodeClientFrame(text), JSON.stringify(text)).toStrictEqual(referenceDecode(text));
    }
  });
});

describe('framing (ws, WebRTC), server → client', () => {
  it('writes and reads msg with the payload verbatim', () => {
    const text = encodeServerFrame({ kind: 'msg', topic: 'pong/game/demo/ball', payload: '{"x":1}\nsecond line' });
    expect(text).toBe('msg pong/game/demo/ball\n{"x":1}\nsecond line');
    expect(decodeServerFrame(text)).toEqual({ ok: true, frame: { kind: 'msg', topic: 'pong/game/demo/ball', payload: '{"x":1}\nsecond line' } });
  });

  it('keeps err on one line', () => {
    const text = encodeServerFrame({ kind: 'err', reason: 'bad-topic', detail: 'nope\nsecond' });
    expect(text).toBe('err bad-topic nope second');
    expect(decodeServerFrame(text)).toEqual({ ok: true, frame: { kind: 'err', reason: 'bad-topic', detail: 'nope second' } });
    expect(encodeServerFrame({ kind: 'err', reason: 'bad-frame', detail: '' })).toBe('err bad-frame');
    expect(decodeServerFrame('err bad-frame')).toEqual({ ok: true, frame: { kind: 'err', reason: 'bad-frame', detail: '' } });
  });

  it.each([
    ['', 'empty'],
    ['pub t -\n{}', 'unknown-command'],
    ['msg\n{}', 'bad-header'],
    ['msg a b\n{}', 'bad-header'],
    ['err', 'bad-header'],
    ['err Bad!', 'bad-header'],
  ])('refuses %j as %s', (text, error) => {
    expect(decodeServerFrame(text)).toEqual({ ok: false, error });
  });
});
