/**
 * The `pong compare --json` document: the final figures per transport and the machine they
 * were measured on, since loopback latencies mean little without it.
 */
import { cpus } from 'node:os';
import type { OneWaySummary } from './latency-figures.js';
import type { RoundTrip } from './observer.js';
import type { ComparisonSnapshot } from './snapshot.js';

export interface TransportReport {
  status: string;
  frames: number;
  framesLost: number;
  oneWay: Omit<OneWaySummary, 'last'>;
  negative: number;
  jitter: number | null;
  bytesPerFrame: number | null;
  rtt: RoundTrip | null;
  seqFrom: number | null;
  seqTo: number | null;
}

export interface CompareReport {
  game: string;
  duration: number;
  /** Frames every observer received, over which every oneWay figure is computed. */
  sameFrames: number;
  transports: Record<string, TransportReport>;
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
}

export function compareReport(snapshot: ComparisonSnapshot, durationS: number): CompareReport {
  const transports: Record<string, TransportReport> = {};
  for (const t of snapshot.transports) {
    const { last: _last, ...oneWay } = t.oneWay;
    transports[t.name] = {
      status: t.status,
      frames: t.frames,
      framesLost: t.framesLost,
      oneWay,
      negative: t.negative,
      jitter: t.jitter,
      bytesPerFrame: t.bytesPerFrame,
      rtt: t.rtt,
      seqFrom: t.seqFrom,
      seqTo: t.seqTo,
    };
  }
  const cores = cpus();
  return {
    game: snapshot.gameId,
    duration: durationS,
    sameFrames: snapshot.sameFrames,
    transports,
    machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cores.length, cpuModel: cores[0]?.model.trim() ?? 'unknown' },
  };
}
