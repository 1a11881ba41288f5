/**
 * Every settled frame of the same-frame window, kept for `pong compare --plot`: its server
 * send time and each observer's one-way latency, or nothing where that observer lost it (or
 * got it only after it was settled, which the window counts as lost too). Fed by the
 * FrameWindow as it settles frames, so the plot shows exactly the frames the figures count.
 *
 * Kept only when asked for: a frame costs a number per transport and one for its time, about
 * 7 MB for an hour of four transports at 60 Hz, the longest --duration. A live view (the
 * browser's compare page) keeps only its last frames (`keepFrames`), however long it stays open.
 */
import type { TimelineFrames } from '../plots/timeline-series.js';

/** What a FrameWindow tells whoever records its frames. */
export interface SettledFrames {
  /** The window (re)opened at `seq`: what was kept before belongs to another run of seqs. */
  open(seq: number): void;
  /** Frame `seq` was judged: each lane's one-way latency in lane order, undefined where lost. */
  settled(seq: number, oneWay: ReadonlyArray<number | undefined>): void;
}

/** The recorded frames as plain data (they cross the observer process's IPC). */
export interface TimelineData {
  names: string[];
  /** seq of the first frame; frames follow one seq apart. */
  seqFrom: number;
  /** Each frame's server send time (epoch ms), NaN where no observer received it. */
  sentAt: number[];
  /** Per lane, in `names` order: each frame's one-way latency (ms), null where lost. */
  oneWay: Array<Array<number | null>>;
  /**
   * Time zero: the send time (epoch ms) of frame `seq`, the window's first. Given once known;
   * without it, the first frame here is the window's first (nothing was dropped).
   */
  origin?: { seq: number; at: number };
}

export interface FrameTimelineOptions {
  /** Keep the newest this many frames (up to a quarter more), dropping older ones. Default: every frame. */
  keepFrames?: number;
}

/** Ball frames are sent on a 60 Hz grid: where no observer saw a frame, its time is inferred. */
const FRAME_MS = 1000 / 60;

export class FrameTimeline implements SettledFrames {
  readonly #names: readonly string[];
  /** Send times by seq, from the observers' acks, until the frame is settled. */
  readonly #stamps = new Map<number, number>();
  readonly #keep: number;
  #seqFrom: number | null = null;
  /** The seq the window opened at: time zero. */
  #openedAt = 0;
  #origin: { seq: number; at: number } | null = null;
  #sentAt: number[] = [];
  #oneWay: Array<Array<number | null>> = [];

  constructor(names: readonly string[], options: FrameTimelineOptions = {}) {
    this.#names = [...names];
    this.#keep = options.keepFrames ?? Infinity;
    this.#oneWay = this.#names.map(() => []);
  }

  /** A frame's server send time, as an observer's ack echoed it (frames already settled are ignored). */
  stamp(seq: number, sentAt: number): void {
    if (this.#seqFrom !== null && seq >= this.#seqFrom + this.#sentAt.length) this.#stamps.set(seq, sentAt);
  }

  open(seq: number): void {
    this.#seqFrom = seq;
    this.#openedAt = seq;
    this.#origin = null;
    this.#sentAt = [];
    this.#oneWay = this.#names.map(() => []);
    for (const old of [...this.#stamps.keys()]) if (old < seq) this.#stamps.delete(old);
  }

  settled(seq: number, oneWay: ReadonlyArray<number | undefined>): void {
    if (this.#seqFrom === null) return;
    // The window settles every seq from its start, in order: the index is the seq's offset.
    if (seq !== this.#seqFrom + this.#sentAt.length) return;
    const sentAt = this.#stamps.get(seq) ?? Number.NaN;
    this.#stamps.delete(seq);
    // Time zero is the opening frame's send time, inferred on the 60 Hz grid if nobody had it.
    if (this.#origin === null && Number.isFinite(sentAt)) this.#origin = { seq: this.#openedAt, at: sentAt - (seq - this.#openedAt) * FRAME_MS };
    this.#sentAt.push(sentAt);
    this.#names.forEach((_, i) => this.#oneWay[i]!.push(oneWay[i] ?? null));
    this.#drop();
  }

  /**
   * Past the limit, the oldest frames go, a quarter of the limit at a time: dropping one per
   * frame would shift every array at 60 Hz.
   */
  #drop(): void {
    const excess = this.#sentAt.length - this.#keep;
    if (excess < Math.max(1, this.#keep / 4)) return;
    this.#sentAt.splice(0, excess);
    for (const lane of this.#oneWay) lane.splice(0, excess);
    this.#seqFrom! += excess;
  }

  get frames(): number {
    return this.#sentAt.length;
  }

  data(): TimelineData | null {
    if (this.#seqFrom === null) return null;
    return {
      names: [...this.#names],
      seqFrom: this.#seqFrom,
      sentAt: [...this.#sentAt],
      oneWay: this.#oneWay.map((lane) => [...lane]),
      ...(this.#origin !== null ? { origin: { ...this.#origin } } : {}),
    };
  }
}

/**
 * Each frame's time in seconds from the first frame's send time. A frame no observer
 * received has no send time of its own: it is placed on the 60 Hz grid from the nearest frame
 * before it that has one.
 */
export function frameTimes(data: TimelineData): number[] {
  const origin = data.origin ?? inferredOrigin(data);
  if (origin === null) return data.sentAt.map((_, i) => (i * FRAME_MS) / 1000);
  // Where the window's older frames were dropped, the origin lies before the first frame here.
  let anchor = { index: origin.seq - data.seqFrom, at: origin.at };
  return data.sentAt.map((sent, i) => {
    if (Number.isFinite(sent)) anchor = { index: i, at: sent };
    return (anchor.at + (i - anchor.index) * FRAME_MS - origin.at) / 1000;
  });
}

/** Time zero of a timeline that kept its first frame: from the first frame with a send time. */
function inferredOrigin(data: TimelineData): { seq: number; at: number } | null {
  const firstIndex = data.sentAt.findIndex((t) => Number.isFinite(t));
  if (firstIndex === -1) return null;
  return { seq: data.seqFrom, at: data.sentAt[firstIndex]! - firstIndex * FRAME_MS };
}

/** The frames as a timeline draws them (src/plots/timeline-series.ts): times and a lane per transport. */
export function timelineFrames(data: TimelineData): TimelineFrames {
  return { seqFrom: data.seqFrom, times: frameTimes(data), lanes: data.names.map((name, i) => ({ name, oneWay: data.oneWay[i] ?? [] })) };
}

/** The frames of the last `seconds` before the newest: what a live view draws. */
export function lastSeconds(frames: TimelineFrames, seconds: number): TimelineFrames {
  const newest = frames.times.at(-1);
  if (newest === undefined) return frames;
  let from = frames.times.length - 1;
  while (from > 0 && frames.times[from - 1]! >= newest - seconds) from -= 1;
  return {
    seqFrom: frames.seqFrom + from,
    times: frames.times.slice(from),
    lanes: frames.lanes.map((lane) => ({ name: lane.name, oneWay: lane.oneWay.slice(from) })),
  };
}
