/**
 * Keyboard handling for the game view: quit and help in every mode, paddle/serve/restart in
 * play mode. The paddle is moved once per display frame while a key is held (see PaddleMotion):
 * on the view's frame ticker when it has one, so a frame is one commit, else on a timer. The
 * position this view intends is returned so the own paddle is drawn where the player put it
 * without waiting for the session's next snapshot.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp, useInput, useStdin, type Key } from 'ink';
import type { ClientControls, ViewSource } from '../client/view-state.js';
import type { FrameTicker } from '../client/smoothing/frame-clock.js';
import type { PlayerNumber } from '../protocol/messages.js';
import { KeyHold, type HoldKey, type KeyHoldOptions } from './key-hold.js';
import { PaddleMotion, type PaddleMotionOptions } from './paddle-motion.js';
import type { ViewMode } from './text.js';

export interface GameKeysOptions {
  source: ViewSource;
  controls: ClientControls;
  mode: ViewMode;
  /** The player this view steers; null for watchers. */
  player: PlayerNumber | null;
  /** Monotonic milliseconds; injected by tests. */
  now?: () => number;
  /** Paddle animation period: one step per display frame. */
  tickMs?: number;
  hold?: KeyHoldOptions;
  motion?: PaddleMotionOptions;
  /** Animate on these display frames instead of a timer of our own. */
  frames?: FrameTicker;
  /**
   * Re-render with the locally intended position. A source that already reflects every move
   * at once (a GameSession, a SmoothedSource) makes this a second render of the same frame.
   */
  trackLocal?: boolean;
  /** `?` was pressed. */
  onHelp?: () => void;
}

/**
 * After the last local move the own paddle keeps being drawn from the local position this
 * long, covering the round trip until the session's snapshot reflects what was sent.
 */
const LOCAL_POSITION_MS = 250;
const monotonic = (): number => performance.now();

function directionKey(input: string, key: Key): HoldKey | null {
  const letter = input.toLowerCase();
  if (key.upArrow || letter === 'w') return 'up';
  if (key.downArrow || letter === 's') return 'down';
  return null;
}

/** Returns the own paddle's locally intended top edge, or null to draw the session's. */
export function useGameKeys(options: GameKeysOptions): number | null {
  const { source, controls, mode, player } = options;
  const now = options.now ?? monotonic;
  const tickMs = options.tickMs ?? 16;
  const { frames, onHelp } = options;
  const trackLocal = options.trackLocal ?? true;
  const { exit } = useApp();

  const motionRef = useRef<PaddleMotion | null>(null);
  motionRef.current ??= new PaddleMotion(new KeyHold(options.hold), options.motion);
  const motion = motionRef.current;

  const [localY, setLocalY] = useState<number | null>(null);
  // Mirrors of the last local move for the key handler, which must stay one stable function:
  // a new one per move would re-subscribe Ink's input listener 60 times a second.
  const localRef = useRef<number | null>(null);
  const localAt = useRef(-Infinity);
  const timer = useRef<(() => void) | null>(null);

  const moved = useCallback(
    (y: number | null): void => {
      if (y === null) return;
      localAt.current = now();
      localRef.current = y;
      // The controls first: a source that follows them draws the move in this same render.
      controls.movePaddleTo(y);
      if (trackLocal) setLocalY(y);
    },
    [controls, now, trackLocal],
  );

  const stopTimer = useCallback((): void => {
    timer.current?.();
    timer.current = null;
  }, []);

  const startTimer = useCallback((): void => {
    if (timer.current !== null) return;
    const step = (): void => {
      const t = now();
      moved(motion.tick(t));
      if (!motion.isActive(t)) stopTimer();
    };
    if (frames) {
      timer.current = frames.onFrame(step);
    } else {
      const interval = setInterval(step, tickMs);
      timer.current = () => clearInterval(interval);
    }
  }, [frames, motion, moved, now, stopTimer, tickMs]);

  useEffect(() => stopTimer, [stopTimer]);

  const handleKey = useCallback(
    (input: string, key: Key): void => {
      const type = key.eventType;
      const isQuit = (key.ctrl && input === 'c') || (!key.ctrl && input.toLowerCase() === 'q');
      // A kitty terminal also reports the release (and repeats) of the key that was acted on.
      const isPress = type !== 'release' && type !== 'repeat';
      if (isQuit) {
        if (!isPress) return;
        stopTimer();
        // Unmount first, so the terminal is restored before the session tears down.
        exit();
        controls.quit();
        return;
      }
      if (input === '?') {
        if (isPress) onHelp?.();
        return;
      }
      if (mode !== 'play' || player === null) return;

      const direction = directionKey(input, key);
      if (direction !== null) {
        const t = now();
        if (!motion.isActive(t)) {
          const recent = t - localAt.current < LOCAL_POSITION_MS;
          const paddles = source.getState().paddles;
          const local = localRef.current;
          motion.sync(recent && local !== null ? local : player === 1 ? paddles.p1 : paddles.p2);
        }
        moved(motion.onKey(direction, t, type));
        if (motion.isActive(t)) startTimer();
        return;
      }
      if (!isPress) return;
      if (input === ' ') controls.serve();
      else if (input.toLowerCase() === 'r') controls.restart();
    },
    [controls, exit, mode, motion, moved, now, onHelp, player, source, startTimer, stopTimer],
  );
  // Keys need raw mode; on a piped stdin the view still shows the game, and Ctrl-C is a signal.
  const { isRawModeSupported } = useStdin();
  // Keys typed faster than the event loop reads them (a busy moment, tmux send-keys) arrive
  // as one string, "ssss": each is a key of its own.
  const handler = useCallback(
    (input: string, key: Key): void => {
      if (input.length > 1 && !key.ctrl && !key.meta && /^[wsWS?qQ ]+$/.test(input)) {
        for (const char of input) handleKey(char, key);
      } else {
        handleKey(input, key);
      }
    },
    [handleKey],
  );
  useInput(handler, { isActive: isRawModeSupported });

  if (!trackLocal) return null;
  const t = now();
  return localY !== null && (motion.isActive(t) || t - localAt.current < LOCAL_POSITION_MS) ? localY : null;
}
