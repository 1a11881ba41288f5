/**
 * Bytes per frame as the socket saw them: the growth of the client's wire.bytesIn divided by
 * the ball frames it received over the same interval. Everything the socket carried counts
 * (protocol headers, the state and stats topics, keep-alives), so this is what one frame of
 * the game costs on that transport, not the size of the JSON.
 */
export interface WireSample {
  bytesIn: number;
  frames: number;
}

export class WireRate {
  #start: WireSample | null = null;

  /** The interval starts at this sample. */
  start(sample: WireSample): void {
    this.#start = { ...sample };
  }

  /** Bytes per frame from the start sample to `now`; null before a frame arrived. */
  perFrame(now: WireSample): number | null {
    return bytesPerFrame(this.#start, now);
  }
}

export function bytesPerFrame(from: WireSample | null, to: WireSample): number | null {
  if (from === null) return null;
  const frames = to.frames - from.frames;
  const bytes = to.bytesIn - from.bytesIn;
  if (frames <= 0 || bytes < 0) return null;
  return Math.round((bytes / frames) * 10) / 10;
}
