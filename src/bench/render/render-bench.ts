/**
 * The render bench: the real `pong play` game view in a pseudo-terminal (util-linux `script`,
 * 100 x 30), playing a live game over ws against a bot, with a game server of its own. It
 * counts the frames the view draws and their bytes from the terminal's side, reads the view's
 * CPU from /proc, and presses up and down in turn (and space between them, serving whenever the
 * serve is the view's): key-to-screen is the time from writing the key to the pseudo-terminal
 * to the end of the first frame whose left paddle moved.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LatencyHistogram } from '../../metrics/histogram.js';
import { BenchChild } from '../bench-child.js';
import { spreadOf, type Spread } from '../figures.js';
import { sleep } from '../game-bench.js';
import type { HostConfig, PlayersConfig } from '../ipc.js';
import type { Progress } from '../progress.js';
import { FrameStream, type Frame } from './frame-stream.js';
import { childrenOf, cpuMsOf, peakRssMbOf } from './proc-cpu.js';

const PONG_BIN = fileURLToPath(new URL('../../../bin/pong.js', import.meta.url));
const GAME = 'render-1';
/** Longer than a tap's glide (the key is held until its auto-repeat would have come). */
const KEY_INTERVAL_MS = 900;
const SERVE_EVERY_MS = 100;
/** From spawning the view to its first frames. */
const STARTUP_MS = 2_000;
/**
 * The render bench's warm-up: a view's CPU falls by about half over its first minute of play
 * (10 % → 5.5 % for `pong watch` here, measured in 10 s steps) as V8 optimizes its 60 Hz code.
 */
export const RENDER_WARMUP_MS = 45_000;

export interface RenderResult {
  durationS: number;
  framesPerSecond: number | null;
  /**
   * Frames per second of motion: the window less the pauses (no frame for PAUSE_MS) in which
   * nothing on screen moved, a ball waiting for its serve. Nothing to draw is not a frame missed.
   */
  framesPerSecondInMotion: number | null;
  /** Seconds of the window in such pauses. */
  pausedS: number;
  /** CPU of the view over the window, which starts after the warm-up. */
  cpuMsPerS: number | null;
  /** CPU of the view over the warm-up (playing as in the window), while V8 optimizes its code. */
  warmupCpuMsPerS: number | null;
  warmupS: number;
  peakRssMb: number | null;
  bytesPerFrame: number | null;
  keyToScreen: Spread;
  keysSent: number;
  keysSeen: number;
}

