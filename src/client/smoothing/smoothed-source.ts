/**
 * A ViewSource that draws the game at the display's own 60 fps rather than at the network's
 * whim: it wraps another source (a GameSession), records every new ball frame with its local
 * receive time, and on each display frame publishes the ball (and the opponent's paddle) where
 * the BallSmoother says they are. The own paddle is the session's: drawn where the keys put it
 * (prediction), checked against the server by a PaddleReconciler.
 *
 * It also passes the controls through (to remember the own paddle's intents) and is the frame
 * ticker the key handling animates on, so a display frame is one React commit, not several.
 * With `raw`, frames are published exactly as they arrive, for comparing the two.
 */
import type { PlayerNumber } from '../../protocol/messages.js';
import { DEFAULT_FPS } from '../../protocol/constants.js';
import { systemClock, type Clock } from '../../metrics/clock.js';
import type { ClientControls, ClientViewState, ViewSource } from '../view-state.js';
import { BallSmoother, type SmoothedBall, type SmootherOptions } from './ball-smoother.js';
import { FrameClock, realTimers, type FrameTicker, type Timers } from './frame-clock.js';
import { timedFrame } from './frames.js';
import { DEFAULT_RECONCILE, PaddleReconciler, type ReconcileOptions } from './reconcile.js';

export interface SmoothedSourceOptions {
  /** Publish the server's frames untouched. */
  raw?: boolean;
  /** Display frames per second. */
  fps?: number;
  /** Epoch ms, the clock of the session's receive times. */
  clock?: Clock;
  /** Monotonic ms for the frame ticker. */
  monotonic?: () => number;
  timers?: Timers;
  smoother?: SmootherOptions;
  reconcile?: ReconcileOptions;
}

/** Round trip assumed until the server has measured one. */
const DEFAULT_RTT_MS = 150;
/** Positions closer than this are the same on any screen (a braille dot is ≥ 1/6 unit). */
const SAME = 1e-3;

function ownPlayerOf(state: ClientViewState): PlayerNumber | null {
  return state.role.kind === 'player' ? state.role.player : null;
}

/**
 * Whether two states draw the same apart from the ball: a stationary ball still arrives 60
 * times a second, and redrawing an unchanged screen for it would only cost CPU.
 */
function sameScene(a: ClientViewState, b: ClientViewState): boolean {
  return (
    a.state === b.state &&
    a.connection === b.connection &&
    a.connectionDetail === b.connectionDetail &&
    a.role === b.role &&
    a.serverStats === b.serverStats &&
    a.paddles.p1 === b.paddles.p1 &&
    a.paddles.p2 === b.paddles.p2 &&
    (a.ball === null) === (b.ball === null)
  );
}

export class SmoothedSource implements ViewSource, ClientControls, FrameTicker {
  private readonly listeners = new Set<() => void>();
  private readonly frameCallbacks = new Set<(now: number) => void>();
  private readonly smoother: BallSmoother;
  private readonly reconciler: PaddleReconciler;
  private readonly clock: Clock;
  private readonly ticker: FrameClock;
  private readonly raw: boolean;
  private unsubscribe: (() => void) | null = null;
  private inner: ClientViewState;
  private snapshot: ClientViewState;
  private drawn: SmoothedBall | null = null;
  private inTick = false;
  private dirty = false;
  private pendingPaddle: number | null = null;
  /** The wrapped state the snapshot was last built from. */
  private composedFrom: ClientViewState | null = null;

  constructor(
    private readonly source: ViewSource,
    private readonly controls: ClientControls,
    options: SmoothedSourceOptions = {},
  ) {
    this.raw = options.raw ?? false;
    this.clock = options.clock ?? systemClock;
    this.smoother = new BallSmoother(options.smoother);
    this.reconciler = new PaddleReconciler(options.reconcile ?? DEFAULT_RECONCILE);
    const fps = options.fps ?? DEFAULT_FPS;
    this.ticker = new FrameClock((now) => this.tick(now), 1000 / fps, options.monotonic, options.timers ?? realTimers);
    this.inner = source.getState();
    this.snapshot = this.inner;
  }

  /** Follows the wrapped source and starts the display frames. */
  start(): this {
    if (this.unsubscribe !== null) return this;
    this.unsubscribe = this.source.subscribe(() => this.onInner());
    this.onInner();
    this.ticker.start();
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.ticker.stop();
  }

