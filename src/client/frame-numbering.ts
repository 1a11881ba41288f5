/**
 * Gives every ball frame a seq: ours come with the server's, a classic server's with none, and
 * are numbered here in the order they arrive, so that everything downstream that orders,
 * interpolates or follows frames by seq (smoothing, the bot, the views) takes them alike. A
 * number given here says nothing about loss; the latency figures are told which kind it is.
 */
import type { ArrivingBall, BallMessage } from '../protocol/messages.js';

export class FrameNumbering {
  private last = 0;

  number(ball: ArrivingBall): BallMessage {
    if (ball.seq !== undefined) {
      this.last = ball.seq;
      return ball as BallMessage;
    }
    this.last += 1;
    return { ...ball, seq: this.last };
  }
}
