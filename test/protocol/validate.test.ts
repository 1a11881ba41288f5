import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../src/protocol/constants.js';
import { DropCounter } from '../../src/protocol/drop-counter.js';
import {
  decodePayload,
  decodePayloadBytes,
  utf8LongerThan,
  type DropReason,
  type PayloadKind,
} from '../../src/protocol/validate.js';

const T = 1763774400123.412;

function ok<K extends PayloadKind>(kind: K, payload: unknown) {
  const result = decodePayload(kind, JSON.stringify(payload));
  if (!result.ok) throw new Error(`${kind} ${JSON.stringify(payload)} rejected: ${result.reason}`);
  return result.value;
}

function dropped(kind: PayloadKind, text: string): DropReason {
  const result = decodePayload(kind, text);
  if (result.ok) throw new Error(`${kind} ${text} accepted as ${JSON.stringify(result.value)}`);
  return result.reason;
}

function droppedJson(kind: PayloadKind, payload: unknown): DropReason {
  return dropped(kind, JSON.stringify(payload));
}

const ball = { x: 20.5, y: 6.25, dx: 0.5, dy: -0.5, timestamp: T, seq: 1042 };
const paddle = { y: 4.5, timestamp: T, seq: 77 };
const ack = { seq: 1042, timestamp: T, rx: T + 0.8 };
const state = { status: 'playing', p1Score: 3, p2Score: 2, servingPlayer: null, timestamp: T };
const join = { player: 1, timestamp: T };
const command = { player: 1, timestamp: T };
const summary = { last: 1.2, min: 0.4, mean: 1.1, p50: 1, p95: 2.5, p99: 3.25, max: 7 };
const peer = { samples: 600, rtt: summary, jitter: 0.12, offset: -3.5, framesLost: 2 };
const stats = { timestamp: T, p1: peer };

/** A valid example of every kind, in the shape the tables below mutate. */
const VALID: Record<PayloadKind, Record<string, unknown>> = {
  ball,
  paddle,
  ack,
  state,
  join,
  serve: command,
  restart: command,
  ready: command,
  stats,
  watcherAck: ack,
  watcherStats: { ...peer, timestamp: T },
  seat: { player: 1, granted: true, timestamp: T, token: 'tok_0123456789' },
  leave: { player: 2, timestamp: T },
};
const KINDS = Object.keys(VALID) as PayloadKind[];

/** Fields every kind requires, so removing or breaking any of them must drop the message. */
const REQUIRED: Record<PayloadKind, string[]> = {
  ball: ['x', 'y', 'dx', 'dy', 'timestamp'],
  paddle: ['y', 'timestamp'],
  ack: ['seq', 'timestamp', 'rx'],
  state: ['status', 'p1Score', 'p2Score', 'servingPlayer', 'timestamp'],
  join: ['timestamp'],
  serve: ['timestamp'],
  restart: ['timestamp'],
  ready: ['timestamp'],
  stats: ['timestamp'],
  watcherAck: ['seq', 'timestamp', 'rx'],
  watcherStats: ['samples', 'rtt', 'jitter', 'offset', 'framesLost', 'timestamp'],
  // `granted` is a boolean, which the generic wrong-type list cannot cover: see its own case.
  seat: ['player', 'timestamp'],
  leave: ['player', 'timestamp'],
};

