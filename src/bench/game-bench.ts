/**
 * The per-transport game bench: a game server in one process, two bot players per game each in
 * its own, measured over one window; then the transport's floor, right after, in the same run
 * and the same shape: a bare relay of the transport's library in one process, sending the
 * same frame on the same 60 Hz grid, and two bare library clients per game, each in its own
 * process, acking every frame. Both are measured by one routine, from the acks at the host.
 */
import type { NetworkConditions } from '../bus/conditioned-bus.js';
import type { TransportName } from '../transports/transport.js';
import { BenchChild, profileFile } from './bench-child.js';
import type { ClientReport, HostReport } from './figures.js';
import type { FloorName, HostConfig, PlayersConfig } from './ipc.js';
import type { Progress } from './progress.js';

export interface GameBenchOptions {
  transports: readonly TransportName[];
  games: number;
  durationS: number;
  warmupMs: number;
  brokerUrl?: string;
  network?: NetworkConditions;
  /**
   * Game and floor measured this many times each per transport, in turn and in ABBA order
   * (game, floor, floor, game, ...), so a machine that drifts over minutes weighs on both;
   * round by round over the transports (see runGameBench).
   */
  rounds?: number;
  /** Each round first measures the machine floor: the game's frames over Node's bare TCP. */
  machineFloor?: boolean;
  /** The game server and each bot player write a CPU profile of each measured window here. */
  profileDir?: string;
  progress: Progress;
}

export interface Ratio {
  p50: number | null;
  p99: number | null;
}

/** One side of a comparison: the host's figures from the acks, and each client's costs. */
export interface Measured {
  server: HostReport;
  clients: ClientReport[];
}

export interface FloorResult extends Measured {
  /** What the floor is: the library and the path. */
  label: string;
}

export interface TransportResult extends Measured {
  transport: TransportName;
  /** Which of the transport's rounds this is, from 1 (see GameBenchOptions.rounds). */
  round: number;
  games: number;
  floor: FloorResult | { error: string };
  /** The game's round trip over the floor's, side by side in this run. */
  vsFloor: Ratio;
}

export const gameIds = (count: number, prefix = 'bench'): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);

export function floorLabel(transport: FloorName, brokerUrl?: string): string {
  switch (transport) {
    case 'tcp':
      return "Node's net, no library";
    case 'ws':
      return 'ws relay, ws clients';
    case 'socketio':
      return 'Socket.io rooms, Socket.io clients';
    case 'mqtt':
      return brokerUrl !== undefined ? 'external broker, mqtt.js clients' : 'Aedes, mqtt.js clients';
    case 'webrtc':
      return 'node-datachannel, unordered, 0 retransmits';
  }
}

/** The machine floor of one round: the game's frames over Node's bare TCP (see runGameBench). */
export type MachineFloorResult = (FloorResult | { error: string }) & { round: number };

export interface GameBenchResult {
  /** One per round, each measured before that round's transports; empty when not asked for. */
  machineFloors: MachineFloorResult[];
  /** In the order measured: every transport's first round, then every transport's second, ... */
  results: TransportResult[];
}

/**
 * Round by round: each round measures the machine floor (with `machineFloor`), then every
 * transport's game and floor, in ABBA order (game first in odd rounds, floor first in even
 * ones). A transport's rounds are thus minutes apart, so a bad minute of the machine weighs on
 * one round of each transport, not on every round of one. The machine floor is the game's
 * shape and pacing over Node's bare TCP with no library (relays/tcp-relay.ts): what every
 * transport's figures stand on, so a tail it has too is the machine's and Node's.
 */
