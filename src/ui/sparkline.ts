/**
 * A one-line chart of recent latencies. When there are more values than cells, each cell shows
 * the largest value of its bucket: a latency spike is what a reader looks for, and averaging
 * would hide it.
 */
export const SPARK_LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export function sparkline(values: readonly number[], width: number): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const cells = Math.min(finite.length, Math.max(0, Math.floor(width)));
  if (cells === 0) return '';

  const buckets: number[] = [];
  for (let i = 0; i < cells; i++) {
    const from = Math.floor((i * finite.length) / cells);
    const to = Math.floor(((i + 1) * finite.length) / cells);
    let peak = -Infinity;
    for (let j = from; j < to; j++) peak = Math.max(peak, finite[j] ?? -Infinity);
    buckets.push(peak);
  }

  const low = Math.min(...buckets);
  const high = Math.max(...buckets);
  const span = high - low;
  const top = SPARK_LEVELS.length - 1;
  return buckets
    .map((v) => SPARK_LEVELS[span > 0 ? Math.round(((v - low) / span) * top) : 0])
    .join('');
}
