import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { runGameBench } from '../../bench/game-bench.js';
import { runIdleRoomsBench } from '../../bench/idle-rooms-bench.js';
import { clusterMarkdown, runClusterBench } from '../../bench/cluster-bench.js';
import { writeFileSync } from 'node:fs';
import { machineInfo } from '../../bench/machine.js';
import { measurePauses, PAUSE_PROBE_MS } from '../../bench/machine-pauses.js';
import { Progress } from '../../bench/progress.js';
import { RENDER_WARMUP_MS, runRenderBench } from '../../bench/render/render-bench.js';
import { runBrowserRenderBench } from '../../bench/render/browser-render-bench.js';
import { BrowserUnavailable } from '../../bench/render/chromium.js';
import { runViewCostBench } from '../../bench/render/view-cost.js';
import { markdown, type BenchReport } from '../../bench/report.js';
import { DEFAULT_RESULTS_DIR, saveResults } from '../../bench/results.js';
import { DEFAULT_SCALE_HALVINGS, DEFAULT_SCALE_STEPS, runScaleBench } from '../../bench/scale-bench.js';
import { runTickCostBench } from '../../bench/tick-cost-bench.js';
import { CliError } from '../errors.js';
import { networkConditions, withNetworkOptions } from '../network-options.js';
import { checkUrl, parseTransportList } from '../options.js';

export const command = 'bench';
export const describe = 'Headless figures per transport: latency against its floor, CPU, memory, scale, render cost';

/** A bot player's and the server's 60 Hz code is optimized by V8 after 10–30 s of play. */
const GAME_WARMUP_S = 20;
/**
 * The tick cost's windows are nine a round: a shorter warm-up than a game's keeps the run
 * minutes shorter, and one load generator's many clients make the hosts' code hot sooner.
 */
const TICK_COST_WARMUP_S = 10;
/** A step's hundreds of clients make the code hot within a second or two. */
const SCALE_WARMUP_S = 2;

