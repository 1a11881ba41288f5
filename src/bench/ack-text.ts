/**
 * The ack a bench client sends for a ball frame, as pong's session writes it: seq and
 * timestamp echoed, `rx` its receive time. The load generator and the floors' bare clients
 * both send it, so every host's AckLog reads one shape.
 */
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The ack, or null when `ballJson` is not a frame with a numeric seq and timestamp. */
export function ackText(ballJson: string, rx: number): string | null {
  let ball: unknown;
  try {
    ball = JSON.parse(ballJson);
  } catch {
    return null;
  }
  if (typeof ball !== 'object' || ball === null) return null;
  const { seq, timestamp } = ball as { seq?: unknown; timestamp?: unknown };
  if (!Number.isSafeInteger(seq) || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  return `{"seq":${seq as number},"timestamp":${timestamp},"rx":${round3(rx)}}`;
}
