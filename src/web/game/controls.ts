/**
 * Keys and touch for the player's paddle. Keys move it as in the terminal (ui/paddle-motion.ts:
 * a press steps at once, a hold glides), but a browser reports every release, so a hold glides
 * from its first event. Touch: drag anywhere on the court and the paddle's centre follows the
 * finger; a tap (a short touch that hardly moved) serves, or plays again after a game.
 */
import type { PlayerNumber } from '../../protocol/messages.js';
import { PADDLE_HEIGHT } from '../../protocol/constants.js';
import type { ClientControls, ViewSource } from '../../client/view-state.js';
import type { FrameTicker } from '../../client/smoothing/frame-clock.js';
import { KeyHold, type HoldKey } from '../../ui/key-hold.js';
import { PaddleMotion } from '../../ui/paddle-motion.js';

const KEY_DIRECTIONS: Readonly<Record<string, HoldKey>> = { ArrowUp: 'up', ArrowDown: 'down', w: 'up', W: 'up', s: 'down', S: 'down' };
/** A touch shorter and stiller than this is a tap. */
const TAP_MS = 300;
const TAP_MOVE_PX = 12;

export interface PageControls extends ClientControls {
  ready?(): void;
}

export interface ControlOptions {
  player: PlayerNumber;
  source: ViewSource;
  controls: PageControls;
  frames: FrameTicker;
  /** Where the canvas is, in court units, for touch. */
  courtY: (cssY: number) => number;
  canvas: HTMLCanvasElement;
  /** Play again once a game has ended; serve otherwise. */
  onTap: () => void;
}

export function attachControls(options: ControlOptions): () => void {
  const { player, source, controls, frames, canvas } = options;
  const motion = new PaddleMotion(new KeyHold({ releases: true }));
  const ownY = (): number => (player === 1 ? source.getState().paddles.p1 : source.getState().paddles.p2);
  let gliding: (() => void) | null = null;

  const moved = (y: number | null): void => {
    if (y !== null) controls.movePaddleTo(y);
  };
  const glide = (): void => {
    if (gliding !== null) return;
    gliding = frames.onFrame((now) => {
      moved(motion.tick(now));
      if (!motion.isActive(now)) {
        gliding?.();
        gliding = null;
      }
    });
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
    const direction = KEY_DIRECTIONS[event.key];
    const now = performance.now();
    if (direction !== undefined) {
      event.preventDefault();
      if (!motion.isActive(now)) motion.sync(ownY());
      moved(motion.onKey(direction, now, event.repeat ? 'repeat' : 'press'));
      if (motion.isActive(now)) glide();
      return;
    }
    if (event.repeat) return;
    if (event.key === ' ') {
      event.preventDefault();
      controls.serve();
    } else if (event.key === 'r' || event.key === 'R') {
      controls.restart();
    }
  };
  const onKeyUp = (event: KeyboardEvent): void => {
    const direction = KEY_DIRECTIONS[event.key];
    if (direction === undefined) return;
    moved(motion.onKey(direction, performance.now(), 'release'));
  };

  let touch: { id: number; startX: number; startY: number; at: number; dragged: boolean } | null = null;
  const follow = (event: PointerEvent): void => {
    const rect = canvas.getBoundingClientRect();
    controls.movePaddleTo(options.courtY(event.clientY - rect.top) - PADDLE_HEIGHT / 2);
  };
  const onPointerDown = (event: PointerEvent): void => {
    if (touch !== null) return;
    touch = { id: event.pointerId, startX: event.clientX, startY: event.clientY, at: performance.now(), dragged: false };
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent): void => {
    if (touch === null || event.pointerId !== touch.id) return;
    if (!touch.dragged && Math.hypot(event.clientX - touch.startX, event.clientY - touch.startY) < TAP_MOVE_PX) return;
    touch.dragged = true;
    follow(event);
  };
  const onPointerUp = (event: PointerEvent): void => {
    if (touch === null || event.pointerId !== touch.id) return;
    const tap = !touch.dragged && performance.now() - touch.at < TAP_MS;
    touch = null;
    if (tap) options.onTap();
  };
  const onPointerCancel = (event: PointerEvent): void => {
    if (touch !== null && event.pointerId === touch.id) touch = null;
  };
  // A key held while the page loses focus never sends its keyup.
  const onBlur = (): void => moved(motion.onKey('up', performance.now(), 'release') ?? motion.onKey('down', performance.now(), 'release'));

  const unlisten = [
    listen(window, 'keydown', onKeyDown),
    listen(window, 'keyup', onKeyUp),
    listen(window, 'blur', onBlur),
    listen(canvas, 'pointerdown', onPointerDown),
    listen(canvas, 'pointermove', onPointerMove),
    listen(canvas, 'pointerup', onPointerUp),
    listen(canvas, 'pointercancel', onPointerCancel),
  ];
  return () => {
    gliding?.();
    for (const stop of unlisten) stop();
  };
}

/** Adds a listener and returns what removes it. */
function listen<K extends keyof WindowEventMap>(target: Window | HTMLElement, type: K, handler: (event: WindowEventMap[K]) => void): () => void {
  const listener = handler as EventListener;
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}
