/**
 * Reading the game's screen back from the bytes it wrote to the terminal: every synchronized
 * update (begin … end, DEC mode 2026) is a frame, and the screen after it, as a terminal would
 * show it (VirtualTerminal), is that frame's text. From it: the court's rows and P1's paddle.
 */
import { VirtualTerminal } from '../../test/helpers/virtual-terminal.js';

const BSU = '\u001B[?2026h';
const ESU = '\u001B[?2026l';

export interface TermFrame {
  /** performance.now() when the frame's last byte arrived. */
  at: number;
  text: string;
  /** Bytes written for the frame, markers included. */
  bytes: number;
}

/** Splits a byte stream into frames as chunks arrive. */
export class FrameReader {
  private pending = '';
  readonly frames: TermFrame[] = [];
  private readonly listeners: Array<(frame: TermFrame) => void> = [];
  totalBytes = 0;
  private readonly terminal: VirtualTerminal;

  constructor(columns: number, rows: number) {
    this.terminal = new VirtualTerminal(columns, rows);
  }

  onFrame(listener: (frame: TermFrame) => void): void {
    this.listeners.push(listener);
  }

  push(chunk: Buffer, at: number): void {
    this.totalBytes += chunk.length;
    this.terminal.write(chunk.toString('utf8'));
    this.pending += chunk.toString('utf8');
    for (;;) {
      const start = this.pending.indexOf(BSU);
      if (start < 0) {
        this.pending = '';
        return;
      }
      const end = this.pending.indexOf(ESU, start);
      if (end < 0) {
        this.pending = this.pending.slice(start);
        return;
      }
      const raw = this.pending.slice(start, end + ESU.length);
      this.pending = this.pending.slice(end + ESU.length);
      const frame = { at, text: this.terminal.text(), bytes: Buffer.byteLength(raw) };
      this.frames.push(frame);
      for (const listener of this.listeners) listener(frame);
    }
  }
}

/** The court's play rows (between the walls), without margins; null if the frame has none. */
export function courtRows(text: string): string[] | null {
  const lines = text.split('\n').map((line) => line.trim());
  const top = lines.findIndex((line) => line.startsWith('▄▄') || line.startsWith('██'));
  if (top < 0) return null;
  const bottom = lines.findIndex((line, i) => i > top && (line.startsWith('▀▀') || line.startsWith('██')));
  if (bottom < 0) return null;
  return lines.slice(top + 1, bottom);
}

/** P1's paddle as drawn: the block characters of the first columns inside the goal line. */
export function paddleSignature(rows: readonly string[]): string {
  return rows.map((row) => [...row].slice(1, 5).map((c) => (/[▀▄█]/.test(c) ? c : ' ')).join('')).join('|');
}
