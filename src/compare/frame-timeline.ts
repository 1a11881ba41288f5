/**
 * Every settled frame of the same-frame window, kept for `pong compare --plot`: its server
 * send time and each observer's one-way latency, or nothing where that observer lost it (or
 * got it only after it was settled, which the window counts as lost too). Fed by the
 * FrameWindow as it settles frames, so the plot shows exactly the frames the figures count.
 *
 * Kept only when asked for: a frame costs a number per transport and one for its time, about
 * 7 MB for an hour of four transports at 60 Hz, the longest --duration.
 */

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
}

/** Ball frames are sent on a 60 Hz grid: where no observer saw a frame, its time is inferred. */
const FRAME_MS = 1000 / 60;

export class FrameTimeline implements SettledFrames {
  readonly #names: readonly string[];
  /** Send times by seq, from the observers' acks, until the frame is settled. */
  readonly #stamps = new Map<number, number>();
  #seqFrom: number | null = null;
  #sentAt: number[] = [];
  #oneWay: Array<Array<number | null>> = [];

  constructor(names: readonly string[]) {
    this.#names = [...names];
    this.#oneWay = this.#names.map(() => []);
  }

  /** A frame's server send time, as an observer's ack echoed it (frames already settled are ignored). */
  stamp(seq: number, sentAt: number): void {
    if (this.#seqFrom !== null && seq >= this.#seqFrom + this.#sentAt.length) this.#stamps.set(seq, sentAt);
  }

  open(seq: number): void {
    this.#seqFrom = seq;
    this.#sentAt = [];
    this.#oneWay = this.#names.map(() => []);
    for (const old of [...this.#stamps.keys()]) if (old < seq) this.#stamps.delete(old);
  }

  settled(seq: number, oneWay: ReadonlyArray<number | undefined>): void {
    if (this.#seqFrom === null) return;
    // The window settles every seq from its start, in order: the index is the seq's offset.
    if (seq !== this.#seqFrom + this.#sentAt.length) return;
    this.#sentAt.push(this.#stamps.get(seq) ?? Number.NaN);
    this.#stamps.delete(seq);
    this.#names.forEach((_, i) => this.#oneWay[i]!.push(oneWay[i] ?? null));
  }

  get frames(): number {
    return this.#sentAt.length;
  }

  data(): TimelineData | null {
    if (this.#seqFrom === null) return null;
    return { names: [...this.#names], seqFrom: this.#seqFrom, sentAt: [...this.#sentAt], oneWay: this.#oneWay.map((lane) => [...lane]) };
  }
}

/**
 * Each frame's time in seconds from the first frame's send time. A frame no observer
 * received has no send time of its own: it is placed on the 60 Hz grid from the nearest frame
 * before it that has one.
 */
export function frameTimes(data: TimelineData): number[] {
  const firstIndex = data.sentAt.findIndex((t) => Number.isFinite(t));
  if (firstIndex === -1) return data.sentAt.map((_, i) => (i * FRAME_MS) / 1000);
  const origin = data.sentAt[firstIndex]! - firstIndex * FRAME_MS;
  let anchor = { index: 0, at: origin };
  return data.sentAt.map((sent, i) => {
    if (Number.isFinite(sent)) anchor = { index: i, at: sent };
    return (anchor.at + (i - anchor.index) * FRAME_MS - origin) / 1000;
  });
}
