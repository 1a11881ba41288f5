/**
 * What the other terminal clients cost at 60 fps, beside the render bench's `pong play`:
 * `pong watch` spectating a game two bots play (over ws, with a game server of its own), and
 * `pong demo`, which is server, embedded broker, bot and view in one process, as `npm start`
 * runs it. Each in a pseudo-terminal (util-linux `script`, 100 x 30), its CPU read from /proc
 * over a window after a warm-up (V8 optimizes a view's 60 Hz code over its first minute).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchChild } from '../bench-child.js';
import { sleep } from '../game-bench.js';
import type { HostConfig, PlayersConfig } from '../ipc.js';
import type { Progress } from '../progress.js';
import { FrameStream } from './frame-stream.js';
import { childrenOf, cpuMsOf, peakRssMbOf } from './proc-cpu.js';

const PONG_BIN = fileURLToPath(new URL('../../../bin/pong.js', import.meta.url));
const GAME = 'views-1';
const STARTUP_MS = 20_000;
/** The demo's player is the view: space serves whenever the serve is its, so the ball moves. */
const SERVE_EVERY_MS = 100;

export type ViewName = 'watch' | 'demo';

export interface ViewCost {
  view: ViewName;
  /** What ran in the pseudo-terminal, for the table. */
  command: string;
  durationS: number;
  framesPerSecond: number | null;
  cpuMsPerS: number | null;
  warmupCpuMsPerS: number | null;
  peakRssMb: number | null;
}

export async function runViewCostBench(options: { durationS: number; warmupMs: number; progress: Progress }): Promise<ViewCost[]> {
  const out: ViewCost[] = [];
  try {
    out.push(await watchCost(options));
    out.push(await demoCost(options));
  } finally {
    options.progress.done();
  }
  return out;
}

async function watchCost(options: { durationS: number; warmupMs: number; progress: Progress }): Promise<ViewCost> {
  options.progress.show('views: starting a ws game server and two bots for `pong watch`');
  const server = new BenchChild('./server-process.js', 'views-server');
  const bots = ([1, 2] as const).map((player) => ({ player, child: new BenchChild('./player-process.js', `views-bot-p${player}`) }));
  try {
    const hostConfig: HostConfig = { role: 'server', transport: 'ws', games: [GAME] };
    const { urls } = await server.ask({ type: 'config', config: hostConfig }, 'ready', 20_000);
    await Promise.all(
      bots.map(({ player, child }) => {
        const config: PlayersConfig = { role: 'bots', transport: 'ws', urls: urls!, games: [GAME], player };
        return child.ask({ type: 'config', config }, 'ready', 20_000);
      }),
    );
    const args = `watch -t ws --server ${urls!.httpUrl} --game ${GAME}`;
    return await measureView('watch', args, false, options);
  } finally {
    await Promise.all([server.close(), ...bots.map(({ child }) => child.close())]);
  }
}

function demoCost(options: { durationS: number; warmupMs: number; progress: Progress }): Promise<ViewCost> {
  // Ports the OS picks: a shared machine may have a pong serving on the defaults. A view that
  // never moves its paddle loses 11 points within the warm-up, and a game over draws nothing.
  return measureView('demo', 'demo --port 0 --mqtt-port 0 --points 99', true, options);
}

async function measureView(view: ViewName, args: string, serve: boolean, options: { durationS: number; warmupMs: number; progress: Progress }): Promise<ViewCost> {
  const say = (what: string) => options.progress.show(`views: pong ${view}: ${what}`);
  say('starting in a pseudo-terminal');
  const command = `stty rows 30 cols 100; exec '${process.execPath}' '${PONG_BIN}' ${args}`;
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, NODE_ENV: 'production', TERM: 'xterm-256color', CI: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stream = new FrameStream(100, 30);
  child.stdout!.on('data', (chunk: Buffer) => stream.push(chunk, performance.now()));
  child.stderr!.resume();
  let serving = true;
  const server = serve
    ? (async () => {
        while (serving) {
          child.stdin!.write(' ');
          await sleep(SERVE_EVERY_MS);
        }
      })()
    : Promise.resolve();
  try {
    // A loaded machine starts a view in seconds, not in a fixed moment: wait for its first frames.
    const started = performance.now();
    while (stream.frames.length === 0 && performance.now() - started < STARTUP_MS) await sleep(100);
    const pid = childrenOf(child.pid!)[0];
    if (pid === undefined || stream.frames.length === 0) throw new Error(`pong ${view} did not start drawing in its pseudo-terminal`);
    say(`warming up ${Math.round(options.warmupMs / 1000)} s`);
    const warm0 = cpuMsOf(pid);
    const w0 = performance.now();
    await sleep(options.warmupMs);
    const warm1 = cpuMsOf(pid);
    const warmS = (performance.now() - w0) / 1000;
    say(`measuring ${options.durationS} s`);
    const cpu0 = cpuMsOf(pid);
    const frames0 = stream.frames.length;
    const t0 = performance.now();
    await sleep(options.durationS * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuMsOf(pid);
    const perS = (a: number | null, b: number | null, s: number) => (a !== null && b !== null && s > 0 ? Math.round(((b - a) / s) * 10) / 10 : null);
    return {
      view,
      command: `pong ${args.replace(/--server \S+/, '--server URL')}`,
      durationS: options.durationS,
      framesPerSecond: Math.round(((stream.frames.length - frames0) / seconds) * 10) / 10,
      cpuMsPerS: perS(cpu0, cpu1, seconds),
      warmupCpuMsPerS: perS(warm0, warm1, warmS),
      peakRssMb: peakRssMbOf(pid),
    };
  } finally {
    serving = false;
    await server;
    say('stopping');
    if (child.exitCode === null) {
      child.stdin!.write('q');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  }
}
