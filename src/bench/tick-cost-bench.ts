/**
 * The fixed cost of a tick: the game server's CPU per second with no game playing, with one
 * and with 20, beside the machine floor's bare TCP relay under two pacings (pong's scheduler,
 * and a bare setInterval(1000 / 60), the simplest server anyone would write), in the same run.
 * Every host with games is driven by the same load generator (one process acking every frame
 * of every game, as the scale bench's), so what differs is the host. The ratio that matters:
 * pong's server over the setInterval relay at the same game count, with each one's tick error
 * (against the 60 Hz grid) and the intervals between its ticks beside it. Each host's CPU is
 * read from /proc by the bench itself, every thread, where the system has it.
 */
import type { TransportName } from '../transports/transport.js';
import { BenchChild } from './bench-child.js';
import type { HostReport } from './figures.js';
import { gameIds, sleep } from './game-bench.js';
import { processCpuNs } from './proc-cpu.js';
import type { FloorName, HostConfig, PlayersConfig, RelayPacing } from './ipc.js';
import type { Progress } from './progress.js';

export const TICK_COST_GAMES = [0, 1, 20] as const;

/** An idle window lasts this many times --duration. */
export const IDLE_WINDOW_FACTOR = 3;

export type TickCostHost = 'pong' | 'setInterval floor' | 'scheduler floor';
export const TICK_COST_HOSTS: readonly TickCostHost[] = ['pong', 'setInterval floor', 'scheduler floor'];

export interface TickCostOptions {
  /** pong's server's transport; the floors are bare TCP. */
  transport: TransportName;
  games?: readonly number[];
  durationS: number;
  warmupMs: number;
  rounds?: number;
  progress: Progress;
}

export interface TickCostWindow {
  host: TickCostHost;
  games: number;
  round: number;
  /** null when the window could not be measured; then `error` says why. */
  report: HostReport | null;
  error?: string;
}

export interface TickCostRow {
  games: number;
  /** Median over rounds of each host's CPU ms per second. */
  cpuMsPerS: Record<TickCostHost, number | null>;
  /** Median over rounds of each host's tick error p99, ms. */
  tickErrorP99: Record<TickCostHost, number | null>;
  /** Median over rounds of each host's |tick interval − period| p99, ms. */
  intervalErrorP99: Record<TickCostHost, number | null>;
  /** Median over rounds of each host's ticks per second. */
  ticksPerS: Record<TickCostHost, number | null>;
  /** Median of the rounds' pong CPU / setInterval floor CPU, each measured side by side. */
  pongVsSetInterval: number | null;
}

export interface TickCostResult {
  transport: TransportName;
  rounds: number;
  windows: TickCostWindow[];
  rows: TickCostRow[];
}