  // --- ViewSource ---------------------------------------------------------------------------

  getState(): ClientViewState {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onFrame(callback: (now: number) => void): () => void {
    this.frameCallbacks.add(callback);
    return () => this.frameCallbacks.delete(callback);
  }

  // --- ClientControls -----------------------------------------------------------------------

  movePaddleTo(y: number): void {
    this.reconciler.intend(y, this.clock());
    this.controls.movePaddleTo(y);
  }

  serve(): void {
    this.controls.serve();
  }

  restart(): void {
    this.controls.restart();
  }

  quit(): void {
    this.controls.quit();
  }

  // --- internals ----------------------------------------------------------------------------

  private onInner(): void {
    const prev = this.inner;
    const next = this.source.getState();
    this.inner = next;
    const own = ownPlayerOf(next);
    if (next.ball !== null && next.ball !== prev.ball) {
      const rx = this.clock();
      this.smoother.push(timedFrame(next.ball, rx));
      if (own !== null) this.reconcile(next, own, rx);
    }
    if (this.raw) {
      this.snapshot = next;
      return this.changed();
    }
    // Everything but the moving parts is shown at once: a score, a status, the own paddle
    // (the key must answer within the frame). The ball waits for the next display frame.
    const ownKey = own === 1 ? 'p1' : 'p2';
    const urgent =
      next.state !== prev.state ||
      next.connection !== prev.connection ||
      next.connectionDetail !== prev.connectionDetail ||
      next.role !== prev.role ||
      (own !== null && next.paddles[ownKey] !== prev.paddles[ownKey]);
    if (urgent) {
      this.compose();
      this.changed();
    }
  }

  private reconcile(state: ClientViewState, own: PlayerNumber, now: number): void {
    const serverY = own === 1 ? state.ball?.p1y : state.ball?.p2y;
    if (serverY === undefined) return;
    const rtt = state.serverStats?.rtt.p99;
    const lag = (rtt !== undefined && Number.isFinite(rtt) ? rtt : DEFAULT_RTT_MS) + 50;
    const ownY = own === 1 ? state.paddles.p1 : state.paddles.p2;
    // Applied on the next display frame: moving the paddle from inside the session's
    // notification would re-enter it.
    this.pendingPaddle = this.reconciler.observe(serverY, ownY, now, Math.min(lag, 1000));
  }

  private tick(now: number): void {
    this.inTick = true;
    try {
      if (this.pendingPaddle !== null) {
        const y = this.pendingPaddle;
        this.pendingPaddle = null;
        this.movePaddleTo(y);
      }
      for (const callback of this.frameCallbacks) callback(now);
    } finally {
      this.inTick = false;
    }
    if (!this.raw && this.compose()) this.dirty = true;
    if (this.dirty) this.changed();
  }

  /** Builds the snapshot for this instant; true if it differs from the last one. */
  private compose(): boolean {
    const inner = this.inner;
    const drawn = this.smoother.sample(this.clock());
    const previous = this.drawn;
    this.drawn = drawn;
    const ballMoved =
      (drawn === null) !== (previous === null) ||
      (drawn !== null &&
        previous !== null &&
        (Math.abs(drawn.x - previous.x) > SAME ||
          Math.abs(drawn.y - previous.y) > SAME ||
          Math.abs((drawn.p1y ?? 0) - (previous.p1y ?? 0)) > SAME ||
          Math.abs((drawn.p2y ?? 0) - (previous.p2y ?? 0)) > SAME));
    const composedFrom = this.composedFrom;
    if (!ballMoved && composedFrom !== null && sameScene(composedFrom, inner)) return false;
    this.composedFrom = inner;
    if (drawn === null || inner.ball === null) {
      this.snapshot = inner;
      return true;
    }
    const own = ownPlayerOf(inner);
    this.snapshot = {
      ...inner,
      ball: { ...inner.ball, x: drawn.x, y: drawn.y },
      paddles: {
        p1: own === 1 ? inner.paddles.p1 : (drawn.p1y ?? inner.paddles.p1),
        p2: own === 2 ? inner.paddles.p2 : (drawn.p2y ?? inner.paddles.p2),
      },
    };
    return true;
  }

  private changed(): void {
    if (this.inTick) {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    for (const listener of this.listeners) listener();
  }
}
