/**
 * The court as text: one row of cells per terminal line, walls included. Pure, so the mapping
 * from court units to characters is tested without a terminal.
 *
 * Two grids finer than a cell: paddles and walls are drawn in half blocks (▀▄█, 1 x 2 pixels a
 * cell), which is plenty for things that move vertically; the ball is drawn in braille (2 x 4
 * dots a cell), so it moves in steps of half a column and a quarter row instead of whole
 * characters. Braille dots are square on a cell twice as tall as wide, so the ball stays round.
 * Each cell also has a kind, so the view can colour the court without re-parsing the text.
 */
import { BALL_RADIUS, COURT_HEIGHT, COURT_WIDTH, PADDLE_HEIGHT, PADDLE_INSET, PADDLE_WIDTH } from '../protocol/constants.js';

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
  /** The top wall hugs the play area from above, the bottom one from below. */
  topWall: '▄',
  bottomWall: '▀',
  /** Walls while a point is celebrated: a flash that needs no colour. */
  flashWall: '█',
  /** The goal lines at each end. */
  side: '│',
  centre: '╎',
  empty: ' ',
} as const;

export type CellKind = 'wall' | 'side' | 'centre' | 'paddle1' | 'paddle2' | 'ball' | 'text' | 'empty';

/** A stretch of one line drawn alike. */
export interface Run {
  kind: CellKind;
  text: string;
}

export interface CourtOptions {
  /** Draw the walls as solid bars (a score flash). */
  flash?: boolean;
  /** Lines of text shown over the middle of the court (help, countdown, result). */
  overlay?: readonly string[];
}

const TOP = 1;
const BOTTOM = 2;
/** Indexed by the pixel bits of a cell: none, top, bottom, both. */
const HALF_BLOCKS = [' ', '▀', '▄', '█'] as const;
/** Braille dot bits by [row 0–3][column 0–1] within a cell (Unicode's numbering). */
const BRAILLE_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;
const BRAILLE_BASE = 0x2800;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * Draws the court into `cols` x `rows` cells of play area inside a wall above and below and a
 * goal line at each side: rows + 2 lines of cols + 2 runs' worth of characters. Positions are
 * court units (ball centre, paddle top edges); anything outside the court is clamped onto its
 * edge so a stray frame never breaks the layout.
 */
