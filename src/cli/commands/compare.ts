import { closeSync, existsSync, openSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { ClientControls } from '../../client/view-state.js';
import type { GameSession } from '../../client/session.js';
import { hostGame, type HostedGame } from '../../compare/game-host.js';
import { ObserverLink } from '../../compare/observer-link.js';
import { writeTimelinePlot } from '../../compare/plot.js';
import { compareReport, type CompareReport } from '../../compare/report.js';
import { DEFAULT_GAME_ID } from '../../protocol/constants.js';
import type { TransportName } from '../../transports/transport.js';
import { renderCompare } from '../../ui/compare/render.js';
import { createSession, newClientId, startSession, transportExtra } from '../connect.js';
import { CliError, describeError } from '../errors.js';
import { DEFAULT_BROKER_URL, DEFAULT_SERVER_URL, checkGameId, checkUrl, parseTransportList, type ClientArgs } from '../options.js';
import { mosquittoSubCommand } from '../server-runner.js';
import { requireInteractiveTerminal } from '../terminal.js';
import { networkArgs, networkConditions, withNetworkOptions } from '../network-options.js';
import type { NetworkConditions } from '../../bus/conditioned-bus.js';

export const command = 'compare';
export const describe = 'One game watched over every transport at once, latency side by side';

/** Long enough for a WebRTC observer's ICE and the server's first two stats rounds. */
const READY_TIMEOUT_MS = 15_000;
/** The screen starts measuring with whoever is ready by then, and shows who is not. */
const SCREEN_READY_TIMEOUT_MS = 8_000;
/** Plenty for a 40 x 6 court, at half the CPU of 60. */
const COURT_FPS = 30;

export function builder(yargs: Argv) {
  return withNetworkOptions(yargs)
    .option('transports', {
      alias: 't',
      type: 'string',
      default: 'all',
      describe: 'Transports to compare: a comma list of mqtt, ws, socketio, webrtc, or all',
    })
    .option('play', { type: 'boolean', default: false, describe: 'Play as player 1 against a bot (over the first transport listed)' })
    .option('json', { type: 'boolean', default: false, describe: 'No screen: measure for --duration seconds, print one JSON document' })
    .option('duration', { type: 'number', default: 10, describe: '--json and --plot: seconds measured, from when every observer knows its clock offset' })
    .option('plot', {
      type: 'string',
      describe: "No screen: measure for --duration seconds and draw every frame's one-way latency over time, a line per transport, into this SVG file",
    })
    .option('game', { alias: 'g', type: 'string', default: DEFAULT_GAME_ID, describe: 'Game id' })
    .option('server', { type: 'string', describe: `Watch a running server instead of starting one (e.g. ${DEFAULT_SERVER_URL})` })
    .option('broker', { type: 'string', describe: `Its MQTT broker (default ${DEFAULT_BROKER_URL} when --server is given)` })
    .option('skill', { type: 'number', default: 0.9, describe: 'Skill of the bot players (0-1)' })
    .option('signaling', { type: 'string', choices: ['ws', 'socketio'], default: 'ws', describe: 'webrtc: signaling channel' })
    .option('ice', { type: 'string', array: true, default: [] as string[], describe: 'webrtc: add an ICE server (stun:host:port), repeatable' })
    .check((argv) => {
      parseTransportList(String(argv.transports));
      checkGameId(String(argv.game));
      if (argv.server !== undefined) checkUrl('--server', String(argv.server), ['http:', 'https:']);
      if (argv.broker !== undefined) checkUrl('--broker', String(argv.broker), ['mqtt:', 'mqtts:', 'tcp:']);
      if (!(argv.duration >= 1 && argv.duration <= 3600)) throw new CliError(`invalid --duration '${argv.duration}': expected 1 to 3600 seconds`, 2);
      if (!(argv.skill >= 0 && argv.skill <= 1)) throw new CliError(`invalid --skill '${argv.skill}': expected a number from 0 to 1`, 2);
      if (argv.play && argv.json) throw new CliError('--play needs the screen: leave out --json', 2);
      if (argv.play && argv.plot !== undefined) throw new CliError('--play needs the screen: leave out --plot', 2);
      if (argv.plot !== undefined && path.extname(String(argv.plot)).toLowerCase() !== '.svg') {
        throw new CliError(`invalid --plot '${argv.plot}': expected a file name ending in .svg`, 2);
      }
      return true;
    })
    .epilogue(
      'Each transport gets its own observer client; all ack every ball frame, so the server measures each one\'s ' +
        'round trip and clock offset. one-way = receive time − server send time − that offset, summarised over the ' +
        'frames every observer received. B/frame is the growth of the socket\'s received bytes divided by the frames ' +
        'received meanwhile: protocol headers and the other topics\' share (paddles, state, stats) included. Without --server, ' +
        'it starts `pong serve` (MQTT always included, for mosquitto_sub) and bots in child processes.',
    )
    .example('$0 compare', 'start a game between two bots and compare every transport')
    .example('$0 compare --play -t mqtt,ws', 'play against a bot, compare MQTT and WebSocket')
    .example('$0 compare --json --duration 5', 'measure 5 s, print the figures as JSON')
    .example('$0 compare --plot loss.svg --duration 20 --loss 3', 'every frame over 20 s with 3% loss, as a picture')
    .example('$0 compare --server http://192.168.1.20:8080 --broker mqtt://192.168.1.20:1883', 'watch a game on a LAN server');
}

type CompareArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: CompareArgs): Promise<void> {
  const transports = parseTransportList(String(argv.transports));
  const plotFile = argv.plot !== undefined ? plotTarget(String(argv.plot)) : undefined;
  const headless = argv.json || plotFile !== undefined;
  if (!headless) requireInteractiveTerminal('compare');
  const stop = new StopSignal();
  const external = argv.server !== undefined || argv.broker !== undefined;
  if (external && networkConditions(argv)) throw new CliError('--delay, --jitter and --loss apply to the server compare starts: with --server, give them to its `pong serve`', 2);
  let host: HostedGame | null = null;
  let player: GameSession | null = null;
  let comparison: ObserverLink | null = null;
  try {
    if (!external) {
      host = await stop.race(
        hostGame({ gameId: argv.game, transports, bots: argv.play ? [2] : [1, 2], skill: argv.skill, serveArgs: networkArgs(networkConditions(argv)) }).catch((error: unknown) => {
          throw new CliError(describeError(error));
        }),
      );
    }
    const urls = {
      server: host ? (host.httpUrl ?? DEFAULT_SERVER_URL) : (argv.server ?? DEFAULT_SERVER_URL),
      broker: host ? host.mqttUrl : (argv.broker ?? DEFAULT_BROKER_URL),
    };
    const clientArgs = (transport: TransportName): ClientArgs => ({
      game: argv.game,
      transport,
      ...urls,
      polling: false,
      signaling: argv.signaling === 'socketio' ? 'socketio' : 'ws',
      ice: argv.ice,
    });
    if (argv.play) {
      const args = clientArgs(transports[0]!);
      player = createSession(args, { kind: 'player', player: 1 }, newClientId('p1'));
      await stop.race(startSession(player, args));
    }
    comparison = new ObserverLink({
      gameId: argv.game,
      transports,
      serverUrl: urls.server,
      brokerUrl: urls.broker,
      extra: Object.fromEntries(transports.map((name) => [name, transportExtra(clientArgs(name))])),
      courtFps: headless || player ? 0 : COURT_FPS,
      timeline: plotFile !== undefined,
    });
    const where = host
      ? `pong serve, ${argv.play ? 'a bot' : '2 bots'} and the observers: child processes`
      : `server ${urls.server} · broker ${urls.broker}`;
    const title = transports.includes('mqtt') || host ? `pong compare · also watch: ${mosquittoSubCommand(urls.broker, argv.game)}` : 'pong compare';
    const network = external ? undefined : networkConditions(argv);
    const run: HeadlessRun = { durationS: argv.duration, json: argv.json, ...(plotFile !== undefined ? { plotFile } : {}), ...(network !== undefined ? { network } : {}) };
    if (headless) await runHeadless(comparison, run, stop);
    else await runScreen(comparison, player, { where, title, transports: transports.length }, stop);
  } finally {
    stop.dispose();
    await comparison?.close();
    await player?.close();
    await host?.stop();
  }
}

