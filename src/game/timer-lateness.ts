/**
 * How late this process's timers fire, learned from the wakes it sees. Node runs a setTimeout
 * 0–2 ms after it was due (whole-millisecond timer lists, a loop time that is stale by the
 * work done since the loop last read it, the poll's own granularity), and how late depends on
 * the machine and the load. A loop that aims its timer this much before the moment it wants
 * lands, on the median wake, on that moment: half its wakes a little early, half a little
 * late, instead of every one of them late by the whole margin.
 *
 * The median of a short window, not a mean: a wake delayed 30 ms by a garbage collection is
 * one sample among the window, not a shift of every later aim.
 */
export class TimerLateness {
  private readonly samples: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private current: number;
  private stale = false;

  /**
   * `initialMs`: what to assume before any wake is seen. `maxMs`: no aim is ever moved earlier
   * than this, whatever a stalled machine reports.
   */
  constructor(
    initialMs = 1,
    private readonly maxMs = 4,
    window = 31,
  ) {
    this.current = Math.min(Math.max(0, initialMs), maxMs);
    this.samples = new Float64Array(Math.max(1, window));
    this.sorted = new Float64Array(this.samples.length);
  }

  /** A timer asked to fire at t fired at t + `lateMs` (negative: early). */
  observe(lateMs: number): void {
    if (!Number.isFinite(lateMs)) return;
    this.samples[this.count % this.samples.length] = Math.min(Math.max(lateMs, -this.maxMs), this.maxMs);
    this.count += 1;
    this.stale = true;
  }

  /** The median lateness of the recent wakes, ms, in [0, maxMs]. */
  get estimate(): number {
    if (!this.stale) return this.current;
    this.stale = false;
    const kept = Math.min(this.count, this.samples.length);
    const view = this.sorted.subarray(0, kept);
    view.set(this.samples.subarray(0, kept));
    view.sort();
    const middle = view[kept >> 1]!;
    this.current = Math.min(Math.max(0, middle), this.maxMs);
    return this.current;
  }
}
