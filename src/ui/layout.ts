/**
 * How big the court is drawn for a terminal size. Terminal cells are about twice as tall as
 * they are wide, so a court unit takes k columns but k/2 rows; the scale k is the largest that
 * fits both ways. The whole view stays at least one line shorter than the terminal, because an
 * output as tall as the terminal makes Ink clear the screen on every frame.
 */
import { DEFAULT_COURT, type CourtGeometry } from './court.js';

/** Rows per court unit, relative to columns per unit. */
export const CELL_ASPECT = 0.5;
/** Lines of the latency panel: three of figures, one sparkline. */
export const LATENCY_PANEL_ROWS = 4;
/** Lines around the court: scoreboard, status, connection, latency panel, help. */
export const CHROME_ROWS = 4 + LATENCY_PANEL_ROWS;
/** The court's border. */
export const BORDER = 2;
/**
 * Ink re-renders every character of the view on every frame, so CPU grows with the court's
 * area; beyond 120 x 18 cells a bigger court only costs more.
 */
export const MAX_SCALE = 3;
/** Below one column per unit the paddles and the ball stop being distinguishable. */
export const MIN_SCALE = 1;
/** The help and latency lines need this much to be readable. */
export const MIN_TEXT_COLUMNS = 44;

export interface TerminalSize {
  columns: number;
  rows: number;
}

export type ViewLayout =
  | { kind: 'court'; courtCols: number; courtRows: number; width: number; height: number }
  | { kind: 'too-small'; need: TerminalSize; have: TerminalSize };

export function minimumTerminal(court: CourtGeometry = DEFAULT_COURT): TerminalSize {
  return {
    columns: Math.max(MIN_TEXT_COLUMNS, Math.ceil(court.width * MIN_SCALE) + BORDER),
    rows: Math.ceil(court.height * MIN_SCALE * CELL_ASPECT) + BORDER + CHROME_ROWS + 1,
  };
}

export function fitLayout(size: TerminalSize, court: CourtGeometry = DEFAULT_COURT): ViewLayout {
  const need = minimumTerminal(court);
  if (size.columns < need.columns || size.rows < need.rows) {
    return { kind: 'too-small', need, have: size };
  }
  const availableCols = size.columns - BORDER;
  const availableRows = size.rows - 1 - BORDER - CHROME_ROWS;
  const scale = Math.min(availableCols / court.width, availableRows / (court.height * CELL_ASPECT), MAX_SCALE);
  const courtCols = Math.max(Math.ceil(court.width * MIN_SCALE), Math.floor(court.width * scale));
  const courtRows = Math.max(Math.ceil(court.height * MIN_SCALE * CELL_ASPECT), Math.floor(court.height * CELL_ASPECT * scale));
  const width = Math.max(courtCols + BORDER, MIN_TEXT_COLUMNS);
  return { kind: 'court', courtCols, courtRows, width, height: courtRows + BORDER + CHROME_ROWS };
}