describe('decodePayload: valid payloads', () => {
  it.each(KINDS)('accepts a valid %s', (kind) => {
    expect(ok(kind, VALID[kind])).toEqual(VALID[kind]);
  });

  it("accepts the classic demo's minimal shapes", () => {
    expect(ok('paddle', { y: 4.5, timestamp: T })).toEqual({ y: 4.5, timestamp: T });
    expect(ok('state', { status: 'waiting', p1Score: 0, p2Score: 0, servingPlayer: 1, timestamp: T })).toEqual({
      status: 'waiting',
      p1Score: 0,
      p2Score: 0,
      servingPlayer: 1,
      timestamp: T,
    });
    expect(ok('join', { player: 2, timestamp: T })).toEqual({ player: 2, timestamp: T });
    expect(ok('serve', { player: 2, timestamp: Date.now() })).toMatchObject({ player: 2 });
    expect(ok('restart', { player: 1, timestamp: Date.now() })).toMatchObject({ player: 1 });
    // The classic client's restart names no player; the classic server's frames carry no seq
    // and no paddles, and their floats are not rounded.
    expect(ok('restart', { timestamp: T })).toEqual({ timestamp: T });
    const classicBall = { x: 19.099999999999998, y: 6.19, dx: -0.3, dy: -0.3, timestamp: 1763774400123 };
    expect(ok('ball', classicBall)).toEqual(classicBall);
  });

  it('accepts every optional field and copies it', () => {
    expect(ok('ball', { ...ball, p1y: 0, p2y: 9 })).toEqual({ ...ball, p1y: 0, p2y: 9 });
    const full = {
      ...state,
      status: 'ended',
      winner: 2,
      players: { p1: true, p2: false },
      court: { width: 40, height: 12, paddleHeight: 3 },
      pointsToWin: 11,
      autoServeAt: T + 3000,
      rev: 17,
    };
    expect(ok('state', full)).toEqual(full);
    expect(ok('state', { ...state, winner: null, autoServeAt: null })).toEqual({ ...state, winner: null, autoServeAt: null });
    const spectator = { timestamp: T, spectator: true, clientId: 'watch-1.a_b', name: 'Zoë the 2nd!', transport: 'socketio' };
    expect(ok('join', spectator)).toEqual(spectator);
    const full2 = {
      timestamp: T,
      p1: { ...peer, transport: 'mqtt' },
      p2: peer,
      watchers: 3,
      dropped: { 'paddle:not-json': 3 },
      tick: { hz: 60.01, errorP99: 0.4 },
    };
    expect(ok('stats', full2)).toEqual(full2);
  });

  it('treats null optional fields as absent', () => {
    expect(ok('paddle', { y: 1, timestamp: T, seq: null })).toEqual({ y: 1, timestamp: T });
    expect(ok('join', { player: null, spectator: true, timestamp: T })).toEqual({ spectator: true, timestamp: T });
  });

  it('ignores unknown fields and does not copy them', () => {
    const value = ok('paddle', { ...paddle, evil: 'x'.repeat(100), nested: { a: 1 } });
    expect(value).toEqual(paddle);
    expect(Object.keys(value).sort()).toEqual(['seq', 'timestamp', 'y']);
  });

  it('does not let __proto__ through, at the top or in records', () => {
    const top = ok('paddle', JSON.parse(`{"y":1,"timestamp":${T},"__proto__":{"polluted":true}}`));
    expect(Object.getPrototypeOf(top)).toBe(Object.prototype);
    expect((top as unknown as Record<string, unknown>).polluted).toBeUndefined();
    const text = `{"timestamp":${T},"dropped":{"__proto__":1}}`;
    const result = decodePayload('stats', text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.value.dropped)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(result.value.dropped)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).samples).toBeUndefined();
  });

  it('clamps a paddle a hair outside the court and rejects one well outside', () => {
    expect(ok('paddle', { y: -0.2, timestamp: T }).y).toBe(0);
    expect(ok('paddle', { y: 9.3, timestamp: T }).y).toBe(9);
    expect(ok('ball', { ...ball, p2y: 9.4 }).p2y).toBe(9);
    expect(droppedJson('paddle', { y: -1, timestamp: T })).toBe('out-of-range');
    expect(droppedJson('paddle', { y: 10, timestamp: T })).toBe('out-of-range');
    expect(droppedJson('paddle', { y: 40, timestamp: T })).toBe('out-of-range');
  });

  it('lets the ball be reported just past the goal line', () => {
    expect(ok('ball', { ...ball, x: 0, y: 11.75 }).x).toBe(0);
    expect(ok('ball', { ...ball, x: 40.5 }).x).toBe(40.5);
    expect(droppedJson('ball', { ...ball, x: 400 })).toBe('out-of-range');
  });
});

