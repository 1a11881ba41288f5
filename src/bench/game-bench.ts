/**
 * The per-transport game bench: a game server in one process, two bot players per game each in
 * its own, measured over one window; then the transport's floor, right after, in the same run.
 */
import type { NetworkConditions } from '../server/conditioned-bus.js';
import type { TransportName } from '../transports/transport.js';
import { BenchChild, profileArgs } from './bench-child.js';
import type { ClientReport, HostReport } from './figures.js';
import { measureFloor, type FloorFigures } from './floors/pinger.js';
import type { HostConfig, PlayersConfig } from './ipc.js';
import type { Progress } from './progress.js';

export interface GameBenchOptions {
  transports: readonly TransportName[];
  games: number;
  durationS: number;
  warmupMs: number;
  brokerUrl?: string;
  network?: NetworkConditions;
  /** The game server writes a CPU profile (node --cpu-prof) here. */
  profileDir?: string;
  progress: Progress;
}

export interface Ratio {
  p50: number | null;
  p99: number | null;
}

export interface TransportResult {
  transport: TransportName;
  games: number;
  server: HostReport;
  clients: ClientReport[];
  floor: FloorFigures | { error: string };
  /** The game's round trip over the floor's, side by side in this run. */
  vsFloor: Ratio;
}

export const gameIds = (count: number, prefix = 'bench'): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);

export async function runGameBench(options: GameBenchOptions): Promise<TransportResult[]> {
  const results: TransportResult[] = [];
  for (const transport of options.transports) {
    const game = await measureGame(transport, options);
    options.progress.show(`bench ${transport}: floor (${floorName(transport)}), ${options.durationS} s`);
    const floor = await measureFloor(transport, {
      // The same warm-up as the game's: side by side means equally warm.
      warmupMs: options.warmupMs,
      durationMs: options.durationS * 1000,
      ...(options.brokerUrl !== undefined ? { brokerUrl: options.brokerUrl } : {}),
    }).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    results.push({ transport, games: options.games, ...game, floor, vsFloor: ratio(game.server, floor) });
  }
  options.progress.done();
  return results;
}

function floorName(transport: TransportName): string {
  return transport === 'webrtc' ? 'bare data channel' : `bare ${transport}`;
}

async function measureGame(transport: TransportName, options: GameBenchOptions): Promise<{ server: HostReport; clients: ClientReport[] }> {
  const games = gameIds(options.games);
  const say = (what: string) => options.progress.show(`bench ${transport}: ${what}`);
  const children: BenchChild[] = [];
  try {
    say('starting pong server');
    const server = new BenchChild('./server-process.js', `bench-server-${transport}`, profileArgs(options.profileDir, `bench-server-${transport}`));
    children.push(server);
    const hostConfig: HostConfig = {
      role: 'server',
      transport,
      games,
      ...(options.brokerUrl !== undefined ? { brokerUrl: options.brokerUrl } : {}),
      ...(options.network !== undefined ? { network: options.network } : {}),
    };
    const { urls } = await server.ask({ type: 'config', config: hostConfig }, 'ready', 20_000);
    say(`connecting ${games.length * 2} bot players`);
    const players = games.flatMap((game) =>
      ([1, 2] as const).map((player) => {
        const child = new BenchChild('./player-process.js', `bench-bot-${transport}-${game}-p${player}`);
        children.push(child);
        const config: PlayersConfig = { role: 'bots', transport, urls: urls!, games: [game], player };
        return { child, ready: child.ask({ type: 'config', config }, 'ready', 30_000) };
      }),
    );
    await Promise.all(players.map((p) => p.ready));
    say('warming up');
    await sleep(options.warmupMs);
    await Promise.all(children.map((child) => child.ask({ type: 'measure' }, 'measuring', 5_000)));
    say(`measuring ${options.durationS} s, ${games.length} game${games.length === 1 ? '' : 's'}`);
    await sleep(options.durationS * 1000);
    const [hostReport, ...clientReports] = await Promise.all([
      server.ask({ type: 'stop', graceMs: 200 }, 'host-report', 30_000),
      ...players.map((p) => p.child.ask({ type: 'stop', graceMs: 0 }, 'client-report', 10_000)),
    ]);
    return { server: hostReport.report, clients: clientReports.map((r) => r.report) };
  } finally {
    say('stopping');
    // A profiled server must exit on its own to write its profile.
    await Promise.all(children.map((child, i) => (i === 0 && options.profileDir !== undefined ? child.close() : child.kill())));
  }
}

function ratio(server: HostReport, floor: FloorFigures | { error: string }): Ratio {
  if ('error' in floor) return { p50: null, p99: null };
  const of = (game: number | null, base: number | null) => (game !== null && base !== null && base > 0 ? Math.round((game / base) * 100) / 100 : null);
  return { p50: of(server.acks.roundTrip.p50, floor.roundTrip.p50), p99: of(server.acks.roundTrip.p99, floor.roundTrip.p99) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