interface HeadlessRun {
  durationS: number;
  /** Print the figures as one JSON document. */
  json: boolean;
  /** Draw every frame into this SVG file. */
  plotFile?: string;
  network?: NetworkConditions;
}

/** --json and --plot: no screen, measure for the duration, then print and draw. */
async function runHeadless(comparison: ObserverLink, run: HeadlessRun, stop: StopSignal): Promise<void> {
  const failed = await stop.race(comparison.start());
  if (failed.length > 0) {
    const { name, message } = failed[0]!;
    throw new CliError(`the ${name} observer could not connect: ${message}`);
  }
  const notReady = await stop.race(comparison.whenReady(READY_TIMEOUT_MS));
  if (notReady.length > 0) {
    const names = notReady.join(', ');
    throw new CliError(`the server measured no clock offset for ${names} within ${READY_TIMEOUT_MS / 1000} s — is the game's server running?`);
  }
  const started = new Date();
  comparison.measure();
  await stop.race(new Promise((resolve) => setTimeout(resolve, run.durationS * 1000)));
  const { snapshot, timeline } = await comparison.finish(finishGraceMs(run.network));
  if (snapshot.sameFrames === 0) throw new CliError('no ball frame reached every observer');
  const report = compareReport(snapshot, run.durationS);
  if (run.plotFile !== undefined) {
    if (timeline === null) throw new CliError('the observers kept no frames to plot');
    await writeTimelinePlot(run.plotFile, timeline, { durationS: run.durationS, machine: report.machine, date: started, ...(run.network !== undefined ? { network: run.network } : {}) }).catch(
      (error: unknown) => {
        throw new CliError(`could not draw --plot '${run.plotFile}': ${describeError(error)}`);
      },
    );
  }
  if (run.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(plotSummary(report, run.plotFile!));
}

/**
 * How long the frames still in flight at the end get: 300 ms, and under simulated loss long
 * enough for a message lost twice on a TCP transport to arrive (its retransmit timeout, then
 * twice that; see src/bus/conditioned-bus.ts), or the window's last frames would count as
 * lost where they were only late.
 */
function finishGraceMs(network: NetworkConditions | undefined): number {
  if (network === undefined) return 300;
  const oneWay = network.delayMs + network.jitterMs;
  const retransmitMs = Math.max(200, 2 * oneWay);
  return 300 + oneWay + (network.lossPct > 0 ? 3 * retransmitMs : 0);
}

/** What `--plot` without `--json` prints: the file, and each transport's figures in a line. */
function plotSummary(report: CompareReport, file: string): string {
  const ms = (value: number | null) => (value === null ? '-' : `${value.toFixed(value < 10 ? 2 : 1)} ms`);
  const names = Object.keys(report.transports);
  const width = Math.max(...names.map((name) => name.length));
  const lines = Object.entries(report.transports).map(
    ([name, t]) => `  ${name.padEnd(width)}  one-way p50 ${ms(t.oneWay.p50)} · p99 ${ms(t.oneWay.p99)} · max ${ms(t.oneWay.max)} · ${t.framesLost} of ${t.frames + t.framesLost} frames lost`,
  );
  return `plot: ${file} (${report.sameFrames} frames every transport received)\n${lines.join('\n')}\n`;
}

/**
 * --plot's file, checked before anything starts: its directory must exist and take a file
 * there (an existing file is overwritten at the end). The check opens the file for appending
 * and, if it made it, removes it again.
 */
function plotTarget(file: string): string {
  const absolute = path.resolve(file);
  try {
    const existed = existsSync(absolute);
    closeSync(openSync(absolute, 'a'));
    if (!existed) unlinkSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot write --plot '${file}': ${(code !== undefined ? FILE_ERRORS[code] : undefined) ?? code ?? (error as Error).message}`, 2);
  }
  return absolute;
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

async function runScreen(
  comparison: ObserverLink,
  player: GameSession | null,
  text: { where: string; title: string; transports: number },
  stop: StopSignal,
): Promise<void> {
  // Observers that fail stay on screen with their error; the others are compared. Only the
  // loss of the observer process itself ends the screen.
  let lost: unknown = null;
  void comparison
    .start()
    .then(() => comparison.whenReady(SCREEN_READY_TIMEOUT_MS))
    .then(() => comparison.measure())
    .catch((error: unknown) => {
      lost = error;
      stop.request();
    });
  const quit = new Promise<void>((resolve) => stop.onStop(resolve));
  const controls: ClientControls = {
    movePaddleTo: (y) => player?.movePaddleTo(y),
    serve: () => player?.serve(),
    restart: () => player?.restart(),
    quit: () => stop.request(),
  };
  const app = renderCompare({
    comparison,
    court: player ?? comparison.court,
    controls,
    player: player ? 1 : null,
    ...text,
    courtFps: COURT_FPS,
  });
  try {
    await Promise.race([quit, app.waitUntilExit()]);
  } finally {
    app.unmount();
  }
  if (lost !== null) throw new CliError(describeError(lost));
}

/**
 * Ctrl-C, SIGTERM or SIGHUP, or q on the screen: whatever the command is waiting for gives
 * way, so the `finally` that stops the child processes always runs.
 */
class StopSignal {
  #stopped = false;
  readonly #waiters = new Set<() => void>();
  readonly #onSignal = (): void => this.request();

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, this.#onSignal);
  }

  request(): void {
    this.#stopped = true;
    for (const waiter of [...this.#waiters]) waiter();
  }

  onStop(callback: () => void): void {
    if (this.#stopped) callback();
    else this.#waiters.add(callback);
  }

  /** `work`'s result, unless a stop comes first: then a CliError (exit 130). */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const interrupted = (): void => reject(new CliError('interrupted', 130));
      this.onStop(interrupted);
      work.then(resolve, reject).finally(() => this.#waiters.delete(interrupted));
    });
  }

  dispose(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, this.#onSignal);
    this.#waiters.clear();
  }
}