export async function runRenderBench(options: { durationS: number; warmupMs: number; progress: Progress }): Promise<RenderResult> {
  const say = (what: string) => options.progress.show(`render: ${what}`);
  const server = new BenchChild('./server-process.js', 'render-server');
  const bot = new BenchChild('./player-process.js', 'render-bot');
  let view: ReturnType<typeof spawn> | null = null;
  try {
    say('starting a ws game server and a bot');
    const hostConfig: HostConfig = { role: 'server', transport: 'ws', games: [GAME] };
    const { urls } = await server.ask({ type: 'config', config: hostConfig }, 'ready', 20_000);
    const botConfig: PlayersConfig = { role: 'bots', transport: 'ws', urls: urls!, games: [GAME], player: 2 };
    await bot.ask({ type: 'config', config: botConfig }, 'ready', 20_000);
    const command = `stty rows 30 cols 100; exec '${process.execPath}' '${PONG_BIN}' play --player 1 -t ws --server ${urls!.httpUrl} --game ${GAME}`;
    view = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, NODE_ENV: 'production', TERM: 'xterm-256color', CI: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stream = new FrameStream(100, 30);
    view.stdout!.on('data', (chunk: Buffer) => stream.push(chunk, performance.now()));
    view.stderr!.resume();
    const input = view.stdin!;
    let up = true;
    // Up and down in turn every KEY_INTERVAL_MS, as a player would; `keys` gets the times.
    const play = async (until: number, keys: number[] | null): Promise<void> => {
      while (performance.now() + KEY_INTERVAL_MS < until) {
        keys?.push(performance.now());
        input.write(up ? 'w' : 's');
        up = !up;
        // Space, every SERVE_EVERY_MS between the moves, serves whenever the serve is ours: the
        // ball stays in play, so the view has a moving ball to draw on every frame (a ball
        // waiting for its serve needs no frames, and would make a slow view of a fast one).
        for (let waited = 0; waited < KEY_INTERVAL_MS; waited += SERVE_EVERY_MS) {
          await sleep(SERVE_EVERY_MS);
          input.write(' ');
        }
      }
      await sleep(Math.max(0, until - performance.now()));
    };
    await sleep(STARTUP_MS);
    const pid = childrenOf(view.pid!)[0];
    if (pid === undefined || stream.frames.length === 0) throw new Error('the game view did not start drawing in its pseudo-terminal');
    // The warm-up is played like the window, and measured too: V8 is still optimizing the
    // view's 60 Hz code then, which costs the process CPU it will not spend in a long game.
    say(`warming up ${Math.round(options.warmupMs / 1000)} s (playing)`);
    const warm0 = cpuMsOf(pid);
    const w0 = performance.now();
    await play(w0 + options.warmupMs, null);
    const warm1 = cpuMsOf(pid);
    const warmupSeconds = (performance.now() - w0) / 1000;
    const cpu0 = cpuMsOf(pid);
    const t0 = performance.now();
    const frames0 = stream.frames.length;
    const bytes0 = stream.bytes;
    const keys: number[] = [];
    say(`measuring ${options.durationS} s`);
    await play(t0 + options.durationS * 1000, keys);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuMsOf(pid);
    const frames = stream.frames.length - frames0;
    const latency = keyToScreen(stream.frames, keys);
    const motion = drawRate(stream.frames.slice(frames0).map((frame) => frame.at), t0, t0 + seconds * 1000);
    return {
      durationS: options.durationS,
      framesPerSecond: Math.round((frames / seconds) * 10) / 10,
      framesPerSecondInMotion: motion.perSecond === null ? null : Math.round(motion.perSecond * 10) / 10,
      pausedS: Math.round(motion.pausedMs / 100) / 10,
      cpuMsPerS: cpu0 !== null && cpu1 !== null ? Math.round(((cpu1 - cpu0) / seconds) * 10) / 10 : null,
      warmupCpuMsPerS: warm0 !== null && warm1 !== null && warmupSeconds > 0 ? Math.round(((warm1 - warm0) / warmupSeconds) * 10) / 10 : null,
      warmupS: Math.round(warmupSeconds),
      peakRssMb: peakRssMbOf(pid),
      bytesPerFrame: frames > 0 ? Math.round((stream.bytes - bytes0) / frames) : null,
      keyToScreen: spreadOf(latency),
      keysSent: keys.length,
      keysSeen: latency.count,
    };
  } finally {
    say('stopping');
    if (view !== null && view.exitCode === null) {
      view.stdin!.write('q');
      const exited = new Promise((resolve) => view!.once('exit', resolve));
      const timer = setTimeout(() => view!.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    await Promise.all([bot.close(), server.close()]);
    options.progress.done();
  }
}

/** No frame for this long: nothing moved on screen, and the view rightly drew nothing. */
export const PAUSE_MS = 250;

/**
 * Frames per second over the time something on screen moved: the window [from, to) less every
 * gap between frames (or between a window edge and a frame) longer than PAUSE_MS.
 */
export function drawRate(frameTimes: readonly number[], from: number, to: number): { perSecond: number | null; pausedMs: number } {
  const inside = frameTimes.filter((at) => at >= from && at < to);
  const edges = [from, ...inside, to];
  let pausedMs = 0;
  for (let i = 1; i < edges.length; i++) {
    const gap = edges[i]! - edges[i - 1]!;
    if (gap > PAUSE_MS) pausedMs += gap;
  }
  const movingMs = to - from - pausedMs;
  return { perSecond: movingMs > 0 ? (inside.length * 1000) / movingMs : null, pausedMs };
}

/** For each key: from its write to the end of the first later frame whose left paddle differs from the one before the key. */
export function keyToScreen(frames: readonly Frame[], keys: readonly number[]): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const at of keys) {
    let before: string | null = null;
    for (const frame of frames) {
      if (frame.at <= at) {
        before = frame.leftPaddle;
        continue;
      }
      // By then the next key is on its way: this one's move never showed.
      if (frame.at - at > KEY_INTERVAL_MS) break;
      if (before !== null && frame.leftPaddle !== before) {
        histogram.record(frame.at - at);
        break;
      }
    }
  }
  return histogram;
}
