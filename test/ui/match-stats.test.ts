import { describe, expect, it } from 'vitest';
import { MatchStats } from '../../src/ui/match-stats.js';
import { countdownLines, resultLines } from '../../src/ui/overlays.js';
import type { BallMessage, StateMessage } from '../../src/protocol/messages.js';
import { latency } from './fake-source.js';

const ball = (x: number, dx: number): BallMessage => ({ x, y: 6, dx, dy: 0.1, timestamp: 0, seq: 0 });
const state = (p1Score: number, p2Score: number, extra: Partial<StateMessage> = {}): StateMessage => ({
  status: 'playing',
  p1Score,
  p2Score,
  servingPlayer: null,
  timestamp: 0,
  ...extra,
});

describe('MatchStats', () => {
  it('counts paddle hits per rally from the ball turning round near an end', () => {
    const stats = new MatchStats();
    // Rally 1: served right, returned by P2, by P1, then P2 misses.
    stats.observe(ball(20, 0.5), state(0, 0));
    stats.observe(ball(37, 0.5), state(0, 0));
    stats.observe(ball(37.5, -0.5), state(0, 0)); // P2 hit
    stats.observe(ball(20, -0.5), state(0, 0));
    stats.observe(ball(2.5, 0.6), state(0, 0)); // P1 hit
    stats.observe(ball(39, 0.6), state(1, 0)); // point
    // Rally 2: the serve goes left (no hit), P1 misses.
    stats.observe(ball(20, -0.5), state(1, 0));
    stats.observe(ball(1, -0.5), state(1, 1));
    expect(stats.summary).toEqual({ rallies: 2, longestRally: 2, totalHits: 2 });
    // A new game starts from nothing.
    stats.observe(ball(20, 0.5), state(0, 0));
    expect(stats.summary).toEqual({ rallies: 0, longestRally: 0, totalHits: 0 });
  });

  it('does not count a wall bounce or a serve as a hit', () => {
    const stats = new MatchStats();
    stats.observe(ball(20, 0.5), state(0, 0));
    stats.observe({ ...ball(22, 0.5), dy: -0.1 }, state(0, 0));
    stats.observe(ball(20, -0.5), state(0, 0));
    expect(stats.summary.totalHits).toBe(0);
  });
});

describe('overlays', () => {
  it('counts down to the serve on the server clock', () => {
    const s = state(0, 1, { servingPlayer: 1, autoServeAt: 10_000 });
    expect(countdownLines(s, 1, 7_500)).toEqual(['space to serve · 3']);
    expect(countdownLines(s, 2, 9_100)).toEqual(['P1 serves in 1']);
    expect(countdownLines(state(0, 0), 1, 0)).toBeNull();
  });

  it('shows the winner, the match statistics and how to play again', () => {
    const ended = state(11, 7, { status: 'ended', winner: 1 });
    const figures = latency({ mean: 1.234, offsetKnown: true });
    expect(resultLines(ended, 1, { rallies: 18, longestRally: 9, totalHits: 60 }, figures)).toEqual([
      'You win 11–7',
      'rallies 18 · longest 9 hits',
      'average latency 1.23 ms',
      'r to play again · q to quit',
    ]);
    expect(resultLines(ended, null, { rallies: 18, longestRally: 1, totalHits: 1 }, figures)).toEqual([
      'P1 wins 11–7',
      'rallies 18 · longest 1 hit',
      'average latency 1.23 ms',
      'q to quit',
    ]);
    expect(resultLines({ ...ended, forfeit: true }, 2, { rallies: 3, longestRally: 2, totalHits: 4 }, figures)?.[0]).toBe('P1 wins 11–7 by forfeit');
    expect(resultLines(state(1, 0), 1, { rallies: 1, longestRally: 0, totalHits: 0 }, figures)).toBeNull();
  });
});
