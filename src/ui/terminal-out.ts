/**
 * The stream Ink draws on, standing between it and the real terminal:
 * - the game gets the alternate screen, as full-screen programs do, so it starts at the top,
 *   leaves the shell's screen untouched and can be cleared and redrawn at will;
 * - each frame Ink writes as begin-synchronized-update … end (DEC mode 2026, which Ink 6.8
 *   emits on a TTY) reaches the terminal as one write: one syscall, and a terminal without
 *   mode 2026 still gets the frame in one piece;
 * - on a resize, output is held back until Ink has written the frame for the new size (React
 *   renders it a microtask or more later), then the screen is cleared and that frame drawn
 *   from the top, in one write: the terminal's reflow of the old frame never shows, and a
 *   layout that comes out identical (Ink then writes nothing) is not left blank.
 * - a painter that draws part of the screen itself (the court, see court-layer.ts) gets to
 *   append to every frame Ink writes, and to write between Ink's frames, in the same
 *   synchronized updates.
 * Everything else passes straight through to the real stream.
 */
import { EventEmitter } from 'node:events';

export const BSU = '\u001B[?2026h';
export const ESU = '\u001B[?2026l';
const ALT_SCREEN_ON = '\u001B[?1049h';
const ALT_SCREEN_OFF = '\u001B[?1049l';
const CLEAR_HOME = '\u001B[H\u001B[2J';
const SAVE_CURSOR = '\u001B7';
const RESTORE_CURSOR = '\u001B8';
/**
 * If the new size changes nothing Ink draws, it writes no frame: redraw the old one after this.
 * Otherwise the redraw waits for the first frame rendered for the new size, however long the
 * render takes on a busy machine.
 */
const RESIZE_SETTLE_MS = 50;

export interface TerminalOutOptions {
  /** Use the alternate screen (default: when the stream is a TTY). */
  altScreen?: boolean;
}

export interface TerminalOut {
  /** The stream to give Ink. */
  stream: NodeJS.WriteStream;
  /** What to draw over each frame Ink writes (with the cursor saved and restored around it). */
  setAfterFrame(paint: (() => string) | null): void;
  /** Draws over the current frame now, as one synchronized update, cursor left where it was. */
  writeOverlay(text: string): void;
  /** Leaves the alternate screen and stops following resizes. */
  restore(): void;
}

export function terminalOut(real: NodeJS.WriteStream, options: TerminalOutOptions = {}): TerminalOut {
  const events = new EventEmitter();
  const alt = options.altScreen ?? real.isTTY === true;
  let pending: string | null = null;
  /** The last complete frame, which is what Ink believes the screen shows. */
  let lastFrame: string | null = null;
  let holding = false;
  /** Frames written while Ink handles the resize event are for the old layout. */
  let inResizeEvent = false;
  let settle: NodeJS.Timeout | null = null;
  let afterFrame: (() => string) | null = null;
  const over = (): string => {
    const text = afterFrame?.() ?? '';
    return text === '' ? '' : SAVE_CURSOR + text + RESTORE_CURSOR;
  };
  const send = (text: string): void => {
    if (!holding) real.write(text);
  };

  const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (text === BSU) {
      pending = '';
    } else if (text === ESU && pending !== null) {
      lastFrame = pending;
      pending = null;
      if (!holding) send(BSU + lastFrame + over() + ESU);
      else if (!inResizeEvent) redraw();
    } else if (pending !== null) {
      pending += text;
    } else {
      // An unsynchronized write (Ink erasing its output when the terminal narrows) means the
      // last frame is no longer what the screen shows.
      lastFrame = null;
      send(text);
    }
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };

  const redraw = (): void => {
    if (settle !== null) clearTimeout(settle);
    settle = null;
    holding = false;
    send(BSU + CLEAR_HOME + (lastFrame ?? '') + over() + ESU);
  };
  const onResize = (): void => {
    holding = true;
    inResizeEvent = true;
    try {
      events.emit('resize');
    } finally {
      inResizeEvent = false;
    }
    // A window being dragged resizes many times: one redraw once it has stopped.
    if (settle !== null) clearTimeout(settle);
    settle = setTimeout(redraw, RESIZE_SETTLE_MS);
  };
  real.on('resize', onResize);
  // Ink draws from wherever the cursor is: the top of a clear screen, so painters know where.
  if (alt) real.write(ALT_SCREEN_ON + CLEAR_HOME);

  const stream = new Proxy(real, {
    get(target, property) {
      switch (property) {
        case 'write':
          return write;
        case 'on':
        case 'addListener':
        case 'once':
        case 'off':
        case 'removeListener':
          return (event: string, listener: (...args: unknown[]) => void) => {
            if (event === 'resize') events[property](event, listener);
            else (target[property] as (e: string, l: (...args: unknown[]) => void) => unknown).call(target, event, listener);
            return stream;
          };
        default: {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
      }
    },
  });

  return {
    stream,
    setAfterFrame: (paint) => {
      afterFrame = paint;
    },
    writeOverlay: (text) => {
      if (text !== '') send(BSU + SAVE_CURSOR + text + RESTORE_CURSOR + ESU);
    },
    restore: () => {
      real.off('resize', onResize);
      if (settle !== null) redraw();
      if (alt) real.write(ALT_SCREEN_OFF);
    },
  };
}
