/**
 * The compare screen's size: a fixed small court (the figures are the point of this screen,
 * and a small court keeps Ink's per-frame work low), the figures table, and a footer. The
 * whole view stays one line shorter than the terminal, or Ink clears the screen every frame.
 */
import { BORDER, type TerminalSize } from '../layout.js';
import { TABLE_WIDTH } from './columns.js';

/** The classic 40 x 12 court at one column per unit: 40 x 6 cells. */
export const COURT_COLS = 40;
export const COURT_ROWS = 6;
/** Title; the court and its border; a blank line; the table header; the footer's two lines. */
const FIXED_ROWS = 1 + COURT_ROWS + BORDER + 1 + 1 + 2;
/** Each transport: a line of figures and one of sparkline. */
const ROWS_PER_TRANSPORT = 2;
/** Wider than this, the sparklines only get longer to read. */
const MAX_WIDTH = 140;

export type CompareLayout = { kind: 'fits'; width: number } | { kind: 'too-small'; need: TerminalSize; have: TerminalSize };

export function compareMinimum(transports: number): TerminalSize {
  return { columns: TABLE_WIDTH, rows: FIXED_ROWS + ROWS_PER_TRANSPORT * transports + 1 };
}

export function compareLayout(size: TerminalSize, transports: number): CompareLayout {
  const need = compareMinimum(transports);
  if (size.columns < need.columns || size.rows < need.rows) return { kind: 'too-small', need, have: size };
  return { kind: 'fits', width: Math.min(size.columns, MAX_WIDTH) };
}
