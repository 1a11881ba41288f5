/**
 * Axis ticks at round numbers (1, 2 or 5 times a power of ten), for a plot drawn without
 * Vega (the browser's live timeline): the same kind of ticks Vega's `nice` scales give the SVG.
 */

export interface Ticks {
  /** The axis's end: the first tick at or past the largest value. */
  max: number;
  step: number;
  values: number[];
}

/** About `count` ticks from 0 up to at least `max` (> 0). */
export function niceTicks(max: number, count: number): Ticks {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const rough = top / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const end = Math.ceil(top / step - 1e-9) * step;
  const values: number[] = [];
  // Counted, not summed: adding 0.1 ten times is not 1.
  for (let i = 0; i * step <= end + step * 1e-9; i++) values.push(round(i * step, step));
  return { max: end, step, values };
}

/** Ticks from `from` to `to` at a round step, about `count` of them. */
export function niceRange(from: number, to: number, count: number): number[] {
  const { step } = niceTicks(to - from, count);
  const values: number[] = [];
  for (let i = Math.ceil(from / step - 1e-9); i * step <= to + step * 1e-9; i++) values.push(round(i * step, step));
  return values;
}

/** i × step without float dust (0.30000000000000004), to the step's decimals. */
function round(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(value.toFixed(decimals));
}
