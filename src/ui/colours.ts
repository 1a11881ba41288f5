/**
 * Whether to colour, and with what. NO_COLOR (any non-empty value, see no-color.org) and
 * FORCE_COLOR=0 turn colour off; so does TERM=dumb. Without colour the game must still read:
 * the ball is braille and the paddles blocks, and emphasis (the score flash, the result) uses
 * glyphs, bold and inverse video, which NO_COLOR leaves alone and monochrome terminals show.
 */
import type { CellKind } from './court.js';

export interface Palette {
  enabled: boolean;
  /** Ink colour per court cell kind; undefined draws in the terminal's own colours. */
  court: Partial<Record<CellKind, string>>;
  /** Court kinds drawn dim (the lines that frame the game without competing with it). */
  dim: ReadonlySet<CellKind>;
  p1: string | undefined;
  p2: string | undefined;
}

export function colourEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

const DIM: ReadonlySet<CellKind> = new Set<CellKind>(['side', 'centre']);

export function palette(enabled: boolean): Palette {
  if (!enabled) return { enabled, court: {}, dim: DIM, p1: undefined, p2: undefined };
  return {
    enabled,
    court: { paddle1: 'cyan', paddle2: 'magenta', ball: 'yellowBright', text: 'whiteBright' },
    dim: DIM,
    p1: 'cyan',
    p2: 'magenta',
  };
}
