/**
 * The scale bench: more and more concurrent games on one host, per transport, until p99 round
 * trip passes 16 ms (a frame's period) or a frame is lost; with pong's server and with the
 * transport's bare relay, driven by the same load generator in the same run.
 *
 * The two climb side by side: each step is measured for both before the next, the one going
 * first alternating from step to step and round to round (ABBA). Measured one whole ladder
 * after the other, a machine whose speed drifts over minutes (a shared one does) favoured
 * whichever ran in the better minutes; `rounds` repeats the climb for a median.
 */
import type { TransportName } from '../transports/transport.js';
import { BenchChild, profileFile } from './bench-child.js';
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
  /** The climb is repeated this many times per transport. Default 1. */
  rounds?: number;
  /** Halvings between each side's last held step and its first failed one. Default DEFAULT_SCALE_HALVINGS. */
  halvings?: number;
  /** Hosts and the load generator write a CPU profile of each measured window here. */
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

/**
 * Server and relay CPU (ms/s) at the largest step both held, and their ratio. Both then carried
 * the same games with no queue building up, so this is what the same load cost each, measured
 * side by side. The sustained counts turn on whether a 16 ms p99 held for 5 s with both processes
 * queueing for two cores, and move by whole steps; this moves less, though it still moves with
 * the machine.
 */
export interface ScaleCpu {
  games: number;
  server: number;
  relay: number;
  ratio: number;
}

export interface ScaleResult {
  transport: TransportName;
  /** Which of the transport's rounds this is, from 1. */
  round: number;
  server: ScaleSeries;
  relay: ScaleSeries;
  /** server.sustained / relay.sustained. */
  ratio: number | null;
  /** null when no step held on both sides. */
  cpu: ScaleCpu | null;
}

export type ScaleRole = 'server' | 'relay';

export async function runScaleBench(options: ScaleOptions): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  const rounds = options.rounds ?? 1;
  for (const transport of options.transports) {
    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
      const { server, relay } = await climb(
        options.steps,
        round,
        (role, games) => measuredStep(role, transport, games, tag, options),
        options.halvings ?? DEFAULT_SCALE_HALVINGS,
      );
      const ratio = relay.sustained > 0 ? Math.round((server.sustained / relay.sustained) * 100) / 100 : null;
      results.push({ transport, round, server, relay, ratio, cpu: cpuAtCommonStep(server, relay) });
    }
  }
  options.progress.done();
  return results;
}

export function cpuAtCommonStep(server: ScaleSeries, relay: ScaleSeries): ScaleCpu | null {
  const held = (series: ScaleSeries) => new Map(series.steps.filter((step) => step.sustained && step.host !== null).map((step) => [step.games, step.host!.usage.cpuMsPerS]));
  const serverCpu = held(server);
  const relayCpu = held(relay);
  const common = [...serverCpu.keys()].filter((games) => relayCpu.has(games) && relayCpu.get(games)! > 0);
  if (common.length === 0) return null;
  const games = Math.max(...common);
  const serverMs = serverCpu.get(games)!;
  const relayMs = relayCpu.get(games)!;
  return { games, server: serverMs, relay: relayMs, ratio: Math.round((serverMs / relayMs) * 100) / 100 };
}

/**
 * Server and relay up the same steps side by side, each stopping at its first step not held;
 * then, `halvings` times, each measures halfway between what it held and where it stopped, so
 * its count is known to an eighth of that gap at 3 rather than to a whole step (the default
 * steps cannot tell 100 games from 199). Who goes first alternates by step and by round:
 * server first on odd rounds' first step. Each series' steps end sorted by games.
 */
