/**
 * A game seen from outside every browser: a real `mosquitto_sub` on the game's ball, state and
 * command topics, so a test checks what the server did with what the page sent (the paddle in
 * the ball frames' p2y, the score, a serve).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface BallFrame {
  seq: number;
  p1y?: number;
  p2y?: number;
}

export interface WatchedState {
  status: string;
  p1Score: number;
  p2Score: number;
  servingPlayer: 1 | 2 | null;
  players?: { p1: boolean; p2: boolean };
}

export class GameWatch {
  readonly frames: BallFrame[] = [];
  readonly states: WatchedState[] = [];
  readonly serves: Array<{ player: number }> = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private rest = '';

  constructor(mqttUrl: string, game: string) {
    const url = new URL(mqttUrl);
    const root = `pong/game/${game}`;
    this.child = spawn('mosquitto_sub', ['-h', url.hostname, '-p', url.port, '-t', `${root}/ball`, '-t', `${root}/state`, '-t', `${root}/serve`, '-v']);
    this.child.stdout.on('data', (chunk: Buffer) => {
      const text = this.rest + chunk.toString('utf8');
      const lines = text.split('\n');
      this.rest = lines.pop() ?? '';
      for (const line of lines) this.line(root, line);
    });
  }

  get lastFrame(): BallFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  get lastState(): WatchedState | undefined {
    return this.states[this.states.length - 1];
  }

  get points(): number {
    const state = this.lastState;
    return state === undefined ? 0 : state.p1Score + state.p2Score;
  }

  stop(): void {
    this.child.kill();
  }

  private line(root: string, line: string): void {
    const space = line.indexOf(' ');
    if (space < 0) return;
    const topic = line.slice(0, space);
    let payload: unknown;
    try {
      payload = JSON.parse(line.slice(space + 1));
    } catch {
      return;
    }
    if (topic === `${root}/ball`) this.frames.push(payload as BallFrame);
    else if (topic === `${root}/state`) this.states.push(payload as WatchedState);
    else if (topic === `${root}/serve`) this.serves.push(payload as { player: number });
  }
}