export async function runTickCostBench(options: TickCostOptions): Promise<TickCostResult> {
  const counts = options.games ?? TICK_COST_GAMES;
  const rounds = options.rounds ?? 1;
  const windows: TickCostWindow[] = [];
  for (let round = 1; round <= rounds; round++) {
    const tag = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
    for (const games of counts) {
      // ABBA: a machine that drifts over minutes weighs on every host alike.
      const order = round % 2 === 1 ? TICK_COST_HOSTS : [...TICK_COST_HOSTS].reverse();
      for (const host of order) {
        options.progress.show(`bench tick cost${tag}: ${host}, ${games} game${games === 1 ? '' : 's'}`);
        try {
          windows.push({ host, games, round, report: await measureWindow(host, games, options) });
        } catch (error) {
          windows.push({ host, games, round, report: null, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
  options.progress.done();
  return { transport: options.transport, rounds, windows, rows: counts.map((games) => rowOf(games, windows.filter((w) => w.games === games))) };
}

async function measureWindow(host: TickCostHost, games: number, options: TickCostOptions): Promise<HostReport> {
  const ids = gameIds(games, 'tick');
  const transport: FloorName = host === 'pong' ? options.transport : 'tcp';
  const pacing: RelayPacing = host === 'setInterval floor' ? 'setInterval' : 'scheduler';
  const label = `bench-tick-${host === 'pong' ? 'server' : pacing}-${games}`;
  const server = new BenchChild(host === 'pong' ? './server-process.js' : './relay-process.js', label);
  const children = [server];
  try {
    // Idle, pong's server keeps one room waiting, nobody in it: a waiting room must cost nothing.
    const serverGames = games === 0 ? ['tick-waiting'] : ids;
    const config: HostConfig = host === 'pong' ? { role: 'server', transport, games: serverGames } : { role: 'floor', transport, games: ids, pacing };
    const { urls } = await server.ask({ type: 'config', config }, 'ready', 20_000);
    if (games > 0) {
      const load = new BenchChild('./load-process.js', `${label}-load`);
      children.push(load);
      const players: PlayersConfig = { role: 'load', transport, urls: urls!, games: ids, join: host === 'pong' };
      const { failed = 0 } = await load.ask({ type: 'config', config: players }, 'ready', 30_000);
      if (failed > 0) throw new Error(`${failed} clients could not connect`);
    }
    // An idle host has no code to warm up, only its start-up to settle, and that takes as long:
    // V8's compiler and GC threads still ran 4–8 ms/s of a process with no timer 1 s after
    // start, and 9–11 ms/s in the 10 s from 5 s after (the bare relay with no game as much as
    // pong's server), 1–3 ms/s from 15 s.
    await sleep(options.warmupMs);
    await Promise.all(children.map((child) => child.ask({ type: 'measure' }, 'measuring', 5_000)));
    // Idle, a window is three times as long: at the default 10 s, one whole period of Node's
    // HTTP connections check (30 s), the one timer an idle pong server keeps, which a shorter
    // window would catch or not, by chance.
    const seconds = games === 0 ? options.durationS * IDLE_WINDOW_FACTOR : options.durationS;
    const pid = server.pid;
    const from = pid === undefined ? null : processCpuNs(pid);
    const started = performance.now();
    await sleep(seconds * 1000);
    const to = pid === undefined ? null : processCpuNs(pid);
    const elapsedS = (performance.now() - started) / 1000;
    const { report } = await server.ask({ type: 'stop', graceMs: 200 }, 'host-report', 30_000);
    // Read from outside, the window holds no wake of the host's own to answer the bench.
    if (from === null || to === null) return report;
    return { ...report, usage: { ...report.usage, cpuMsPerS: Math.round(((to - from) / 1e6 / elapsedS) * 10) / 10 } };
  } finally {
    await Promise.all(children.map((child) => child.kill()));
  }
}

function rowOf(games: number, windows: readonly TickCostWindow[]): TickCostRow {
  const per = (pick: (report: HostReport) => number | null): Record<TickCostHost, number | null> => {
    const out = {} as Record<TickCostHost, number | null>;
    for (const host of TICK_COST_HOSTS) out[host] = median(windows.filter((w) => w.host === host).map((w) => (w.report === null ? null : pick(w.report))));
    return out;
  };
  const ratios = [...new Set(windows.map((w) => w.round))].map((round) => {
    const of = (host: TickCostHost) => windows.find((w) => w.round === round && w.host === host)?.report?.usage.cpuMsPerS ?? null;
    const pong = of('pong');
    const plain = of('setInterval floor');
    return pong !== null && plain !== null && plain > 0 ? pong / plain : null;
  });
  const ratio = median(ratios);
  return {
    games,
    cpuMsPerS: per((r) => r.usage.cpuMsPerS),
    tickErrorP99: per((r) => r.tickError.p99),
    intervalErrorP99: per((r) => r.pacing?.intervalError.p99 ?? null),
    ticksPerS: per((r) => r.pacing?.ticksPerS ?? null),
    pongVsSetInterval: ratio === null ? null : Math.round(ratio * 100) / 100,
  };
}

export function median(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = known.length >> 1;
  return known.length % 2 === 1 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}
