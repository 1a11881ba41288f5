/**
 * The client in a real pseudo-terminal, against a real server and bot:
 * - key-to-screen latency: an arrow key written to the pty → the first frame written back
 *   in which P1's paddle has moved (Up and Down alternate, each a fresh press, ~1/4 s apart);
 * - CPU of the client process at 60 fps (/proc, user + system), frames per second and bytes
 *   per frame written to the terminal, for `pong play` (during the key test) and for
 *   `pong watch` of a bot-against-bot rally, smoothed and --raw; the CPU once more in a window
 *   from WARM_S after start, when V8 has optimized the client's 60 Hz code.
 */
import { cpuMs, PONG_BIN, startBot, startServe, stopAll, waitFor } from './processes.js';
import { spawnInPty } from './pty.js';
import { courtRows, FrameReader, paddleSignature, type TermFrame } from './screen.js';
import { mean, percentile } from './stats.js';

export interface RenderFigures {
  label: string;
  seconds: number;
  /** CPU over the first window, from a few seconds after start: V8 is still compiling the hot code. */
  cpuPercent: number;
  /** CPU over a window that starts WARM_S after start, once the hot code is optimized. */
  warmCpuPercent: number;
  fps: number;
  bytesPerFrame: number;
}

/**
 * When the warm window starts, seconds after the client does. A client's CPU falls by about
 * half over its first minute (10 % → 5.5 % for `pong watch` here, in 10 s steps) as V8 tiers
 * its 60 Hz code up to optimized code; the game is played for minutes, so both are reported.
 */
const WARM_S = Number(process.env.FEEL_WARM_S ?? 45);

