/** What the comparison shows at one moment, per transport: the screen's and the report's input. */
import type { TransportName } from '../transports/transport.js';
import type { OneWaySummary } from './latency-figures.js';
import type { ObserverStatus, RoundTrip } from './observer.js';

export interface TransportFigures {
  name: TransportName;
  status: ObserverStatus;
  detail?: string;
  /** The server has measured this observer's clock offset, so one-way figures are real. */
  offsetKnown: boolean;
  /** Frames of the window this observer received. */
  frames: number;
  framesLost: number;
  /** Over the frames every observer received (sameFrames of them). */
  oneWay: OneWaySummary;
  /** Frames whose one-way came out negative and were counted as 0. */
  negative: number;
  jitter: number | null;
  bytesPerFrame: number | null;
  rtt: RoundTrip | null;
  /** Recent one-way values, oldest first, for the sparkline. */
  recent: readonly number[];
  seqFrom: number | null;
  seqTo: number | null;
}

export interface ComparisonSnapshot {
  gameId: string;
  /** False until every observer is ready (or the wait gave up) and the window opened. */
  measuring: boolean;
  seqFrom: number | null;
  seqTo: number | null;
  /** Frames every observer received: what the one-way figures describe. */
  sameFrames: number;
  transports: TransportFigures[];
}

/** A live comparison as a UI reads it: a new snapshot a few times a second. */
export interface ComparisonSource {
  snapshot(): ComparisonSnapshot;
  subscribe(listener: () => void): () => void;
}
