/**
 * The scale bench: more and more concurrent games on one host, per transport, until p99 round
 * trip passes 16 ms (a frame's period) or a frame is lost; once with pong's server and once
 * with the transport's bare relay, driven by the same load generator in the same run.
 */
import type { TransportName } from '../transports/transport.js';
import { BenchChild, profileArgs } from './bench-child.js';
import type { ClientReport, HostReport } from './figures.js';
import { gameIds, sleep } from './game-bench.js';
import type { HostConfig, PlayersConfig } from './ipc.js';
import type { Progress } from './progress.js';

export const DEFAULT_SCALE_STEPS = [50, 100, 200, 300, 500, 750, 1000];
/** One frame period at 60 Hz: beyond it, frames queue faster than they leave. */
export const SCALE_P99_LIMIT_MS = 16;

export interface ScaleOptions {
  transports: readonly TransportName[];
  steps: readonly number[];
  durationS: number;
  warmupMs: number;
  brokerUrl?: string;
  /** Hosts write a CPU profile (node --cpu-prof) here. */
  profileDir?: string;
  progress: Progress;
}

export interface ScaleStep {
  games: number;
  sustained: boolean;
  /** Why not, when not. */
  reason?: string;
  failedClients: number;
  host: HostReport | null;
  load: ClientReport | null;
}

export interface ScaleSeries {
  /** Largest game count sustained (0: not even the first step). */
  sustained: number;
  steps: ScaleStep[];
}

export interface ScaleResult {
  transport: TransportName;
  server: ScaleSeries;
  relay: ScaleSeries;
  /** server.sustained / relay.sustained. */
  ratio: number | null;
}

export async function runScaleBench(options: ScaleOptions): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const transport of options.transports) {
    const server = await series('server', transport, options);
    const relay = await series('relay', transport, options);
    const ratio = relay.sustained > 0 ? Math.round((server.sustained / relay.sustained) * 100) / 100 : null;
    results.push({ transport, server, relay, ratio });
  }
  options.progress.done();
  return results;
}

async function series(role: 'server' | 'relay', transport: TransportName, options: ScaleOptions): Promise<ScaleSeries> {
  const steps: ScaleStep[] = [];
  let sustained = 0;
  for (const games of options.steps) {
    options.progress.show(`scale ${transport} ${role === 'server' ? 'pong server' : 'bare relay'}: ${games} games`);
    const attempt = () =>
      runStep(role, transport, games, options).catch(
      (error: unknown): ScaleStep => ({
        games,
        sustained: false,
        reason: error instanceof Error ? error.message : String(error),
        failedClients: 0,
        host: null,
        load: null,
      }),
    );
    // One bad window on a busy machine is not a limit: a step must fail twice.
    let step = await attempt();
    if (!step.sustained) {
      options.progress.show(`scale ${transport} ${role === 'server' ? 'pong server' : 'bare relay'}: ${games} games, again (${step.reason ?? ''})`);
      step = await attempt();
    }
    steps.push(step);
    if (!step.sustained) break;
    sustained = games;
  }
  return { sustained, steps };
}

async function runStep(role: 'server' | 'relay', transport: TransportName, count: number, options: ScaleOptions): Promise<ScaleStep> {
  const games = gameIds(count, 'scale');
  const hostLabel = `scale-${role}-${transport}`;
  const loadLabel = `scale-load-${transport}`;
  const host = new BenchChild(role === 'server' ? './server-process.js' : './relay-process.js', hostLabel, profileArgs(options.profileDir, `${hostLabel}-${count}`));
  const load = new BenchChild('./load-process.js', loadLabel, profileArgs(options.profileDir, `${loadLabel}-for-${role}-${count}`));
  try {
    const hostConfig: HostConfig = { role, transport, games, ...(options.brokerUrl !== undefined ? { brokerUrl: options.brokerUrl } : {}) };
    const { urls } = await host.ask({ type: 'config', config: hostConfig }, 'ready', 30_000);
    const loadConfig: PlayersConfig = { role: 'load', transport, urls: urls!, games, join: role === 'server' };
    const connectBudget = 30_000 + count * (transport === 'webrtc' ? 200 : 30);
    const { failed = 0 } = await load.ask({ type: 'config', config: loadConfig }, 'ready', connectBudget);
    await sleep(options.warmupMs);
    await Promise.all([host.ask({ type: 'measure' }, 'measuring', 10_000), load.ask({ type: 'measure' }, 'measuring', 10_000)]);
    await sleep(options.durationS * 1000);
    const [hostReport, loadReport] = await Promise.all([
      host.ask({ type: 'stop', graceMs: 500 }, 'host-report', 60_000),
      load.ask({ type: 'stop', graceMs: 0 }, 'client-report', 30_000),
    ]);
    const report = hostReport.report;
    const p99 = report.acks.roundTrip.p99;
    const reason =
      failed > 0
        ? `${failed} clients could not connect`
        : p99 === null
          ? 'no acks'
          : p99 > SCALE_P99_LIMIT_MS
            ? `p99 ${p99} ms > ${SCALE_P99_LIMIT_MS} ms`
            : report.acks.framesLost > 0
              ? `${report.acks.framesLost} frames lost`
              : undefined;
    return {
      games: count,
      sustained: reason === undefined,
      ...(reason !== undefined ? { reason } : {}),
      failedClients: failed,
      host: report,
      load: loadReport.report,
    };
  } finally {
    await Promise.all([load.close(10_000), host.close(10_000)]);
  }
}
