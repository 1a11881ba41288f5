/**
 * The match's statistics, counted by the client from what it sees: a rally is one point's
 * exchange, its length the paddle hits in it. A hit is the ball turning round horizontally
 * near a paddle (a wall bounce flips only dy; a serve starts from the middle), so frames lost
 * on the way cost nothing: the turned ball stays turned until the next hit, at least half a
 * second later. Pure apart from its own counters; fed once per drawn frame.
 */
import type { BallMessage, StateMessage } from '../protocol/messages.js';
import { COURT_WIDTH } from '../protocol/constants.js';

export interface MatchSummary {
  rallies: number;
  longestRally: number;
  totalHits: number;
}

/** How far from an end a turn still counts as a paddle hit (paddles sit 1–2 units in). */
const HIT_ZONE = 6;

export class MatchStats {
  private rallies = 0;
  private longest = 0;
  private total = 0;
  private current = 0;
  private lastDx = 0;
  private lastScore: number | null = null;

  constructor(private readonly width = COURT_WIDTH) {}

  get summary(): MatchSummary {
    return { rallies: this.rallies, longestRally: Math.max(this.longest, this.current), totalHits: this.total };
  }

  observe(ball: BallMessage | null, state: StateMessage | null): void {
    if (state !== null) {
      const score = state.p1Score + state.p2Score;
      if (this.lastScore !== null && score < this.lastScore) this.reset();
      if (this.lastScore !== null && score > this.lastScore) this.endRally();
      this.lastScore = score;
    }
    if (ball === null) return;
    const dx = Math.sign(ball.dx);
    const nearEnd = ball.x < HIT_ZONE || ball.x > this.width - HIT_ZONE;
    if (dx !== 0 && this.lastDx !== 0 && dx !== this.lastDx && nearEnd) {
      this.current += 1;
      this.total += 1;
    }
    if (dx !== 0) this.lastDx = dx;
  }

  private endRally(): void {
    this.rallies += 1;
    this.longest = Math.max(this.longest, this.current);
    this.current = 0;
    // The next serve may go either way: it is not a turn.
    this.lastDx = 0;
  }

  private reset(): void {
    this.rallies = 0;
    this.longest = 0;
    this.total = 0;
    this.current = 0;
    this.lastDx = 0;
  }
}