export function builder(yargs: Argv) {
  return withNetworkOptions(yargs)
    .option('transports', { alias: 't', type: 'string', default: 'all', describe: 'Transports to measure: a comma list of mqtt, ws, socketio, webrtc, or all' })
    .option('games', { type: 'number', default: 1, describe: 'Concurrent games (two bot player processes each)' })
    .option('duration', { type: 'number', default: 10, describe: 'Seconds measured per transport (per step with --scale)' })
    .option('warmup', {
      type: 'number',
      describe: `Seconds played before measuring: by default ${GAME_WARMUP_S} per transport for the game and again for its floor (V8 optimizes 60 Hz code only after a while, and until then it is slower), ${SCALE_WARMUP_S} per --scale step, ${RENDER_WARMUP_MS / 1000} for --render`,
    })
    .option('rounds', {
      type: 'number',
      default: 1,
      describe: 'Measure game and floor (with --scale: the climb of server and relay) this many times per transport, in ABBA order: each round\'s ratio and their median',
    })
    .option('json', { type: 'boolean', default: false, describe: 'Print the results as one JSON document instead of tables' })
    .option('scale', { type: 'boolean', default: false, describe: 'Most concurrent games one server sustains, against a bare relay of the transport' })
    .option('steps', { type: 'string', default: DEFAULT_SCALE_STEPS.join(','), describe: '--scale: game counts to try, in order' })
    .option('halvings', {
      type: 'number',
      default: DEFAULT_SCALE_HALVINGS,
      describe: '--scale: then, this many times, each side measures halfway between what it held and where it stopped (0: the steps alone)',
    })
    .option('machine-floor', {
      type: 'boolean',
      default: true,
      describe: 'Game bench: each round first measures the same frames over Node\'s bare TCP, no library (what the machine itself allows); --no-machine-floor skips it',
    })
    .option('tick-cost', {
      type: 'boolean',
      default: true,
      describe: 'Game bench: each round ends with the server\'s CPU idle, at 1 and at 20 games, beside a bare TCP relay paced by setInterval(1000/60) and one paced by pong\'s scheduler; --no-tick-cost skips it',
    })
    .option('render', { type: 'boolean', default: false, describe: 'Cost of the Ink game view at 60 fps in a pseudo-terminal (Linux, needs `script`): `pong play`, `pong watch` and `pong demo`; then of the browser page in headless Chromium' })
    .option('idle-rooms', { type: 'number', describe: 'What N idle rooms (opened by joins, then left) cost a server playing one live game over MQTT' })
    .option('broker', { type: 'string', describe: 'mqtt: an external broker (e.g. Mosquitto) for the game, the floor and the relay' })
    .option('profile', { type: 'string', describe: 'Write CPU profiles (.cpuprofile, of the measured seconds only) into this directory: of the game server and its bot players, or with --scale of each step\'s server or relay and load generator' })
    .option('cluster', {
      type: 'string',
      describe: 'pong serve --cluster: round trip through another node, CPU per game against one process, Redis commands, failover over repeated kills; with a redis://host:port, that Redis (flushed!), else a redis-server of its own',
    })
    .option('kills', { type: 'number', default: 20, describe: '--cluster: owners killed with SIGKILL, one after the other, for the failover figures' })
    .option('out', { type: 'string', default: DEFAULT_RESULTS_DIR, describe: 'Where each run is saved (JSON, markdown and SVG plots)' })
    .check((argv) => {
      parseTransportList(String(argv.transports));
      if (!(Number.isInteger(argv.games) && argv.games >= 1 && argv.games <= 50)) throw new CliError(`invalid --games '${argv.games}': expected 1 to 50 (use --scale for more)`, 2);
      if (!(argv.duration >= 1 && argv.duration <= 3600)) throw new CliError(`invalid --duration '${argv.duration}': expected 1 to 3600 seconds`, 2);
      if (argv.warmup !== undefined && !(argv.warmup >= 0 && argv.warmup <= 120)) throw new CliError(`invalid --warmup '${argv.warmup}': expected 0 to 120 seconds`, 2);
      if (!(Number.isInteger(argv.rounds) && argv.rounds >= 1 && argv.rounds <= 20)) throw new CliError(`invalid --rounds '${argv.rounds}': expected 1 to 20`, 2);
      if (argv.broker !== undefined) checkUrl('--broker', String(argv.broker), ['mqtt:', 'tcp:']);
      parseSteps(String(argv.steps));
      if (!(Number.isInteger(argv.halvings) && argv.halvings >= 0 && argv.halvings <= 10)) throw new CliError(`invalid --halvings '${argv.halvings}': expected 0 to 10`, 2);
      if (argv.scale && argv.render) throw new CliError('--scale and --render are separate runs: pick one', 2);
      if (argv.cluster !== undefined && argv.cluster !== '') checkUrl('--cluster', String(argv.cluster), ['redis:']);
      if (!(Number.isInteger(argv.kills) && argv.kills >= 1 && argv.kills <= 200)) throw new CliError(`invalid --kills '${argv.kills}': expected 1 to 200`, 2);
      const idleRooms = argv.idleRooms as number | undefined;
      if (idleRooms !== undefined) {
        if (!(Number.isInteger(idleRooms) && idleRooms >= 1 && idleRooms <= 10_000)) throw new CliError(`invalid --idle-rooms '${idleRooms}': expected 1 to 10000`, 2);
        if (argv.scale || argv.render) throw new CliError('--idle-rooms is a run of its own: not with --scale or --render', 2);
      }
      return true;
    })
    .epilogue(
      'Per transport: a game server process (`pong serve`\'s PongServer) and two bot player processes per game. Round trip = ' +
        'ack arrival at the server − the frame\'s send time; one-way = client receive time − send time − the clock offset ' +
        'estimated NTP-style from the fastest round trips. Floor: the same frames at the same 60 Hz through the bare libraries ' +
        '(a bare relay and two bare clients per game, each in its own process), measured right after, in the same run; ' +
        'ratios compare the two. Machine floor: the same once more over Node\'s bare TCP with no library, first in each ' +
        'round: what the machine itself allows. Every run is saved under --out: JSON, tables and SVG plots. See BENCHMARKS.md.',
    )
    .example('$0 bench', 'every transport, one game, 10 s each')
    .example('$0 bench -t ws,mqtt --games 4 --duration 20', 'four concurrent games')
    .example('$0 bench --json --duration 2', 'quick machine-readable run')
    .example('$0 bench -t ws --rounds 3', 'game and floor three times each, and the median ratio')
    .example('$0 bench --scale -t ws', 'how many games one server holds over ws')
    .example('$0 bench --scale -t ws --steps 150,200,250,300 --rounds 3', 'the same, climbed three times, and the median')
    .example('$0 bench -t webrtc,ws --delay 20 --jitter 10 --loss 2', 'under simulated network conditions')
    .example('$0 bench --cluster --games 4', 'several servers on one Redis: what the cluster costs, and failover')
    .example('$0 bench -t ws --no-machine-floor --duration 5 --rounds 3', 'the game over ws, then the fixed cost of a tick three times: idle, 1 and 20 games beside a setInterval relay')
    .example('$0 bench --render', 'what the Ink game view costs at 60 fps')
    .example('$0 bench --idle-rooms 1000', 'what 1,000 idle rooms cost a server playing a game');
}

type BenchArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

function parseSteps(value: string): number[] {
  const steps = value.split(',').map((s) => Number(s.trim()));
  if (steps.length === 0 || steps.some((n) => !Number.isInteger(n) || n < 1 || n > 5000)) {
    throw new CliError(`invalid --steps '${value}': expected a comma list of game counts (1 to 5000)`, 2);
  }
  return steps;
}