export async function runGameBench(options: GameBenchOptions): Promise<GameBenchResult> {
  const results: TransportResult[] = [];
  const machineFloors: MachineFloorResult[] = [];
  const rounds = options.rounds ?? 1;
  const floorOf = (transport: FloorName, tag: string): Promise<FloorResult | { error: string }> =>
    measure('floor', transport, options, tag).then(
      (measured): FloorResult => ({ label: floorLabel(transport, options.brokerUrl), ...measured }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
  for (let round = 1; round <= rounds; round++) {
    const tag = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
    if (options.machineFloor === true) machineFloors.push({ ...(await floorOf('tcp', tag)), round });
    for (const transport of options.transports) {
      let game: Measured;
      let floor: FloorResult | { error: string };
      if (round % 2 === 1) {
        game = await measure('game', transport, options, tag);
        floor = await floorOf(transport, tag);
      } else {
        floor = await floorOf(transport, tag);
        game = await measure('game', transport, options, tag);
      }
      results.push({ transport, round, games: options.games, ...game, floor, vsFloor: ratio(game.server, floor) });
    }
  }
  options.progress.done();
  return { machineFloors, results };
}

/**
 * The game: pong's server and bot players. The floor: a bare relay and bare clients, with the
 * game's topology (a process sending, one process per player), pacing and warm-up, and no
 * network conditions (those live in pong's server).
 */
async function measure(kind: 'game' | 'floor', transport: FloorName, options: GameBenchOptions, tag: string): Promise<Measured> {
  const games = gameIds(options.games, kind === 'game' ? 'bench' : 'floor');
  const name = `${kind === 'game' ? transport : `${transport} floor`}${tag}`;
  const say = (what: string) => options.progress.show(`bench ${name}: ${what}`);
  const children: BenchChild[] = [];
  try {
    say(kind === 'game' ? 'starting pong server' : `starting the bare relay (${floorLabel(transport, options.brokerUrl)})`);
    const host =
      kind === 'game'
        ? new BenchChild('./server-process.js', `bench-server-${transport}`)
        : new BenchChild('./relay-process.js', `bench-floor-relay-${transport}`);
    children.push(host);
    const hostConfig: HostConfig = {
      role: kind === 'game' ? 'server' : 'floor',
      transport,
      games,
      ...(options.brokerUrl !== undefined ? { brokerUrl: options.brokerUrl } : {}),
      ...(kind === 'game' && options.network !== undefined ? { network: options.network } : {}),
      ...(kind === 'game' && options.profileDir !== undefined ? { profile: profileFile(options.profileDir, `bench-server-${transport}`)! } : {}),
    };
    const { urls } = await host.ask({ type: 'config', config: hostConfig }, 'ready', 20_000);
    say(`connecting ${games.length * 2} ${kind === 'game' ? 'bot players' : 'bare clients'}`);
    const players = games.flatMap((game) =>
      ([1, 2] as const).map((player) => {
        const child =
          kind === 'game'
            ? new BenchChild('./player-process.js', `bench-bot-${transport}-${game}-p${player}`)
            : new BenchChild('./floor-client-process.js', `bench-floor-client-${transport}-${game}-p${player}`);
        children.push(child);
        const profile = kind === 'game' ? profileFile(options.profileDir, `bench-bot-${transport}-${game}-p${player}`) : undefined;
        const config: PlayersConfig = { role: kind === 'game' ? 'bots' : 'floor', transport, urls: urls!, games: [game], player, ...(profile !== undefined ? { profile } : {}) };
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
      host.ask({ type: 'stop', graceMs: 200 }, 'host-report', 30_000),
      ...players.map((p) => p.child.ask({ type: 'stop', graceMs: 0 }, 'client-report', 10_000)),
    ]);
    return { server: hostReport.report, clients: clientReports.map((r) => r.report) };
  } finally {
    say('stopping');
    await Promise.all(children.map((child) => child.kill()));
  }
}

function ratio(server: HostReport, floor: FloorResult | { error: string }): Ratio {
  if ('error' in floor) return { p50: null, p99: null };
  const base = floor.server.acks.roundTrip;
  const of = (game: number | null, floorValue: number | null) =>
    game !== null && floorValue !== null && floorValue > 0 ? Math.round((game / floorValue) * 100) / 100 : null;
  return { p50: of(server.acks.roundTrip.p50, base.p50), p99: of(server.acks.roundTrip.p99, base.p99) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
