/**
 * What the machine itself takes from a process that never yields. A loop that only reads the
 * clock sees a gap wherever the process was not running: the host descheduling a vCPU, an
 * interrupt storm, another process on the core. A frame in flight during such a pause is late
 * by it, whichever transport carries it, so a run's tail figures are only comparable with
 * another's made on a machine that paused about as much. The bench probes before it starts
 * anything else and prints the figure with the machine.
 *
 * It keeps no samples and runs a while before it measures, so that what it counts is not its
 * own start: unwarmed, in the bench's fresh process, it counted pauses of 6–7.5 ms in every run,
 * where warmed probes on the same machine saw none that long (the longest 3.9 ms). (A first version that kept every gap in an
 * array measured mostly its own garbage collection: pauses of 35–46 ms.)
 */
import { performance } from 'node:perf_hooks';

/** Shorter gaps are the loop's own work and ordinary interrupts. */
export const PAUSE_THRESHOLD_MS = 1;
export const PAUSE_PROBE_MS = 3_000;
/** Spun first and not counted: long enough for V8 to optimize the loop. */
export const PAUSE_WARMUP_MS = 300;

export interface MachinePauses {
  /** How long the probe ran. */
  probeMs: number;
  /** Gaps over PAUSE_THRESHOLD_MS between two clock reads. */
  pauses: number;
  pausedMs: number;
  /** pausedMs as a percentage of probeMs. */
  pausedPct: number;
  longestMs: number;
}

/**
 * Spins on one core for `warmupMs`, then measures for `durationMs`, blocking the event loop
 * throughout: run it before anything else.
 */
export function measurePauses(durationMs: number = PAUSE_PROBE_MS, now: () => number = () => performance.now(), warmupMs = PAUSE_WARMUP_MS): MachinePauses {
  let t = now();
  const from = t + warmupMs;
  while (t < from) t = now();
  const start = t;
  const end = start + durationMs;
  let last = start;
  let pauses = 0;
  let pausedMs = 0;
  let longestMs = 0;
  for (t = now(); ; t = now()) {
    const gap = t - last;
    last = t;
    if (gap > PAUSE_THRESHOLD_MS) {
      pauses += 1;
      pausedMs += gap;
      if (gap > longestMs) longestMs = gap;
    }
    if (t >= end) break;
  }
  const probeMs = last - start;
  return {
    probeMs: round(probeMs),
    pauses,
    pausedMs: round(pausedMs),
    pausedPct: probeMs > 0 ? round((100 * pausedMs) / probeMs) : 0,
    longestMs: round(longestMs),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