export function renderCourtRuns(
  ball: BallPosition | null,
  paddles: PaddlePositions,
  cols: number,
  rows: number,
  court: CourtGeometry = DEFAULT_COURT,
  options: CourtOptions = {},
): Run[][] {
  const kinds = new Array<CellKind>(cols * rows).fill('empty');
  const chars = new Array<string>(cols * rows);

  // Paddles, on the half-block grid.
  const pixelRows = rows * 2;
  const sx = cols / court.width;
  const sy = pixelRows / court.height;
  const pixels = new Uint8Array(cols * rows);
  // The right paddle mirrors the left one cell for cell, so both sides look alike whatever
  // the rounding of the scale.
  const leftStart = Math.floor(PADDLE_INSET * sx);
  const leftEnd = Math.max(leftStart + 1, Math.floor((PADDLE_INSET + PADDLE_WIDTH) * sx));
  const paddleColumns: Array<[number, number, number, CellKind]> = [
    [leftStart, leftEnd, paddles.p1, 'paddle1'],
    [cols - leftEnd, cols - leftStart, paddles.p2, 'paddle2'],
  ];
  // Rounded once, so a moving paddle keeps its drawn height.
  const paddlePixels = clamp(Math.round(court.paddleHeight * sy), 1, pixelRows);
  for (const [start, end, top, kind] of paddleColumns) {
    if (!Number.isFinite(top)) continue;
    const firstPixel = clamp(Math.round(top * sy), 0, pixelRows - paddlePixels);
    for (let col = start; col < end; col++) {
      for (let p = firstPixel; p < firstPixel + paddlePixels; p++) {
        const index = Math.floor(p / 2) * cols + col;
        pixels[index] = (pixels[index] ?? 0) | (p % 2 === 0 ? TOP : BOTTOM);
        kinds[index] = kind;
      }
    }
  }
  for (let i = 0; i < pixels.length; i++) {
    const bits = pixels[i] ?? 0;
    if (bits !== 0) chars[i] = HALF_BLOCKS[bits as 0 | 1 | 2 | 3];
  }

  // The ball, on the braille grid: at least 2 x 2 dots, so it is never a lone speck.
  if (ball !== null && Number.isFinite(ball.x) && Number.isFinite(ball.y)) {
    const dotCols = cols * 2;
    const dotRows = rows * 4;
    const dpx = dotCols / court.width;
    const dpy = dotRows / court.height;
    const w = Math.max(2, Math.round(2 * BALL_RADIUS * dpx));
    const h = Math.max(2, Math.round(2 * BALL_RADIUS * dpy));
    const x0 = clamp(Math.round(ball.x * dpx - w / 2), 0, dotCols - w);
    const y0 = clamp(Math.round(ball.y * dpy - h / 2), 0, dotRows - h);
    const dots = new Map<number, number>();
    for (let dy = y0; dy < y0 + h; dy++) {
      for (let dx = x0; dx < x0 + w; dx++) {
        const index = Math.floor(dy / 4) * cols + Math.floor(dx / 2);
        dots.set(index, (dots.get(index) ?? 0) | BRAILLE_BITS[dy % 4 as 0 | 1 | 2 | 3][dx % 2 as 0 | 1]);
      }
    }
    // The ball is what the eye follows: it is drawn over a paddle it touches.
    for (const [index, bits] of dots) {
      chars[index] = String.fromCharCode(BRAILLE_BASE + bits);
      kinds[index] = 'ball';
    }
  }

  const centre = Math.floor(cols / 2);
  for (let row = 0; row < rows; row++) {
    const index = row * cols + centre;
    if (kinds[index] === 'empty') {
      chars[index] = COURT_GLYPHS.centre;
      kinds[index] = 'centre';
    }
  }

  if (options.overlay && options.overlay.length > 0) stamp(options.overlay, kinds, chars, cols, rows);

  const wall = (glyph: string): Run[] => [{ kind: 'wall', text: (options.flash ? COURT_GLYPHS.flashWall : glyph).repeat(cols + 2) }];
  const lines: Run[][] = [wall(COURT_GLYPHS.topWall)];
  for (let row = 0; row < rows; row++) {
    const runs: Run[] = [{ kind: 'side', text: COURT_GLYPHS.side }];
    for (let col = 0; col < cols; col++) {
      const index = row * cols + col;
      const kind = kinds[index] ?? 'empty';
      const char = chars[index] ?? COURT_GLYPHS.empty;
      const last = runs[runs.length - 1]!;
      if (last.kind === kind) last.text += char;
      else runs.push({ kind, text: char });
    }
    runs.push({ kind: 'side', text: COURT_GLYPHS.side });
    lines.push(runs);
  }
  lines.push(wall(COURT_GLYPHS.bottomWall));
  return lines;
}

/** Text lines centred over the play area, each padded by a blank cell so it stands clear of the game. */
function stamp(lines: readonly string[], kinds: CellKind[], chars: string[], cols: number, rows: number): void {
  const shown = lines.slice(0, rows);
  const firstRow = Math.floor((rows - shown.length) / 2);
  const width = Math.min(cols, Math.max(...shown.map((l) => [...l].length)) + 2);
  const firstCol = Math.floor((cols - width) / 2);
  shown.forEach((line, i) => {
    const text = [...(' ' + line)].slice(0, width);
    for (let c = 0; c < width; c++) {
      const index = (firstRow + i) * cols + firstCol + c;
      chars[index] = text[c] ?? ' ';
      kinds[index] = 'text';
    }
  });
}

/** The court as plain strings: rows + 2 lines of cols + 2 characters. */
export function renderCourt(
  ball: BallPosition | null,
  paddles: PaddlePositions,
  cols: number,
  rows: number,
  court: CourtGeometry = DEFAULT_COURT,
  options: CourtOptions = {},
): string[] {
  return renderCourtRuns(ball, paddles, cols, rows, court, options).map((runs) => runs.map((run) => run.text).join(''));
}

/** Writes ` title ` into the top wall, after two cells, when the court is wide enough. */
export function withTitle(topBorder: string, title: string): string {
  const label = ` ${title} `;
  if (title === '' || label.length + 3 > topBorder.length) return topBorder;
  return topBorder.slice(0, 2) + label + topBorder.slice(2 + label.length);
}
