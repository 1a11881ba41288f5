/**
 * The instant of the server's timeline being drawn. It runs at the local clock's pace and is
 * steered towards its target (which moves whenever the base transit or the delay changes) by
 * speeding up or slowing down by at most `maxSlew`, so a change of delay never shows as a jump
 * of the ball; only a gap too wide to glide across (a pause, a reconnect) is jumped.
 */
export interface PlayheadOptions {
  /** Largest relative change of playback speed, e.g. 0.1 = between 0.9x and 1.1x. */
  maxSlew: number;
  /** Time constant of the steering, ms. */
  tauMs: number;
  /** Farther than this from the target, jump to it. */
  snapMs: number;
}

export const DEFAULT_PLAYHEAD: PlayheadOptions = { maxSlew: 0.1, tauMs: 250, snapMs: 250 };

export function advancePlayhead(
  playhead: number | null,
  target: number,
  dtMs: number,
  options: PlayheadOptions = DEFAULT_PLAYHEAD,
): number {
  if (playhead === null) return target;
  const next = playhead + Math.max(0, dtMs);
  const error = target - next;
  if (Math.abs(error) > options.snapMs) return target;
  const steer = error * Math.min(1, dtMs / options.tauMs);
  const limit = options.maxSlew * dtMs;
  return next + Math.max(-limit, Math.min(limit, steer));
}
