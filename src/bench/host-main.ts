/**
 * The child side of a bench host (game server or bare relay): builds the host from its config,
 * then answers measure/stop/close. A window is a range of frame seqs per game, taken at
 * measure and at stop; acks for those frames still in flight get `graceMs` to arrive.
 */
import { systemClock } from '../metrics/clock.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { DEFAULT_FPS } from '../protocol/constants.js';
import { roundOrNull } from '../protocol/round.js';
import type { PacingFigures } from './figures.js';
import { AckLog, type SeqWindow } from './ack-log.js';
import type { FromChild, HostConfig, HostUrls, ToChild } from './ipc.js';
import { usageMark, usageSince, type UsageMark } from './usage.js';
import { WindowProfiler } from './window-profiler.js';

export interface BenchHost {
  urls: HostUrls;
  /** Seq of the newest frame sent for `game` (0 before the first). */
  seqOf(game: string): number;
  stop(): Promise<void>;
}

/** What a host calls as acks and ticks happen. */
export interface HostProbes {
  /** `at`: when the ack arrived, if the host stamped it already; otherwise now. */
  ack(topic: string, payload: string, at?: number): void;
  tickError(errorMs: number): void;
}

/** The period the hosts tick at: the game's. */
const PERIOD_MS = 1000 / DEFAULT_FPS;

export function runHost(create: (config: HostConfig, probes: HostProbes) => Promise<BenchHost>): void {
  const log = new AckLog();
  const ticks = new LatencyHistogram();
  const intervals = new LatencyHistogram();
  let ticking = false;
  let lastTickAt: number | null = null;
  let windowStart = 0;
  const probes: HostProbes = {
    ack: (topic, payload, at) => log.record(topic, payload, at ?? systemClock()),
    // Called as each tick starts: its time is the tick's, for the intervals between ticks.
    tickError: (errorMs) => {
      if (!ticking) return;
      const now = systemClock();
      ticks.record(errorMs);
      if (lastTickAt !== null) intervals.record(Math.abs(now - lastTickAt - PERIOD_MS));
      lastTickAt = now;
    },
  };
  const send = (message: FromChild) => process.send?.(message);
  let host: BenchHost | null = null;
  let games: string[] = [];
  let from = new Map<string, number>();
  let mark: UsageMark = usageMark();
  let profiler = new WindowProfiler(undefined);

  const close = async (): Promise<never> => {
    await host?.stop().catch(() => {});
    process.exit(0);
  };
  process.once('disconnect', () => void close());

  process.on('message', (message: ToChild) => {
    switch (message.type) {
      case 'config': {
        const config = message.config as HostConfig;
        games = config.games;
        profiler = new WindowProfiler(config.profile);
        create(config, probes).then(
          (created) => {
            host = created;
            send({ type: 'ready', urls: created.urls });
          },
          (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
      case 'measure':
        profiler.start().then(
          () => {
            from = new Map(games.map((game) => [game, host?.seqOf(game) ?? 0]));
            log.clear();
            log.recording = true;
            ticks.reset();
            intervals.reset();
            lastTickAt = null;
            windowStart = systemClock();
            ticking = true;
            mark = usageMark();
            send({ type: 'measuring' });
          },
          (error: unknown) => send({ type: 'failed', message: `cannot profile: ${error instanceof Error ? error.message : String(error)}` }),
        );
        return;
      case 'stop': {
        const windows = new Map<string, SeqWindow>(games.map((game) => [game, { from: from.get(game) ?? 0, to: host?.seqOf(game) ?? 0 }]));
        const usage = usageSince(mark);
        ticking = false;
        const seconds = (systemClock() - windowStart) / 1000;
        const pacing: PacingFigures = {
          ticksPerS: seconds > 0 ? Math.round((ticks.count / seconds) * 100) / 100 : null,
          intervalError: { p50: roundOrNull(intervals.percentile(50)), p99: roundOrNull(intervals.percentile(99)), max: roundOrNull(intervals.max) },
        };
        // Settled at once, so a failure waits for the grace without being an unhandled rejection.
        const profiled = profiler.stop().then(
          () => null,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        setTimeout(async () => {
          const profileError = await profiled;
          if (profileError !== null) {
            send({ type: 'failed', message: `cannot write the profile: ${profileError}` });
            return;
          }
          log.recording = false;
          const acks = log.figures(windows);
          log.clear();
          const tickError = { ticks: ticks.count, p50: roundOrNull(ticks.percentile(50)), p99: roundOrNull(ticks.percentile(99)), max: roundOrNull(ticks.max) };
          send({ type: 'host-report', report: { usage, tickError, acks, pacing } });
        }, message.graceMs);
        return;
      }
      case 'close':
        void close();
        return;
    }
  });
}
