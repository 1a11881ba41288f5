/**
 * What the machine itself takes from a process that never yields. A loop that only reads the
 * clock sees a gap wherever the process was not running: on a shared virtual machine the host
 * deschedules its vCPUs (seen on the 2-vCPU machines here: 135–242 ms of every 10 s lost in
 * pauses over 1 ms, the longest 35–46 ms, with nothing else running). A frame in flight during
 * a pause is late by it, so where more than about 1 % of the time goes in pauses of several
 * milliseconds, no transport's p99 round trip, floors included, can stay at a couple of them.
 * The bench probes before it starts anything else and prints the figure with the machine.
 */
import { performance } from 'node:perf_hooks';

/** Shorter gaps are the loop's own work and ordinary interrupts. */
export const PAUSE_THRESHOLD_MS = 1;
export const PAUSE_PROBE_MS = 3_000;

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

/** Spins on one core for `durationMs`, blocking the event loop: run it before anything else. */
export function measurePauses(durationMs: number = PAUSE_PROBE_MS, now: () => number = () => performance.now()): MachinePauses {
  const start = now();
  const end = start + durationMs;
  let last = start;
  let pauses = 0;
  let pausedMs = 0;
  let longestMs = 0;
  for (let t = now(); ; t = now()) {
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
