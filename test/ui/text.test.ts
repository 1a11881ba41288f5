import { describe, expect, it } from 'vitest';
import type { StateMessage } from '../../src/protocol/messages.js';
import { connectionText, formatMs, latencyHeading, latencyItems, packItems, statusText } from '../../src/ui/text.js';
import { latency } from './fake-source.js';

const state = (patch: Partial<StateMessage>): StateMessage => ({
  status: 'playing',
  p1Score: 0,
  p2Score: 0,
  servingPlayer: null,
  timestamp: 0,
  ...patch,
});

describe('statusText', () => {
  it('tells the serving player which key to press, and nobody else', () => {
    const serve = state({ servingPlayer: 1 });
    expect(statusText(serve, 1, 0)).toBe('P1 to serve — space');
    expect(statusText(serve, 2, 0)).toBe('P1 to serve');
    expect(statusText(serve, null, 0)).toBe('P1 to serve');
  });

  it('counts down to the automatic serve', () => {
    const serve = state({ servingPlayer: 2, autoServeAt: 10_000 });
    expect(statusText(serve, 2, 7_100)).toBe('P2 to serve — space · auto-serve in 3s');
    expect(statusText(serve, 2, 10_000)).toBe('P2 to serve — space');
  });

  it('names the winner with their score first', () => {
    expect(statusText(state({ status: 'ended', p1Score: 11, p2Score: 7, winner: 1 }), 1, 0)).toBe(
      'P1 wins 11–7 — r to restart',
    );
    expect(statusText(state({ status: 'ended', p1Score: 4, p2Score: 11, winner: 2 }), null, 0)).toBe('P2 wins 11–4');
  });

  it('says who is awaited', () => {
    expect(statusText(state({ status: 'waiting' }), 1, 0)).toBe('Waiting for player 2');
    expect(statusText(state({ status: 'waiting', players: { p1: false, p2: true } }), 2, 0)).toBe('Waiting for player 1');
    expect(statusText(state({ status: 'paused', players: { p1: true, p2: false } }), 1, 0)).toBe(
      'Waiting for P2 to reconnect',
    );
  });

  it('counts down to a forfeit while a dropped player is awaited, and says a win was by forfeit', () => {
    const paused = state({ status: 'paused', players: { p1: true, p2: false }, missing: [2], forfeitAt: 60_000 });
    expect(statusText(paused, 1, 3_000)).toBe('Waiting for P2 to reconnect — 57 s');
    expect(statusText(paused, 1, 61_000)).toBe('Waiting for P2 to reconnect — 0 s');
    const restored = state({ status: 'paused', players: { p1: false, p2: false }, missing: [1, 2], forfeitAt: 60_000 });
    expect(statusText(restored, null, 0)).toBe('Waiting for P1 and P2 to reconnect — 60 s');
    expect(statusText(state({ status: 'ended', p1Score: 2, p2Score: 1, winner: 1, forfeit: true }), null, 0)).toBe(
      'P1 wins 2–1 by forfeit',
    );
    expect(statusText(null, 1, 0)).toBe('Waiting for the game state…');
  });
});

describe('figures', () => {
  it('formats milliseconds with the digits that matter and marks estimates', () => {
    expect(formatMs(0.8512)).toBe('0.85');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(250.6, true)).toBe('~251');
    expect(formatMs(null)).toBe('–');
  });

  it('marks one-way figures approximate until the clock offset is known', () => {
    const items = latencyItems(latency({ last: 1.2, p50: 1, p95: 2, p99: 3, jitter: 0.2 }), null);
    expect(items).toEqual(['last ~1.20', 'p50 ~1.00', 'p95 ~2.00', 'p99 ~3.00', 'jitter 0.20', 'lost 0']);
  });

  it('says plainly what a classic server leaves unmeasurable, then what can be measured', () => {
    const classic = latency({
      unnumbered: true,
      p50: 0.8,
      jitter: 7.9,
      interval: { last: 16, p50: 16.2, p99: 45.1, max: 61, gaps: 12 },
    });
    expect(latencyHeading(classic)).toBe('classic server:');
    expect(latencyItems(classic, null)).toEqual([
      'no acks: no round trip',
      'no seq: loss unknown',
      'frame interval ms p50 16.2 p99 45.1 max 61.0',
      'jitter 7.90',
      'gaps 12',
      'one-way ~0.80 if clocks agree',
    ]);
    expect(latencyHeading(latency())).toBe('one-way ms');
  });

  it('packs items into a fixed number of lines and drops the rest', () => {
    expect(packItems(['aaa', 'bbb', 'ccc', 'ddd'], 8, 2)).toEqual(['aaa  bbb', 'ccc  ddd']);
    expect(packItems(['aaa', 'bbb', 'ccc', 'ddd', 'eee'], 8, 2)).toEqual(['aaa  bbb', 'ccc  ddd']);
  });

  it('puts game and role before the connection detail', () => {
    expect(connectionText('demo', 'P2', 'ws', 'reconnecting', 'socket closed')).toBe(
      'game demo · P2 · ws reconnecting… (socket closed)',
    );
  });
});
