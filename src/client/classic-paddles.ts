/**
 * The other paddles, for a client of a server whose ball frames may lack them: our server puts
 * both paddles in every frame, a classic one none, so the paddle topics are listened to only
 * while frames come without them. Every paddle move would otherwise be one more message for the
 * server to relay and for us to read, 60 a second while it moves.
 */
import type { BallMessage, PlayerNumber } from '../protocol/messages.js';
import { topics } from '../protocol/topics.js';
import type { TransportClient } from '../transports/transport.js';

export class ClassicPaddles {
  private inFrames = false;

  constructor(
    private readonly transport: TransportClient,
    private readonly gameId: string,
    /** Ours, drawn where we put it; null for a watcher. */
    private readonly own: PlayerNumber | null,
  ) {}

  /** The paddle topics to listen to from the start (until frames show they carry the paddles). */
  topics(): string[] {
    const both: PlayerNumber[] = [1, 2];
    return both.filter((player) => player !== this.own).map((player) => topics.paddle(this.gameId, player));
  }

  /** Listens to the paddle topics only while the frames lack the paddles; the server behind a topic may change. */
  follow(ball: BallMessage): void {
    const inFrame = ball.p1y !== undefined && ball.p2y !== undefined;
    if (inFrame === this.inFrames) return;
    this.inFrames = inFrame;
    for (const topic of this.topics()) {
      if (inFrame) this.transport.unsubscribe(topic);
      else this.transport.subscribe(topic);
    }
  }

  /** Whether a paddle message of `player` should be drawn: another's, while frames lack paddles (one still in flight is older than the frames'). */
  wants(player: PlayerNumber): boolean {
    return player !== this.own && !this.inFrames;
  }
}
