/**
 * The text shown over the court: the help (on `?`), the countdown to a serve, and the result
 * with the match's statistics. Pure, like text.ts: wording is decided and tested here.
 */
import type { PlayerNumber, StateMessage } from '../protocol/messages.js';
import type { LatencySnapshot } from '../metrics/frame-latency.js';
import type { MatchSummary } from './match-stats.js';
import { formatMs, type ViewMode } from './text.js';

export const HELP_LINES: Record<ViewMode, readonly string[]> = {
  play: [
    'keys',
    '↑ ↓  w s    move (hold to glide)',
    'space       serve',
    'r           play again, after a game',
    '?           close this help',
    'q  Ctrl-C   quit',
  ],
  watch: ['keys', '?           close this help', 'q  Ctrl-C   quit'],
};

/** "P1 serves in 3", or the key to press when it is this view's serve; null when no serve is due. */
export function countdownLines(state: StateMessage | null, me: PlayerNumber | null, serverNow: number): string[] | null {
  if (state === null || state.status !== 'playing' || state.servingPlayer === null) return null;
  const serving = state.servingPlayer;
  const autoAt = state.autoServeAt;
  const seconds = autoAt !== undefined && autoAt !== null && autoAt > serverNow ? Math.ceil((autoAt - serverNow) / 1000) : null;
  if (me === serving) return [seconds === null ? 'space to serve' : `space to serve · ${seconds}`];
  return [seconds === null ? `P${serving} to serve` : `P${serving} serves in ${seconds}`];
}

export function resultLines(
  state: StateMessage | null,
  me: PlayerNumber | null,
  stats: MatchSummary,
  latency: LatencySnapshot,
): string[] | null {
  if (state === null || state.status !== 'ended') return null;
  const winner = state.winner ?? (state.p1Score === state.p2Score ? null : state.p1Score > state.p2Score ? 1 : 2);
  const [won, lost] = winner === 2 ? [state.p2Score, state.p1Score] : [state.p1Score, state.p2Score];
  const score = `${won}–${lost}${state.forfeit ? ' by forfeit' : ''}`;
  const headline = winner === null ? 'Game over' : me !== null && me === winner ? `You win ${score}` : `P${winner} wins ${score}`;
  const lines = [
    headline,
    `rallies ${stats.rallies} · longest ${stats.longestRally} ${stats.longestRally === 1 ? 'hit' : 'hits'}`,
    `average latency ${formatMs(latency.mean, !latency.offsetKnown)} ms`,
  ];
  lines.push(me !== null ? 'r to play again · q to quit' : 'q to quit');
  return lines;
}
