/**
 * The game state as it goes on the wire: the classic demo's field names, numbers rounded so a
 * frame stays short and readable in mosquitto_sub (a millimetre of court is invisible on any
 * terminal; a microsecond is below any latency we report).
 */
import type { BallMessage } from '../protocol/messages.js';
import { decimalText } from '../protocol/decimal-text.js';
import type { GameState } from './model.js';

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  // -0 would print as 0 anyway; normalising keeps deep-equality in tests honest.
  return rounded === 0 ? 0 : rounded;
}

export function ballFrame(state: GameState, seq: number, timestamp: number): BallMessage {
  const { ball, paddles } = state;
  return {
    x: round(ball.x, 3),
    y: round(ball.y, 3),
    dx: round(ball.dx, 4),
    dy: round(ball.dy, 4),
    timestamp: round(timestamp, 3),
    seq,
    p1y: round(paddles.p1.y, 3),
    p2y: round(paddles.p2.y, 3),
  };
}

/**
 * The ball frame as JSON text, exactly as JSON.stringify(ballFrame(...)) would write it, with
 * the clock read last: `timestamp` is the frame's send time, and the work of writing the rest
 * (cold code at the start of every tick, tens of microseconds here) is not network latency.
 */
export function ballFrameText(state: GameState, seq: number, clock: () => number): string {
  // The rounding rules of ballFrame, written straight to text (see decimal-text.ts).
  const { ball, paddles } = state;
  const head = `{"x":${decimalText(ball.x, 3)},"y":${decimalText(ball.y, 3)},"dx":${decimalText(ball.dx, 4)},"dy":${decimalText(ball.dy, 4)},"timestamp":`;
  const tail = `,"seq":${decimalText(seq, 0)},"p1y":${decimalText(paddles.p1.y, 3)},"p2y":${decimalText(paddles.p2.y, 3)}}`;
  return head + decimalText(clock(), 3) + tail;
}