describe('decodePayload: malformed payloads', () => {
  describe.each(KINDS)('%s', (kind) => {
    it('drops text that is not JSON', () => {
      expect(dropped(kind, '')).toBe('not-json');
      expect(dropped(kind, '{"y":')).toBe('not-json');
      expect(dropped(kind, "{'y': 1}")).toBe('not-json');
      expect(dropped(kind, 'NaN')).toBe('not-json');
      expect(dropped(kind, '\u0000\u00ff\ufffd\u0007binary')).toBe('not-json');
    });

    it('drops JSON that is not an object', () => {
      for (const text of ['null', '[]', '[{"y":1}]', '42', '"ball"', 'true']) expect(dropped(kind, text)).toBe('not-object');
    });

    it('drops a payload over the size limit before parsing it', () => {
      const big = JSON.stringify({ ...VALID[kind], pad: 'x'.repeat(MAX_PAYLOAD_BYTES) });
      expect(dropped(kind, big)).toBe('too-large');
      // Multi-byte characters count by their UTF-8 size, not their string length.
      const wide = JSON.stringify({ ...VALID[kind], pad: 'é'.repeat(MAX_PAYLOAD_BYTES / 2) });
      expect(wide.length).toBeLessThan(MAX_PAYLOAD_BYTES);
      expect(dropped(kind, wide)).toBe('too-large');
    });

    it.each(REQUIRED[kind])('drops it without %s, or with %s of the wrong type', (name) => {
      const { [name]: _removed, ...rest } = VALID[kind];
      expect(droppedJson(kind, rest)).toBe('bad-field');
      for (const wrong of ['1', 'NaN', 'Infinity', true, [], {}]) {
        expect(droppedJson(kind, { ...VALID[kind], [name]: wrong })).toBe('bad-field');
      }
    });

    it('drops absurd numbers and timestamps', () => {
      expect(droppedJson(kind, { ...VALID[kind], timestamp: 1e308 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], timestamp: -5 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], timestamp: 0 })).toBe('out-of-range');
      expect(dropped(kind, JSON.stringify(VALID[kind]).replace(/"timestamp":[^,}]+/, '"timestamp":1e400'))).toBe('bad-field');
    });
  });

  it('checks a seat grant: granted must be a boolean, a token opaque and bounded', () => {
    const { granted: _granted, ...ungranted } = VALID.seat;
    expect(droppedJson('seat', ungranted)).toBe('bad-field');
    expect(droppedJson('seat', { ...VALID.seat, granted: 'yes' })).toBe('bad-field');
    expect(droppedJson('seat', { ...VALID.seat, token: 'short' })).toBe('bad-field');
    expect(droppedJson('seat', { ...VALID.seat, token: 'has spaces in it!' })).toBe('bad-field');
    expect(droppedJson('paddle', { ...VALID.paddle, token: 'x'.repeat(65) })).toBe('out-of-range');
  });

  it('checks seq: a non-negative safe integer', () => {
    for (const kind of ['ball', 'ack', 'watcherAck', 'paddle'] as const) {
      expect(droppedJson(kind, { ...VALID[kind], seq: -1 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], seq: 1e308 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], seq: 2 ** 53 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], seq: 1.5 })).toBe('bad-field');
      expect(droppedJson(kind, { ...VALID[kind], seq: '7' })).toBe('bad-field');
    }
    expect(ok('ack', { ...ack, seq: 0 }).seq).toBe(0);
  });

  it('checks player: 1 or 2', () => {
    for (const kind of ['serve', 'restart', 'ready', 'join'] as const) {
      expect(droppedJson(kind, { ...VALID[kind], player: 3 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], player: 0 })).toBe('out-of-range');
      expect(droppedJson(kind, { ...VALID[kind], player: 1.5 })).toBe('bad-field');
      expect(droppedJson(kind, { ...VALID[kind], player: '1' })).toBe('bad-field');
    }
    expect(droppedJson('state', { ...state, servingPlayer: 3 })).toBe('out-of-range');
    expect(droppedJson('state', { ...state, winner: 0 })).toBe('out-of-range');
  });

  it('checks the ball', () => {
    expect(droppedJson('ball', { ...ball, dx: 1e308 })).toBe('out-of-range');
    expect(droppedJson('ball', { ...ball, y: -50 })).toBe('out-of-range');
    expect(droppedJson('ball', { ...ball, p1y: 'top' })).toBe('bad-field');
    expect(droppedJson('ball', { ...ball, p1y: 100 })).toBe('out-of-range');
  });

  it('checks the state', () => {
    expect(droppedJson('state', { ...state, status: 'PLAYING' })).toBe('bad-field');
    expect(droppedJson('state', { ...state, status: 'over' })).toBe('bad-field');
    expect(droppedJson('state', { ...state, p1Score: -1 })).toBe('out-of-range');
    expect(droppedJson('state', { ...state, p2Score: 1000 })).toBe('out-of-range');
    expect(droppedJson('state', { ...state, p2Score: 2.5 })).toBe('bad-field');
    expect(droppedJson('state', { ...state, players: { p1: 'yes', p2: true } })).toBe('bad-field');
    expect(droppedJson('state', { ...state, players: [true, true] })).toBe('bad-field');
    expect(droppedJson('state', { ...state, court: { width: 40, height: 0, paddleHeight: 3 } })).toBe('out-of-range');
    expect(droppedJson('state', { ...state, rev: -1 })).toBe('out-of-range');
    expect(droppedJson('state', { ...state, autoServeAt: 'soon' })).toBe('bad-field');
  });

  it('checks the strings of a join', () => {
    expect(droppedJson('join', { ...join, clientId: 'a'.repeat(65) })).toBe('out-of-range');
    expect(droppedJson('join', { ...join, clientId: 'has space' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, clientId: 'a/b' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, clientId: '' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, name: 'x'.repeat(500) })).toBe('out-of-range');
    expect(droppedJson('join', { ...join, name: 'evil\u001b[2J' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, name: 'bidi\u202eevil' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, name: 'tab\tname' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, name: 42 })).toBe('bad-field');
    expect(droppedJson('join', { ...join, transport: 'MQTT!' })).toBe('bad-field');
    expect(droppedJson('join', { ...join, spectator: 'yes' })).toBe('bad-field');
    // Neither a seat nor spectating.
    expect(droppedJson('join', { timestamp: T })).toBe('bad-field');
    expect(droppedJson('join', { timestamp: T, spectator: false })).toBe('bad-field');
  });

  it('checks the stats', () => {
    expect(droppedJson('stats', { ...stats, p1: { ...peer, rtt: [] } })).toBe('bad-field');
    expect(droppedJson('stats', { ...stats, p1: { ...peer, rtt: { ...summary, p99: -1 } } })).toBe('out-of-range');
    expect(droppedJson('stats', { ...stats, p1: { ...peer, framesLost: -2 } })).toBe('out-of-range');
    expect(droppedJson('stats', { ...stats, p2: { ...peer, offset: 'NaN' } })).toBe('bad-field');
    expect(droppedJson('stats', { ...stats, watchers: { ok: peer } })).toBe('bad-field');
    expect(droppedJson('stats', { ...stats, watchers: -1 })).toBe('out-of-range');
    expect(droppedJson('watcherStats', { ...peer, timestamp: T, samples: 1.5 })).toBe('bad-field');
    expect(droppedJson('stats', { ...stats, dropped: { 'paddle:not-json': -1 } })).toBe('out-of-range');
    expect(droppedJson('stats', { ...stats, tick: { hz: 'fast', errorP99: 1 } })).toBe('bad-field');
  });

  it('never throws and never accepts garbage, over thousands of random strings', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = '{}[]":,0123456789.-+eE truefalsnl\\u\u0000\u00ff\ud800xyzseqtimestampdxdyplayer';
    const fragments = [...Object.values(VALID).map((v) => JSON.stringify(v)), '"__proto__"', '1e308', 'NaN', '"NaN"', 'null'];
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      let text = '';
      const len = Math.floor(rand() * 80);
      for (let j = 0; j < len; j++) {
        text += rand() < 0.1 ? fragments[Math.floor(rand() * fragments.length)] : alphabet[Math.floor(rand() * alphabet.length)];
      }
      if (rand() < 0.2) {
        // Mutate a valid payload: flip one character, which often still parses.
        const base = fragments[Math.floor(rand() * (fragments.length - 5))]!;
        const at = Math.floor(rand() * base.length);
        text = base.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + base.slice(at + 1);
      }
      for (const kind of KINDS) {
        const result = decodePayload(kind, text);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          accepted += 1;
          // Whatever got through must survive a round trip as the same clean object.
          expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
        }
      }
    }
    expect(accepted).toBeLessThan(5000 * KINDS.length);
  });

  it('survives inputs that are not even strings', () => {
    for (const input of [undefined, null, 42, {}, Symbol('x')] as unknown[]) {
      expect(decodePayload('ball', input as string)).toEqual({ ok: false, reason: 'not-json' });
    }
    expect(decodePayload('nonsense' as PayloadKind, JSON.stringify(ball))).toEqual({ ok: false, reason: 'bad-field' });
  });
});

