import { describe, expect, it } from 'vitest';
import { renderCourt, withTitle } from '../../src/ui/court.js';

/** The character drawn at a play-area cell (border excluded). */
const at = (lines: string[], col: number, row: number): string => [...(lines[row + 1] ?? '')][col + 1] ?? '';

describe('renderCourt', () => {
  it('draws the smallest court one cell per unit, two pixels per row', () => {
    // 40 x 6 cells for 40 x 12 units: a unit is one column and half a row.
    const lines = renderCourt({ x: 20.5, y: 6.25 }, { p1: 0, p2: 9 }, 40, 6);
    expect(lines).toHaveLength(8);
    for (const line of lines) expect([...line]).toHaveLength(42);
    expect(lines[0]).toBe('┌' + '─'.repeat(40) + '┐');
    expect(lines[7]).toBe('└' + '─'.repeat(40) + '┘');
    expect(lines[3]?.startsWith('│')).toBe(true);
    expect(lines[3]?.endsWith('│')).toBe(true);

    // Ball at y 6.25 is pixel 6: the top half of row 3, in column 20.
    expect(at(lines, 20, 3)).toBe('▀');
    // P1 at the top, y 0..3 = pixels 0..2: a full cell then a top half, in column 1.
    expect(at(lines, 1, 0)).toBe('█');
    expect(at(lines, 1, 1)).toBe('▀');
    expect(at(lines, 1, 2)).toBe(' ');
    // P2 at the bottom, y 9..12 = pixels 9..11: bottom half of row 4, full row 5, column 38.
    expect(at(lines, 38, 3)).toBe(' ');
    expect(at(lines, 38, 4)).toBe('▄');
    expect(at(lines, 38, 5)).toBe('█');
    // Nothing behind the paddles, the centre line elsewhere in column 20.
    expect(at(lines, 0, 0)).toBe(' ');
    expect(at(lines, 39, 5)).toBe(' ');
    expect(at(lines, 20, 0)).toBe('╎');
  });

  it('scales to a bigger terminal and keeps both paddles alike', () => {
    // 80 x 12 cells: two columns and one row (two pixels) per unit.
    const lines = renderCourt({ x: 10.2, y: 0.7 }, { p1: 4.5, p2: 4.5 }, 80, 12);
    expect(lines).toHaveLength(14);
    for (const line of lines) expect([...line]).toHaveLength(82);

    // Ball: column floor(10.2 * 2) = 20, pixel floor(0.7 * 2) = 1, bottom half of row 0.
    expect(at(lines, 20, 0)).toBe('▄');
    // P1 spans columns 2–3, pixels 9..14 (rows 4 bottom, 5, 6, 7 top).
    const p1Column = lines.slice(1, 13).map((_, row) => at(lines, 2, row)).join('');
    expect(p1Column).toBe('    ▄██▀    ');
    expect(at(lines, 3, 5)).toBe('█');
    expect(at(lines, 1, 5)).toBe(' ');
    expect(at(lines, 4, 5)).toBe(' ');
    // P2 mirrors it: columns 76–77.
    const p2Column = lines.slice(1, 13).map((_, row) => at(lines, 77, row)).join('');
    expect(p2Column).toBe(p1Column);
    expect(at(lines, 76, 5)).toBe('█');
    expect(at(lines, 78, 5)).toBe(' ');
  });

  it('clamps positions outside the court onto its edge and draws no ball before the first frame', () => {
    const lines = renderCourt(null, { p1: -5, p2: 50 }, 40, 6);
    const inked = lines.slice(1, 7).flatMap((_, row) =>
      [...Array(40).keys()].filter((col) => /[▀▄█]/.test(at(lines, col, row))),
    );
    expect(new Set(inked)).toEqual(new Set([1, 38]));
    expect(at(lines, 1, 0)).toBe('█');
    expect(at(lines, 38, 5)).toBe('█');
    const wild = renderCourt({ x: 99, y: -3 }, { p1: 0, p2: 0 }, 40, 6);
    expect(at(wild, 39, 0)).toBe('▀');
  });

  it('merges the ball into a paddle cell it touches', () => {
    // Ball in column 1, pixel 3 (bottom half of row 1) under P1's top half there.
    const lines = renderCourt({ x: 1.5, y: 3.5 }, { p1: 0, p2: 0 }, 40, 6);
    expect(at(lines, 1, 1)).toBe('█');
  });

  it('puts the title into the top border', () => {
    expect(withTitle('┌' + '─'.repeat(20) + '┐', 'pong')).toBe('┌─ pong ' + '─'.repeat(13) + '┐');
  });
});