export async function climb(
  steps: readonly number[],
  round: number,
  measure: (role: ScaleRole, games: number) => Promise<ScaleStep>,
  halvings = 0,
): Promise<Record<ScaleRole, ScaleSeries>> {
  const series: Record<ScaleRole, ScaleSeries> = { server: { sustained: 0, steps: [] }, relay: { sustained: 0, steps: [] } };
  const climbing: Record<ScaleRole, boolean> = { server: true, relay: true };
  for (const [i, games] of steps.entries()) {
    const order: ScaleRole[] = (i + round) % 2 === 1 ? ['server', 'relay'] : ['relay', 'server'];
    for (const role of order) {
      if (!climbing[role]) continue;
      const step = await measure(role, games);
      series[role].steps.push(step);
      if (step.sustained) series[role].sustained = games;
      else climbing[role] = false;
    }
    if (!climbing.server && !climbing.relay) break;
  }
  // Each side's bracket: what it held, and the step where it stopped (none if it held them all).
  const bracket: Record<ScaleRole, { held: number; failed: number } | null> = { server: null, relay: null };
  for (const role of ['server', 'relay'] as const) {
    const stopped = series[role].steps.find((step) => !step.sustained);
    if (stopped !== undefined) bracket[role] = { held: series[role].sustained, failed: stopped.games };
  }
  for (let halving = 0; halving < halvings; halving++) {
    const order: ScaleRole[] = (halving + round) % 2 === 1 ? ['server', 'relay'] : ['relay', 'server'];
    for (const role of order) {
      const gap = bracket[role];
      if (gap === null) continue;
      const games = Math.round((gap.held + gap.failed) / 2);
      if (games <= gap.held || games >= gap.failed) continue;
      const step = await measure(role, games);
      series[role].steps.push(step);
      if (step.sustained) gap.held = games;
      else gap.failed = games;
      series[role].sustained = gap.held;
    }
  }
  for (const role of ['server', 'relay'] as const) series[role].steps.sort((a, b) => a.games - b.games);
  return series;
}

/** Halvings after the climb by default: the counts to within an eighth of the gap between steps. */
export const DEFAULT_SCALE_HALVINGS = 3;

/** The step a series stopped at: the smallest it did not hold above what it did, if any. */
export function stoppedAt(series: ScaleSeries): ScaleStep | undefined {
  return series.steps.find((step) => !step.sustained && step.games > series.sustained);
}

/** One step, and once more if it was not held: one bad window on a busy machine is not a limit. */
async function measuredStep(role: ScaleRole, transport: TransportName, games: number, tag: string, options: ScaleOptions): Promise<ScaleStep> {
  const what = `scale ${transport} ${role === 'server' ? 'pong server' : 'bare relay'}: ${games} games${tag}`;
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
  options.progress.show(what);
  const step = await attempt();
  if (step.sustained) return step;
  options.progress.show(`${what}, again (${step.reason ?? ''})`);
  return attempt();
}

async function runStep(role: ScaleRole, transport: TransportName, count: number, options: ScaleOptions): Promise<ScaleStep> {
  const games = gameIds(count, 'scale');
  const hostLabel = `scale-${role}-${transport}`;
  const loadLabel = `scale-load-${transport}`;
  const host = new BenchChild(role === 'server' ? './server-process.js' : './relay-process.js', hostLabel);
  const load = new BenchChild('./load-process.js', loadLabel);
  const hostProfile = profileFile(options.profileDir, `${hostLabel}-${count}`);
  const loadProfile = profileFile(options.profileDir, `${loadLabel}-for-${role}-${count}`);
  try {
    const hostConfig: HostConfig = {
      role,
      transport,
      games,
      ...(options.brokerUrl !== undefined ? { brokerUrl: options.brokerUrl } : {}),
      ...(hostProfile !== undefined ? { profile: hostProfile } : {}),
    };
    const { urls } = await host.ask({ type: 'config', config: hostConfig }, 'ready', 30_000);
    const loadConfig: PlayersConfig = { role: 'load', transport, urls: urls!, games, join: role === 'server', ...(loadProfile !== undefined ? { profile: loadProfile } : {}) };
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