export interface KeyFigures {
  samples: number;
  missed: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

const SIZE = { columns: 100, rows: 40 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `pong <args>` in a pseudo-terminal, once it has drawn the court. */
async function openView(args: string[]) {
  const pty = spawnInPty([process.execPath, PONG_BIN, ...args], SIZE);
  const startedAt = performance.now();
  const reader = new FrameReader(SIZE.columns, SIZE.rows);
  pty.onData((chunk, at) => reader.push(chunk, at));
  const pid = await pty.pid;
  await waitFor(() => reader.frames.some((f) => courtRows(f.text) !== null) || null, 15_000, 'the court');
  return { pty, startedAt, reader, pid };
}

/** CPU % of `pid` over the next `seconds`, while `meanwhile` runs (a pause by default). */
async function cpuOver(pid: number, seconds: number, meanwhile: (ms: number) => Promise<void> = sleep): Promise<number> {
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  await meanwhile(seconds * 1000);
  return ((cpuMs(pid) - cpu0) / (performance.now() - t0)) * 100;
}

/** Waits until `WARM_S` after `startedAt`, then measures the CPU over `seconds`. */
async function warmCpu(pid: number, startedAt: number, seconds: number, meanwhile?: (ms: number) => Promise<void>): Promise<number> {
  const wait = startedAt + WARM_S * 1000 - performance.now();
  if (wait > 0) await (meanwhile ?? sleep)(wait);
  return cpuOver(pid, seconds, meanwhile);
}

/** Renders for `seconds` and measures the client while it does; then again once warm. */
async function measureRender(label: string, pid: number, startedAt: number, reader: FrameReader, seconds: number): Promise<RenderFigures> {
  const cpu0 = cpuMs(pid);
  const frames0 = reader.frames.length;
  const bytes0 = reader.frames.reduce((sum, f) => sum + f.bytes, 0);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = performance.now() - t0;
  const cpuPercent = ((cpuMs(pid) - cpu0) / elapsed) * 100;
  const frames = reader.frames.length - frames0;
  const bytes = reader.frames.reduce((sum, f) => sum + f.bytes, 0) - bytes0;
  return {
    label,
    seconds: elapsed / 1000,
    cpuPercent,
    warmCpuPercent: await warmCpu(pid, startedAt, seconds),
    fps: frames / (elapsed / 1000),
    bytesPerFrame: frames > 0 ? bytes / frames : NaN,
  };
}

/** Up and down in turn, each a fresh press, for `ms`: a player playing. */
function pressKeys(pty: { write(text: string): void }): (ms: number) => Promise<void> {
  return async (ms) => {
    const end = performance.now() + ms;
    for (let i = 0; performance.now() < end; i++) {
      pty.write(i % 2 === 0 ? '\u001B[A' : '\u001B[B');
      await sleep(Math.min(250, Math.max(0, end - performance.now())));
    }
  };
}

export async function keyLatencyBench(samples: number): Promise<{ keys: KeyFigures; render: RenderFigures }> {
  const game = `feel-keys-${process.pid}`;
  try {
    const broker = await startServe(game);
    startBot(game, broker, 2, 0.9);
    const { pty, startedAt, reader, pid } = await openView(['play', '--player', '1', '--game', game, '--broker', broker]);
    await sleep(1500);

    const latest = (): TermFrame | undefined => reader.frames.findLast((f) => courtRows(f.text) !== null);
    const latencies: number[] = [];
    let missed = 0;
    const started = performance.now();
    const cpu0 = cpuMs(pid);
    const frames0 = reader.frames.length;
    for (let i = 0; i < samples; i++) {
      const before = latest();
      if (!before) continue;
      const signature = paddleSignature(courtRows(before.text)!);
      let moved: TermFrame | null = null;
      const onFrame = (frame: TermFrame): void => {
        const rows = courtRows(frame.text);
        if (moved === null && rows !== null && paddleSignature(rows) !== signature) moved = frame;
      };
      reader.onFrame(onFrame);
      const sentAt = performance.now();
      pty.write(i % 2 === 0 ? '\u001B[A' : '\u001B[B');
      const frame = await waitFor(() => moved, 1000, 'the paddle to move').catch(() => null);
      if (frame === null) missed += 1;
      else latencies.push((frame as TermFrame).at - sentAt);
      // A fresh press each time: the other key, after a pause no auto-repeat would leave.
      await sleep(200 + Math.random() * 150);
    }
    const elapsed = performance.now() - started;
    const frames = reader.frames.slice(frames0);
    const cpuPercent = ((cpuMs(pid) - cpu0) / elapsed) * 100;
    const render: RenderFigures = {
      label: 'play (vs bot, keys pressed)',
      seconds: elapsed / 1000,
      cpuPercent,
      warmCpuPercent: await warmCpu(pid, startedAt, 15, pressKeys(pty)),
      fps: frames.length / (elapsed / 1000),
      bytesPerFrame: mean(frames.map((f) => f.bytes)),
    };
    pty.write('q');
    await Promise.race([pty.exited, sleep(3000)]);
    pty.kill();
    return {
      keys: {
        samples: latencies.length,
        missed,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: Math.max(...latencies),
        mean: mean(latencies),
      },
      render,
    };
  } finally {
    await stopAll();
  }
}

export async function watchRenderBench(seconds: number): Promise<RenderFigures[]> {
  const game = `feel-watch-${process.pid}`;
  try {
    const broker = await startServe(game);
    startBot(game, broker, 1, 0.95);
    startBot(game, broker, 2, 0.95);
    const results: RenderFigures[] = [];
    for (const raw of [false, true]) {
      const { pty, startedAt, reader, pid } = await openView(['watch', '--game', game, '--broker', broker, ...(raw ? ['--raw'] : [])]);
      await sleep(2000);
      results.push(await measureRender(raw ? 'watch --raw (bot vs bot)' : 'watch (bot vs bot)', pid, startedAt, reader, seconds));
      pty.write('q');
      await Promise.race([pty.exited, sleep(3000)]);
      pty.kill();
    }
    return results;
  } finally {
    await stopAll();
  }
}
