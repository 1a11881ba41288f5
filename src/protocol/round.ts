/** Latency figures are published to 1 µs: finer digits are noise and only lengthen the JSON. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function roundOrNull(ms: number | null): number | null {
  return ms === null ? null : roundMs(ms);
}
