/**
 * A ball frame's ack as JSON text: `seq` and `timestamp` echoed, `rx` the receive time. Written
 * by hand because it leaves first, on the cold path at the start of each frame, where a
 * template is cheaper than JSON.stringify. The session sends it; the bench's bare clients send
 * the same bytes.
 */
import { roundMs } from './round.js';

/** The ack for a parsed frame, or null when it has no usable seq and timestamp. */
export function ackText(frame: unknown, rx: number): string | null {
  if (typeof frame !== 'object' || frame === null) return null;
  const { seq, timestamp } = frame as Partial<Record<'seq' | 'timestamp', unknown>>;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0 || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  return `{"seq":${seq as number},"timestamp":${timestamp},"rx":${roundMs(rx)}}`;
}

/** The same from the frame's JSON text; null for text that is not JSON. */
export function ackTextOf(json: string, rx: number): string | null {
  let frame: unknown;
  try {
    frame = JSON.parse(json);
  } catch {
    return null;
  }
  return ackText(frame, rx);
}
