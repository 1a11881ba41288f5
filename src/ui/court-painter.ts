/**
 * The court drawn straight onto the terminal, bypassing Ink: rows of runs (see court.ts) become
 * text with SGR colour codes, placed with absolute cursor moves, and only the rows that differ
 * from what was last painted are written. Ink re-lays-out and re-measures every text node on
 * every frame, which at 60 fps costs several times the 10%-of-a-core budget (STYLE.md, "Ink
 * at 60 fps"); the court is the only part that changes 60 times a second, so it is painted
 * here, in a few hundred bytes a frame, and Ink draws the rest a few times a second.
 */
import type { Palette } from './colours.js';
import type { Run } from './court.js';

/** SGR codes of the Ink colour names the palettes use. */
const SGR: Record<string, string> = {
  cyan: '36',
  magenta: '35',
  yellowBright: '93',
  whiteBright: '97',
  yellow: '33',
  green: '32',
  red: '31',
};

export interface PaintStyle {
  palette: Palette;
  /** Walls solid and in this colour: a score flash. */
  flash: boolean;
  flashColour: string | undefined;
}

/** One row of runs as terminal text: plain without colour, else each coloured run in SGR. */
export function paintRow(runs: readonly Run[], style: PaintStyle): string {
  const { palette } = style;
  if (!palette.enabled) return runs.map((run) => run.text).join('');
  let out = '';
  for (const run of runs) {
    const colour = run.kind === 'wall' && style.flash ? style.flashColour : palette.court[run.kind];
    const codes: string[] = [];
    if (colour !== undefined && SGR[colour] !== undefined) codes.push(SGR[colour]!);
    if (palette.dim.has(run.kind)) codes.push('2');
    out += codes.length > 0 ? `\u001B[${codes.join(';')}m${run.text}\u001B[0m` : run.text;
  }
  return out;
}

const moveTo = (row: number, col: number): string => `\u001B[${row + 1};${col + 1}H`;

/**
 * Remembers what it painted where, so a frame writes only the rows that changed. `reset()`
 * forgets it, for when something else (Ink's own frame, a clear) has drawn over the court.
 */
export class CourtPainter {
  private painted: string[] = [];
  private origin: { row: number; col: number } | null = null;

  reset(): void {
    this.painted = [];
  }

  /** The escape sequences that bring the screen to `rows` at (row, col); '' if nothing changed. */
  paint(rows: readonly string[], row: number, col: number): string {
    if (this.origin === null || this.origin.row !== row || this.origin.col !== col) {
      this.painted = [];
      this.origin = { row, col };
    }
    let out = '';
    for (let i = 0; i < rows.length; i++) {
      const text = rows[i]!;
      if (this.painted[i] === text) continue;
      out += moveTo(row + i, col) + text;
    }
    this.painted = [...rows];
    return out;
  }
}
