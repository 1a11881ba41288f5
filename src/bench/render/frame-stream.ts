/**
 * Splits the game view's terminal output into frames. Every frame reaches the terminal as one
 * synchronized update (BSU … ESU, see src/ui/terminal-out.ts), so an ESU ends a frame. The
 * bytes go through a VirtualTerminal as well, because the court layer repaints only the rows
 * that changed (cursor moves, no newlines): the screen after each frame, not the frame's own
 * bytes, shows where the left paddle is.
 */
import { ESU } from '../../ui/terminal-out.js';
import { VirtualTerminal } from './virtual-terminal.js';

export interface Frame {
  /** When its last byte arrived (performance.now()). */
  at: number;
  bytes: number;
  /** The few cells right of the court's left wall on every court row, after this frame. */
  leftPaddle: string;
}

const PADDLE_CELLS = 4;

export class FrameStream {
  #pending = '';
  #pendingBytes = 0;
  readonly #terminal: VirtualTerminal;
  readonly frames: Frame[] = [];
  bytes = 0;

  constructor(columns: number, rows: number) {
    this.#terminal = new VirtualTerminal(columns, rows);
  }

  push(chunk: Buffer, at: number): void {
    this.bytes += chunk.length;
    this.#pendingBytes += chunk.length;
    this.#pending += chunk.toString('utf8');
    for (;;) {
      const end = this.#pending.indexOf(ESU);
      if (end === -1) break;
      const frame = this.#pending.slice(0, end + ESU.length);
      this.#pending = this.#pending.slice(end + ESU.length);
      this.#terminal.write(frame);
      this.frames.push({ at, bytes: this.#pendingBytes - Buffer.byteLength(this.#pending), leftPaddle: leftPaddle(this.#terminal.text()) });
      this.#pendingBytes = Buffer.byteLength(this.#pending);
    }
  }
}

/** The left paddle as the screen shows it: the block characters just inside the left wall, row by row. */
export function leftPaddle(screen: string): string {
  const lines = screen.split('\n').map((line) => line.trim());
  const top = lines.findIndex((line) => line.startsWith('▄▄') || line.startsWith('██'));
  if (top < 0) return '';
  const bottom = lines.findIndex((line, i) => i > top && (line.startsWith('▀▀') || line.startsWith('██')));
  if (bottom < 0) return '';
  return lines
    .slice(top + 1, bottom)
    .map((row) => [...row].slice(1, 1 + PADDLE_CELLS).map((c) => (/[▀▄█]/.test(c) ? c : ' ')).join(''))
    .join('|');
}
