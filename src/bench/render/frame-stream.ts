/**
 * Splits the game view's terminal output into frames. Every frame reaches the terminal as one
 * synchronized update (BSU … ESU, see src/ui/terminal-out.ts), so an ESU ends a frame. Each
 * frame gets a signature of the left paddle's column, to tell when a key's move shows.
 */
import { BSU, ESU } from '../../ui/terminal-out.js';

export interface Frame {
  /** When its last byte arrived (performance.now()). */
  at: number;
  bytes: number;
  /** The few cells right of the court's left wall on every court row. */
  leftPaddle: string;
}

// CSI sequences (colours, cursor moves, erase) and the two-byte ESC ones.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B[@-Z\\-_]/g;
const SIDE = '│';
const PADDLE_CELLS = 4;

export class FrameStream {
  #pending = '';
  #pendingBytes = 0;
  readonly frames: Frame[] = [];
  bytes = 0;

  push(chunk: Buffer, at: number): void {
    this.bytes += chunk.length;
    this.#pendingBytes += chunk.length;
    this.#pending += chunk.toString('utf8');
    for (;;) {
      const end = this.#pending.indexOf(ESU);
      if (end === -1) break;
      const text = this.#pending.slice(0, end);
      this.#pending = this.#pending.slice(end + ESU.length);
      const start = text.lastIndexOf(BSU);
      this.frames.push({ at, bytes: this.#pendingBytes, leftPaddle: leftPaddle(start === -1 ? text : text.slice(start + BSU.length)) });
      this.#pendingBytes = Buffer.byteLength(this.#pending);
    }
  }
}

export function leftPaddle(frame: string): string {
  const rows: string[] = [];
  for (const line of frame.replace(ANSI, '').split(/\r?\n/)) {
    const wall = line.indexOf(SIDE);
    if (wall !== -1) rows.push(line.slice(wall + 1, wall + 1 + PADDLE_CELLS));
  }
  return rows.join('|');
}
