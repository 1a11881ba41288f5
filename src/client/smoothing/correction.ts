/**
 * The error of an extrapolation, shown as a drift rather than a jump: when a frame arrives and
 * shows the guess was off, the difference becomes an offset added to the drawn position and
 * decays away over a few frames. A difference too big to be a guess gone wrong (a point was
 * scored, the ball was served) is not blended: it is real, and the ball goes there at once.
 */
export interface Offset {
  x: number;
  y: number;
}

export const NO_OFFSET: Offset = { x: 0, y: 0 };

export interface CorrectionOptions {
  /** The offset halves in this time (ms): ~3 frames at 60 fps. */
  halfLifeMs: number;
  /** Offsets larger than this (court units) are dropped instead of blended. */
  snapDistance: number;
  /** Below this the offset is gone (court units). */
  epsilon: number;
}

export const DEFAULT_CORRECTION: CorrectionOptions = { halfLifeMs: 50, snapDistance: 4, epsilon: 0.005 };

/** Adds a new error (what was about to be drawn − what is now known) to the offset. */
export function absorbError(offset: Offset, error: Offset, options: CorrectionOptions = DEFAULT_CORRECTION): Offset {
  const next = { x: offset.x + error.x, y: offset.y + error.y };
  return Math.hypot(next.x, next.y) > options.snapDistance ? NO_OFFSET : next;
}

export function decayOffset(offset: Offset, dtMs: number, options: CorrectionOptions = DEFAULT_CORRECTION): Offset {
  if (offset === NO_OFFSET) return offset;
  const factor = 0.5 ** (Math.max(0, dtMs) / options.halfLifeMs);
  const next = { x: offset.x * factor, y: offset.y * factor };
  return Math.hypot(next.x, next.y) < options.epsilon ? NO_OFFSET : next;
}
