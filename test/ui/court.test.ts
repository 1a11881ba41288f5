import { describe, expect, it } from 'vitest';
import { renderCourt, renderCourtRuns, withTitle } from '../../src/ui/court.js';

/** The character drawn at a play-area cell (walls and goal lines excluded). */
const at = (lines: string[], col: number, row: number): string => [...(lines[row + 1] ?? '')][col + 1] ?? '';
const column = (lines: string[], col: number, rows: number): string =>
  Array.from({ length: rows }, (_, row) => at(lines, col, row)).join('');
/** Dot columns inked by the ball, on the braille grid (2 per cell). */
function ballDotColumns(lines: string[], rows: number, cols: number): number[] {
  const inked = new Set<number>();
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const code = at(lines, col, row).codePointAt(0) ?? 0;
      if (code < 0x2801 || code > 0x28ff) continue;
      const bits = code - 0x2800;
      if (bits & (0x01 | 0x02 | 0x04 | 0x40)) inked.add(col * 2);
      if (bits & (0x08 | 0x10 | 0x20 | 0x80)) inked.add(col * 2 + 1);
    }
  }
  return [...inked].sort((a, b) => a - b);
}

describe('renderCourt', () => {
  it('draws the smallest court (40 x 6): half-block walls and paddles, a braille ball', () => {
    // 40 x 6 cells for 40 x 12 units: a unit is one column and half a row; 2 x 2 dots.
    const lines = renderCourt({ x: 20.5, y: 6.25 }, { p1: 0, p2: 9 }, 40, 6);
    expect(lines).toHaveLength(8);
    for (const line of lines) expect([...line]).toHaveLength(42);
    expect(lines[0]).toBe('▄'.repeat(42));
    expect(lines[7]).toBe('▀'.repeat(42));
    expect(lines[3]?.startsWith('│')).toBe(true);
    expect(lines[3]?.endsWith('│')).toBe(true);

    // The ball's 2 x 2 dots at dot columns 40–41, dot rows 12–13: the top of cell (20, 3).
    expect(at(lines, 20, 3)).toBe('⠛');
    // P1 at the top, y 0..3 = pixels 0..2: a full cell then a top half, in column 1.
    expect(column(lines, 1, 6)).toBe('█▀    ');
    // P2 at the bottom, y 9..12 = pixels 9..11: bottom half of row 4, full row 5, column 38.
    expect(column(lines, 38, 6)).toBe('    ▄█');
    // Nothing behind the paddles, the centre line elsewhere in column 20.
    expect(at(lines, 0, 0)).toBe(' ');
    expect(at(lines, 39, 5)).toBe(' ');
    expect(column(lines, 20, 6)).toBe('╎╎╎⠛╎╎');
  });

  it('scales to 80 x 12 and keeps both paddles alike', () => {
    // Two columns and one row per unit: 4 x 4 dots per unit, the ball still 2 x 2 dots.
    const lines = renderCourt({ x: 10.2, y: 0.7 }, { p1: 4.5, p2: 4.5 }, 80, 12);
    expect(lines).toHaveLength(14);
    for (const line of lines) expect([...line]).toHaveLength(82);

    // Dots 40–41 across, 2–3 down: the bottom half of cell (20, 0).
    expect(at(lines, 20, 0)).toBe('⣤');
    // P1 spans columns 2–3, pixels 9..14 (rows 4 bottom, 5, 6, 7 top).
    expect(column(lines, 2, 12)).toBe('    ▄██▀    ');
    expect(column(lines, 3, 12)).toBe('    ▄██▀    ');
    expect(at(lines, 1, 5)).toBe(' ');
    expect(at(lines, 4, 5)).toBe(' ');
    // P2 mirrors it: columns 76–77.
    expect(column(lines, 77, 12)).toBe(column(lines, 2, 12));
    expect(column(lines, 76, 12)).toBe(column(lines, 2, 12));
    expect(at(lines, 78, 5)).toBe(' ');
  });

  it('moves the ball in steps finer than a cell', () => {
    // Half a unit is one braille dot at the smallest size: each step shows.
    const spans = [20, 20.5, 21, 21.5].map((x) => ballDotColumns(renderCourt({ x, y: 6 }, { p1: 0, p2: 0 }, 40, 6), 6, 40));
    expect(spans).toEqual([
      [39, 40],
      [40, 41],
      [41, 42],
      [42, 43],
    ]);
    // Vertically a quarter of a row: y 6.0 → dot rows 11–12, across two cells (bottom, top).
    const lines = renderCourt({ x: 20.5, y: 6 }, { p1: 0, p2: 0 }, 40, 6);
    expect(at(lines, 20, 2)).toBe('⣀');
    expect(at(lines, 20, 3)).toBe('⠉');
  });

  it('clamps positions outside the court onto its edge and draws no ball before the first frame', () => {
    const lines = renderCourt(null, { p1: -5, p2: 50 }, 40, 6);
    const inked = lines.slice(1, 7).flatMap((_, row) =>
      [...Array(40).keys()].filter((col) => /[▀▄█\u2801-\u28ff]/.test(at(lines, col, row))),
    );
    expect(new Set(inked)).toEqual(new Set([1, 38]));
    expect(at(lines, 1, 0)).toBe('█');
    expect(at(lines, 38, 5)).toBe('█');
    const wild = renderCourt({ x: 99, y: -3 }, { p1: 0, p2: 0 }, 40, 6);
    // The top-right corner cell: the two dots of its upper right.
    expect(at(wild, 39, 0)).toBe('⠛');
  });

  it('draws the ball over a paddle it touches', () => {
    const lines = renderCourt({ x: 1.5, y: 1 }, { p1: 0, p2: 0 }, 40, 6);
    expect(at(lines, 1, 0)).toMatch(/[\u2801-\u28ff]/);
  });

  it('marks each run with its kind, shows overlays and flashes the walls', () => {
    const runs = renderCourtRuns({ x: 20.5, y: 6.25 }, { p1: 0, p2: 9 }, 40, 6, undefined, {
      flash: true,
      overlay: ['P1 serves in 3'],
    });
    expect(runs[0]).toEqual([{ kind: 'wall', text: '█'.repeat(42) }]);
    expect(runs[1]?.map((r) => r.kind)).toEqual(['side', 'empty', 'paddle1', 'empty', 'centre', 'empty', 'side']);
    // The overlay is centred on the middle rows and hides what is under it.
    const middle = runs[3]!;
    expect(middle.find((r) => r.kind === 'text')?.text).toBe(' P1 serves in 3 ');
    expect(middle.some((r) => r.kind === 'ball')).toBe(false);
    expect(runs[6]?.find((r) => r.kind === 'paddle2')?.text).toBe('█');
  });

  it('puts the title into the top wall', () => {
    expect(withTitle('▄'.repeat(22), 'pong')).toBe('▄▄ pong ' + '▄'.repeat(14));
  });
});
