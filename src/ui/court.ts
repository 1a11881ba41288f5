/**
 * The court as text: one string per terminal row, border included. Pure, so the mapping from
 * court units to characters is tested without a terminal. Half blocks give every cell two
 * vertical pixels, which doubles the vertical resolution of the ball and the paddles on a court
 * that has only 6 rows at its smallest.
 */
import { COURT_HEIGHT, COURT_WIDTH, PADDLE_HEIGHT, PADDLE_INSET, PADDLE_WIDTH } from '../protocol/constants.js';

export interface CourtGeometry {
  width: number;
  height: number;
  paddleHeight: number;
}

export const DEFAULT_COURT: CourtGeometry = {
  width: COURT_WIDTH,
  height: COURT_HEIGHT,
  paddleHeight: PADDLE_HEIGHT,
};

export interface BallPosition {
  x: number;
  y: number;
}

export interface PaddlePositions {
  p1: number;
  p2: number;
}

export const COURT_GLYPHS = {
  topLeft: '┌',
  topRight: '┐',
  bottomLeft: '└',
  bottomRight: '┘',
  horizontal: '─',
  vertical: '│',
  centre: '╎',
  empty: ' ',
} as const;

const TOP = 1;
const BOTTOM = 2;
/** Indexed by the pixel bits of a cell: none, top, bottom, both. */
const HALF_BLOCKS = [' ', '▀', '▄', '█'] as const;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * Draws the court into `cols` x `rows` cells of play area, surrounded by a one-cell border:
 * the result has rows + 2 strings of cols + 2 characters. Positions are court units (ball
 * centre, paddle top edges); anything outside the court is clamped onto its edge so a stray
 * frame never breaks the layout.
 */
export function renderCourt(
  ball: BallPosition | null,
  paddles: PaddlePositions,
  cols: number,
  rows: number,
  court: CourtGeometry = DEFAULT_COURT,
): string[] {
  const pixelRows = rows * 2;
  const sx = cols / court.width;
  const sy = pixelRows / court.height;
  const cells = new Uint8Array(cols * rows);

  const plot = (col: number, pixelRow: number): void => {
    if (col < 0 || col >= cols || pixelRow < 0 || pixelRow >= pixelRows) return;
    const index = Math.floor(pixelRow / 2) * cols + col;
    cells[index] = (cells[index] ?? 0) | (pixelRow % 2 === 0 ? TOP : BOTTOM);
  };

  // The right paddle mirrors the left one cell for cell, so both sides look alike whatever
  // the rounding of the scale.
  const leftStart = Math.floor(PADDLE_INSET * sx);
  const leftEnd = Math.max(leftStart + 1, Math.floor((PADDLE_INSET + PADDLE_WIDTH) * sx));
  const paddleColumns: Array<[number, number, number]> = [
    [leftStart, leftEnd, paddles.p1],
    [cols - leftEnd, cols - leftStart, paddles.p2],
  ];
  // Rounded once, so a moving paddle keeps its drawn height.
  const paddlePixels = clamp(Math.round(court.paddleHeight * sy), 1, pixelRows);
  for (const [start, end, top] of paddleColumns) {
    if (!Number.isFinite(top)) continue;
    const firstPixel = clamp(Math.round(top * sy), 0, pixelRows - paddlePixels);
    for (let col = start; col < end; col++) {
      for (let p = firstPixel; p < firstPixel + paddlePixels; p++) plot(col, p);
    }
  }

  if (ball !== null && Number.isFinite(ball.x) && Number.isFinite(ball.y)) {
    plot(clamp(Math.floor(ball.x * sx), 0, cols - 1), clamp(Math.floor(ball.y * sy), 0, pixelRows - 1));
  }

  const centre = Math.floor(cols / 2);
  const lines: string[] = [
    COURT_GLYPHS.topLeft + COURT_GLYPHS.horizontal.repeat(cols) + COURT_GLYPHS.topRight,
  ];
  for (let row = 0; row < rows; row++) {
    let line: string = COURT_GLYPHS.vertical;
    for (let col = 0; col < cols; col++) {
      const bits = cells[row * cols + col] ?? 0;
      if (bits !== 0) line += HALF_BLOCKS[bits];
      else line += col === centre ? COURT_GLYPHS.centre : COURT_GLYPHS.empty;
    }
    lines.push(line + COURT_GLYPHS.vertical);
  }
  lines.push(COURT_GLYPHS.bottomLeft + COURT_GLYPHS.horizontal.repeat(cols) + COURT_GLYPHS.bottomRight);
  return lines;
}

/** Writes ` title ` into the top border, after one dash, when the court is wide enough. */
export function withTitle(topBorder: string, title: string): string {
  const label = ` ${title} `;
  if (title === '' || label.length + 3 > topBorder.length) return topBorder;
  return topBorder.slice(0, 2) + label + topBorder.slice(2 + label.length);
}