describe('utf8LongerThan', () => {
  it('counts UTF-8 bytes as Buffer.byteLength does, at and around the limit', () => {
    const limit = 12;
    const pieces = ['a', 'é', '€', '😀', '\ud800', '\udfff', 'x\ud800y'];
    for (const piece of pieces) {
      for (let repeat = 1; repeat <= 13; repeat++) {
        const text = piece.repeat(repeat);
        for (const max of [limit - 1, limit, limit + 1]) {
          expect(utf8LongerThan(text, max), `${JSON.stringify(text)} over ${max}`).toBe(Buffer.byteLength(text, 'utf8') > max);
        }
      }
    }
  });
});

describe('decodePayloadBytes', () => {
  it('decodes UTF-8 bytes and rejects invalid UTF-8 and oversized buffers', () => {
    expect(decodePayloadBytes('paddle', Buffer.from(JSON.stringify(paddle)))).toEqual({ ok: true, value: paddle });
    expect(decodePayloadBytes('paddle', new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))).toEqual({ ok: false, reason: 'not-json' });
    expect(decodePayloadBytes('paddle', new Uint8Array(MAX_PAYLOAD_BYTES + 1))).toEqual({ ok: false, reason: 'too-large' });
  });
});

describe('DropCounter', () => {
  it('counts by kind and reason', () => {
    const counter = new DropCounter();
    expect(counter.total).toBe(0);
    expect(counter.snapshot()).toEqual({});
    counter.record('paddle', 'not-json');
    counter.record('paddle', 'not-json');
    counter.record('paddle', 'not-json');
    counter.record('ack', 'bad-field');
    expect(counter.total).toBe(4);
    expect(counter.snapshot()).toEqual({ 'paddle:not-json': 3, 'ack:bad-field': 1 });
  });

  it('pools kinds it cannot name or has too many of, so its snapshot stays valid stats', () => {
    const counter = new DropCounter();
    counter.record('bad kind/with slash', 'too-large');
    for (let i = 0; i < 1000; i++) counter.record(`kind${i}`, 'not-object');
    const snapshot = counter.snapshot();
    expect(counter.total).toBe(1001);
    expect(Object.keys(snapshot).length).toBeLessThanOrEqual(130);
    expect(snapshot['other:too-large']).toBe(1);
    expect(Object.values(snapshot).reduce((a, b) => a + b, 0)).toBe(1001);
    expect(decodePayload('stats', JSON.stringify({ timestamp: T, dropped: snapshot })).ok).toBe(true);
  });

  it('snapshots are copies', () => {
    const counter = new DropCounter();
    counter.record('ball', 'bad-field');
    const before = counter.snapshot();
    counter.record('ball', 'bad-field');
    expect(before).toEqual({ 'ball:bad-field': 1 });
    counter.reset();
    expect(counter.total).toBe(0);
  });
});
