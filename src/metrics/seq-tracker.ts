/**
 * Frame loss from gaps in a sequence number, O(1) amortised per frame.
 *
 * Every seq skipped over counts as lost at once, so the figure is live; a late (reordered) frame
 * that fills a gap un-counts it, which a bitmap of the last `window` seqs makes possible without
 * keeping a set of missing numbers. A jump backwards beyond that window means the sender started
 * over (a restarted server or room) and a jump forwards beyond `maxForwardJump` means the seq
 * space changed under us: both restart the tracking without counting anything lost, since
 * neither says how many frames really went missing.
 */
export type SeqObservation = 'first' | 'next' | 'late' | 'duplicate' | 'stale' | 'reset';

export interface SeqTrackerOptions {
  /** How far back (in seqs) a late frame can still un-count its loss. Default 256 (4 s at 60 Hz). */
  window?: number;
  /** Largest forward gap still counted as loss. Default 3600 (a minute at 60 Hz). */
  maxForwardJump?: number;
}

export class SeqTracker {
  readonly #seen: Uint8Array;
  readonly #maxForwardJump: number;
  #start = 0;
  #highest: number | null = null;
  #lost = 0;
  #received = 0;
  #duplicates = 0;
  #resets = 0;

  constructor(options: SeqTrackerOptions = {}) {
    this.#seen = new Uint8Array(options.window ?? 256);
    this.#maxForwardJump = options.maxForwardJump ?? 3600;
  }

  observe(seq: number): SeqObservation {
    if (!Number.isSafeInteger(seq) || seq < 0) return 'stale';
    const highest = this.#highest;
    if (highest === null) {
      this.#begin(seq);
      return 'first';
    }
    const w = this.#seen.length;
    if (seq > highest) {
      const gap = seq - highest - 1;
      if (gap > this.#maxForwardJump) {
        this.#resets += 1;
        this.#begin(seq);
        return 'reset';
      }
      if (gap + 1 >= w) {
        this.#seen.fill(0);
      } else {
        for (let s = highest + 1; s < seq; s++) this.#seen[s % w] = 0;
      }
      this.#seen[seq % w] = 1;
      this.#highest = seq;
      this.#lost += gap;
      this.#received += 1;
      return 'next';
    }
    if (highest - seq >= w) {
      this.#resets += 1;
      this.#begin(seq);
      return 'reset';
    }
    if (seq < this.#start) return 'stale';
    if (this.#seen[seq % w] === 1) {
      this.#duplicates += 1;
      return 'duplicate';
    }
    this.#seen[seq % w] = 1;
    this.#lost -= 1;
    this.#received += 1;
    return 'late';
  }

  #begin(seq: number): void {
    this.#seen.fill(0);
    this.#seen[seq % this.#seen.length] = 1;
    this.#start = seq;
    this.#highest = seq;
    this.#received += 1;
  }

  /** Seqs skipped and not (yet) filled by a late frame, over every tracking run since reset(). */
  get lost(): number {
    return this.#lost;
  }

  get received(): number {
    return this.#received;
  }

  get duplicates(): number {
    return this.#duplicates;
  }

  /** How often the sequence started over (backward or huge forward jumps). */
  get resets(): number {
    return this.#resets;
  }

  get highest(): number | null {
    return this.#highest;
  }

  reset(): void {
    this.#seen.fill(0);
    this.#start = 0;
    this.#highest = null;
    this.#lost = 0;
    this.#received = 0;
    this.#duplicates = 0;
    this.#resets = 0;
  }
}
