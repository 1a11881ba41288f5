/**
 * The shapes of what a bench run measures, shared by the processes that measure and the
 * tables and JSON that report. Times in ms, CPU in ms of CPU per second of wall time.
 */
import type { LatencyHistogram } from '../metrics/histogram.js';
import { roundOrNull } from '../protocol/round.js';

export interface Spread {
  min: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface TickSpread {
  ticks: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** The round trip (ms) at or below which `p` percent of a window's frames lie. */
export interface PercentilePoint {
  p: number;
  ms: number;
}

/**
 * The percentiles kept of every window's round trips: enough points for the plots'
 * distribution curves, denser in the tail, where transports differ.
 */
export const CURVE_PERCENTILES = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.25, 99.5, 99.75, 99.9, 99.95, 99.99, 99.995, 99.999] as const;

/**
 * The histogram as a percentile curve: the percentiles of CURVE_PERCENTILES that its count
 * can tell apart (99.9 needs a thousand values), then its maximum as p = 100. Bounded: at most
 * 27 points, however long the window.
 */
export function curveOf(h: LatencyHistogram): PercentilePoint[] {
  if (h.count === 0) return [];
  const known = CURVE_PERCENTILES.filter((p) => 100 / (100 - p) <= h.count);
  const values = h.percentiles(known);
  const points = known.map((p, i) => ({ p, ms: roundOrNull(values[i] ?? null)! }));
  return [...points, { p: 100, ms: roundOrNull(h.max)! }];
}

export function spreadOf(h: LatencyHistogram): Spread {
  const [p50, p95, p99] = h.percentiles([50, 95, 99]);
  return {
    min: roundOrNull(h.min),
    p50: roundOrNull(p50),
    p95: roundOrNull(p95),
    p99: roundOrNull(p99),
    max: roundOrNull(h.max),
  };
}

/** CPU and memory of one process over a measured window. */
export interface ProcessUsage {
  /** CPU ms (user + system) per second of wall time: 1000 is one core, flat out. */
  cpuMsPerS: number;
  /** Peak resident set size over the process's life, MB. */
  peakRssMb: number;
}

/**
 * The rhythm of a host's ticks as a player sees it: how many came per second, and how far the
 * time between two ticks strayed from the 60 Hz period. A loop whose every tick is 1 ms late
 * has a tick error of 1 ms and intervals that never stray; a setInterval drifts off the grid
 * (its tick error grows without bound) while its intervals may stay close to the period.
 */
export interface PacingFigures {
  ticksPerS: number | null;
  /** |interval − period|, ms. */
  intervalError: { p50: number | null; p99: number | null; max: number | null };
}

/** What a server-like process (game server or bare relay) reports for a window. */
export interface HostReport {
  usage: ProcessUsage;
  tickError: TickSpread;
  acks: AckFigures;
  /** Absent in results from before it was measured. */
  pacing?: PacingFigures;
}

/** Per-frame figures from the acks a host received during a window. */
export interface AckFigures {
  /** Client sessions that acked at least once. */
  clients: number;
  /** Frames sent into the window, summed over clients (what each should have acked). */
  expected: number;
  acked: number;
  framesLost: number;
  roundTrip: Spread;
  /** The round trip's distribution as a percentile curve (see curveOf), for the plots. */
  roundTripCurve: PercentilePoint[];
  oneWay: Spread;
  /** RFC 3550 jitter of each client's one-way latency in seq order, mean over clients. */
  jitter: number | null;
  /**
   * Clock sync: the largest |offset| estimated for a client. Every process here reads the same
   * system clock, so the true offset is 0 and this is the estimate's error, seen directly.
   */
  offsetError: number | null;
  /** The NTP bound on that error: half the fastest round trip, worst client. */
  offsetBound: number | null;
}

/** What one player process reports for a window. */
export interface ClientReport {
  usage: ProcessUsage;
  frames: number;
  bytesInPerFrame: number | null;
  bytesOutPerFrame: number | null;
}