/** --profile's directory, made if missing, before anything runs: a bad path fails at once. */
function profileDirectory(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot write profiles to --profile '${dir}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
  return absolute;
}

export async function handler(argv: BenchArgs): Promise<void> {
  if (argv.cluster !== undefined) return clusterHandler(argv);
  const idleRooms = argv.idleRooms as number | undefined;
  const transports = argv.render ? ['ws' as const] : idleRooms !== undefined ? ['mqtt' as const] : parseTransportList(String(argv.transports));
  const network = networkConditions(argv);
  const progress = new Progress();
  const durationS = argv.duration;
  const warmupS = argv.warmup ?? (argv.scale ? SCALE_WARMUP_S : argv.render ? RENDER_WARMUP_MS / 1000 : GAME_WARMUP_S);
  const warmupMs = warmupS * 1000;
  const steps = argv.scale ? parseSteps(String(argv.steps)) : [];
  const profileDir = argv.profile !== undefined ? profileDirectory(argv.profile) : undefined;
  progress.show(`bench: how much the machine pauses a process that never yields (${PAUSE_PROBE_MS / 1000} s)`);
  const pauses = measurePauses(PAUSE_PROBE_MS);
  const report: BenchReport = {
    kind: argv.scale ? 'scale' : argv.render ? 'render' : idleRooms !== undefined ? 'rooms' : 'game',
    machine: { ...machineInfo(), pauses },
    settings: {
      transports,
      games: argv.games,
      durationS,
      warmupS,
      ...(!argv.render ? { rounds: argv.rounds } : {}),
      ...(argv.broker !== undefined ? { brokerUrl: argv.broker } : {}),
      ...(network !== undefined ? { network } : {}),
    },
  };
  const brokerUrl = argv.broker;
  const profile = profileDir !== undefined ? { profileDir } : {};
  if (argv.scale) {
    report.scale = await runScaleBench({ transports, steps, durationS, warmupMs, rounds: argv.rounds, halvings: argv.halvings, progress, ...profile, ...(brokerUrl !== undefined ? { brokerUrl } : {}) });
  } else if (argv.render) {
    report.render = await runRenderBench({ durationS, warmupMs, progress });
    report.views = await runViewCostBench({ durationS, warmupMs, progress });
    try {
      report.browserRender = await runBrowserRenderBench({ durationS, warmupMs, progress });
    } catch (error) {
      if (!(error instanceof BrowserUnavailable)) throw error;
      report.browserRender = { unavailable: error.message };
    }
  } else if (idleRooms !== undefined) {
    report.rooms = await runIdleRoomsBench({ rooms: idleRooms, durationS, warmupMs, progress });
  } else {
    const { machineFloors, results } = await runGameBench({
      transports,
      games: argv.games,
      durationS,
      warmupMs,
      rounds: argv.rounds,
      progress,
      machineFloor: argv.machineFloor,
      ...profile,
      ...(brokerUrl !== undefined ? { brokerUrl } : {}),
      ...(network !== undefined ? { network } : {}),
    });
    if (argv.machineFloor) report.machineFloors = machineFloors;
    report.game = results;
    if (argv.tickCost) {
      report.tickCost = await runTickCostBench({
        // ws when measured: the leanest gateway, so the figure is the loop's and the game's.
        transport: transports.includes('ws') ? 'ws' : transports[0]!,
        durationS,
        warmupMs: (argv.warmup ?? TICK_COST_WARMUP_S) * 1000,
        rounds: argv.rounds,
        progress,
      });
    }
  }
  const saved = await saveResults(report, argv.out);
  if (argv.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${markdown(report)}\nsaved: ${saved.md}\n${saved.plots.map((file) => `plot: ${file}\n`).join('')}`);
}

/** pong bench --cluster: a run of its own, saved as <date>-cluster.json and .md under --out. */
async function clusterHandler(argv: BenchArgs): Promise<void> {
  const progress = new Progress();
  const url = argv.cluster === '' ? undefined : argv.cluster;
  const date = new Date().toISOString();
  const result = await runClusterBench({
    ...(url !== undefined ? { redisUrl: url } : {}),
    games: argv.games,
    durationS: argv.duration,
    warmupS: argv.warmup ?? 5,
    kills: argv.kills,
    progress,
  });
  progress.done();
  const report = { kind: 'cluster', machine: machineInfo(), date, result };
  mkdirSync(argv.out, { recursive: true });
  const base = path.join(argv.out, `${date.replace(/[:.]/g, '-')}-cluster`);
  const md = clusterMarkdown(result, date);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, md);
  if (argv.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${md}\nsaved: ${base}.md\n`);
}
