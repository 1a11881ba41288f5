/**
 * Client-side prediction of the own paddle, reconciled with the server. The paddle is drawn
 * where the keys put it at once; the server's position (p1y/p2y in ball frames) trails it by
 * the round trip. Rubber-banding comes from pulling the paddle back towards that trailing
 * position; instead, the server's position is only checked against what the recent intents can
 * explain: anywhere the paddle was meant to be during the last round trip (plus a tolerance) is
 * consistent. Only a disagreement that lasts (the server refused or reset the paddle) moves
 * the paddle, and then by blending towards the server over a few frames.
 */
export interface Intent {
  at: number;
  y: number;
}

export interface ReconcileOptions {
  /** Court units of disagreement that are rounding, not news. */
  tolerance: number;
  /** How long a disagreement must last before it is acted on, ms. */
  persistMs: number;
  /** Time constant of the blend towards the server, ms. */
  blendMs: number;
}

export const DEFAULT_RECONCILE: ReconcileOptions = { tolerance: 0.05, persistMs: 200, blendMs: 60 };

/**
 * How far `serverY` lies outside every position the intents held during the last `lagMs`
 * (signed, court units), or 0 if the intents explain it. `intents` in time order.
 */
export function unexplained(intents: readonly Intent[], serverY: number, now: number, lagMs: number, tolerance: number): number {
  if (intents.length === 0) return 0;
  const since = now - lagMs;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = intents.length - 1; i >= 0; i--) {
    const intent = intents[i]!;
    lo = Math.min(lo, intent.y);
    hi = Math.max(hi, intent.y);
    // The last intent before the window is what the server held when the window began.
    if (intent.at < since) break;
  }
  if (serverY < lo - tolerance) return serverY - (lo - tolerance);
  if (serverY > hi + tolerance) return serverY - (hi + tolerance);
  return 0;
}

export class PaddleReconciler {
  private readonly intents: Intent[] = [];
  private divergedSince: number | null = null;
  private lastObserved: number | null = null;

  constructor(private readonly options: ReconcileOptions = DEFAULT_RECONCILE) {}

  /** Records where this client put its paddle. */
  intend(y: number, at: number): void {
    this.intents.push({ at, y });
    // A few seconds of 60 Hz moves is more than any round trip needs.
    if (this.intents.length > 256) this.intents.splice(0, this.intents.length - 256);
  }

  /**
   * Checks the server's position from a frame received at `now`. Returns the position to put
   * the paddle at (a step of the blend towards the server), or null to leave it where it is.
   */
  observe(serverY: number, ownY: number, now: number, lagMs: number): number | null {
    const dt = this.lastObserved === null ? 0 : Math.max(0, now - this.lastObserved);
    this.lastObserved = now;
    if (unexplained(this.intents, serverY, now, lagMs, this.options.tolerance) === 0) {
      this.divergedSince = null;
      return null;
    }
    this.divergedSince ??= now;
    if (now - this.divergedSince < this.options.persistMs) return null;
    const gap = serverY - ownY;
    if (Math.abs(gap) <= this.options.tolerance) return serverY;
    const step = gap * Math.min(1, dt / this.options.blendMs);
    return ownY + step;
  }
}
