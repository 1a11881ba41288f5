/**
 * Same-frame windowing: every transport's latency is summarised over exactly the frames that
 * every observer received, so a transport that loses its slowest frames is not flattered and
 * the figures side by side describe the same moments of the same game.
 *
 * A seq is settled (judged received or lost by each observer) once the newest frame seen
 * anywhere is `settleFrames` ahead of it: late enough that a reordered frame (WebRTC's
 * unordered channel) has had its chance, soon enough for a live screen. A frame that arrives
 * after its seq was settled counts as lost, as it would for a game.
 */
import type { SettledFrames } from './frame-timeline.js';
import { LatencyFigures } from './latency-figures.js';

export interface FrameWindowOptions {
  /** Default 30: half a second at 60 Hz. */
  settleFrames?: number;
  /** Told every frame as it is judged, with each lane's value (see FrameTimeline). */
  frames?: SettledFrames;
}

export interface LaneTotals {
  /** Frames of the window this observer received. */
  received: number;
  /** Frames of the window this observer never received (or received after they settled). */
  lost: number;
  /** One-way latency over the frames every observer received. */
  figures: LatencyFigures;
}

interface Lane extends LaneTotals {
  pending: Map<number, number>;
}

/**
 * A seq this far from the newest one means the seq space started over (the server or its
 * game room restarted): the window restarts there rather than judging a gap of 2^k frames.
 */
export const RESTART_GAP = 600;

/** Half a second at 60 Hz: late enough for a reordered frame, soon enough for a live screen. */
export const DEFAULT_SETTLE_FRAMES = 30;

/** What a lost frame is, in a plot's words: what the window counts as lost. */
export function lostMeaning(settleFrames = DEFAULT_SETTLE_FRAMES): string {
  return `a frame that transport did not deliver within ${settleFrames} frames (${((settleFrames / 60) * 1000).toFixed(0)} ms), counted lost as in the figures`;
}

export class FrameWindow {
  readonly #names: readonly string[];
  readonly #settleFrames: number;
  readonly #frames: SettledFrames | undefined;
  #lanes = new Map<string, Lane>();
  #from: number | null = null;
  #settledTo = 0;
  #highest = 0;
  #cap = Infinity;
  #same = 0;

  constructor(names: readonly string[], options: FrameWindowOptions = {}) {
    this.#names = [...names];
    this.#settleFrames = options.settleFrames ?? DEFAULT_SETTLE_FRAMES;
    this.#frames = options.frames;
    this.#reset();
  }

  get isOpen(): boolean {
    return this.#from !== null;
  }

  /** Measures from `seq` on; frames before it are ignored. */
  open(seq: number): void {
    this.#reset();
    this.#from = seq;
    this.#settledTo = seq - 1;
    this.#highest = seq - 1;
    this.#frames?.open(seq);
  }

  /** Ends the window at `seq`: later frames are ignored, and settle() may reach it at once. */
  closeAt(seq: number): void {
    this.#cap = seq;
  }

  record(name: string, seq: number, oneWay: number): void {
    if (this.#from === null || !this.#lanes.has(name) || !Number.isFinite(oneWay)) return;
    if (Math.abs(seq - this.#highest) > RESTART_GAP && this.#cap === Infinity) this.open(seq);
    if (seq < this.#from || seq <= this.#settledTo || seq > this.#cap) return;
    this.#lanes.get(name)!.pending.set(seq, oneWay);
    if (seq > this.#highest) this.#highest = seq;
  }

  /** Judges every seq up to `through` (default: the newest seen, less the settling margin). */
  settle(through: number = this.#highest - this.#settleFrames): void {
    if (this.#from === null) return;
    const to = Math.min(through, this.#highest, this.#cap);
    const lanes = [...this.#lanes.values()];
    const values = new Array<number | undefined>(lanes.length);
    for (let seq = this.#settledTo + 1; seq <= to; seq++) {
      let everyone = true;
      for (let i = 0; i < lanes.length; i++) {
        const lane = lanes[i]!;
        const value = lane.pending.get(seq);
        values[i] = value;
        if (value === undefined) {
          everyone = false;
          lane.lost += 1;
        } else {
          lane.received += 1;
          lane.pending.delete(seq);
        }
      }
      this.#frames?.settled(seq, values);
      if (!everyone) continue;
      this.#same += 1;
      for (let i = 0; i < lanes.length; i++) lanes[i]!.figures.record(values[i]!);
    }
    if (to > this.#settledTo) this.#settledTo = to;
  }

  /** The newest seq any observer has delivered into the window. */
  get highest(): number | null {
    return this.#from === null || this.#highest < this.#from ? null : this.#highest;
  }

  /** First and last settled seq, or null before anything settled. */
  get seqFrom(): number | null {
    return this.#from !== null && this.#settledTo >= this.#from ? this.#from : null;
  }

  get seqTo(): number | null {
    return this.#from !== null && this.#settledTo >= this.#from ? this.#settledTo : null;
  }

  /** Settled frames that every observer received: the frames the figures describe. */
  get sameFrames(): number {
    return this.#same;
  }

  lane(name: string): LaneTotals | undefined {
    return this.#lanes.get(name);
  }

  #reset(): void {
    this.#lanes = new Map(this.#names.map((name) => [name, { pending: new Map(), received: 0, lost: 0, figures: new LatencyFigures() }]));
    this.#from = null;
    this.#same = 0;
    this.#cap = Infinity;
  }
}
