/**
 * The client in a real pseudo-terminal, against a real server and bot:
 * - key-to-screen latency: an arrow key written to the pty → the first frame written back
 *   in which P1's paddle has moved (Up and Down alternate, each a fresh press, ~1/4 s apart);
 * - CPU of the client process at 60 fps (/proc, user + system), frames per second and bytes
 *   per frame written to the terminal, for `pong play` (during the key test) and for
 *   `pong watch` of a bot-against-bot rally, smoothed and --raw.
 */
import { cpuMs, PONG_BIN, startBot, startServe, stopAll, waitFor } from './processes.js';
import { spawnInPty } from './pty.js';
import { courtRows, FrameReader, paddleSignature, type TermFrame } from './screen.js';
import { mean, percentile } from './stats.js';

export interface RenderFigures {
  label: string;
  seconds: number;
  cpuPercent: number;
  fps: number;
  bytesPerFrame: number;
}

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

/** Renders for `seconds` and measures the client while it does. */
async function measureRender(label: string, pid: number, reader: FrameReader, seconds: number): Promise<RenderFigures> {
  const cpu0 = cpuMs(pid);
  const frames0 = reader.frames.length;
  const bytes0 = reader.frames.reduce((sum, f) => sum + f.bytes, 0);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = performance.now() - t0;
  const frames = reader.frames.length - frames0;
  const bytes = reader.frames.reduce((sum, f) => sum + f.bytes, 0) - bytes0;
  return {
    label,
    seconds: elapsed / 1000,
    cpuPercent: ((cpuMs(pid) - cpu0) / elapsed) * 100,
    fps: frames / (elapsed / 1000),
    bytesPerFrame: frames > 0 ? bytes / frames : NaN,
  };
}

export async function keyLatencyBench(samples: number): Promise<{ keys: KeyFigures; render: RenderFigures }> {
  const game = `feel-keys-${process.pid}`;
  try {
    const broker = await startServe(game);
    startBot(game, broker, 2, 0.9);
    const pty = spawnInPty([process.execPath, PONG_BIN, 'play', '--player', '1', '--game', game, '--broker', broker], SIZE);
    const reader = new FrameReader(SIZE.columns, SIZE.rows);
    pty.onData((chunk, at) => reader.push(chunk, at));
    const pid = await pty.pid;
    await waitFor(() => reader.frames.some((f) => courtRows(f.text) !== null) || null, 15_000, 'the court');
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
    const render: RenderFigures = {
      label: 'play (vs bot, keys pressed)',
      seconds: elapsed / 1000,
      cpuPercent: ((cpuMs(pid) - cpu0) / elapsed) * 100,
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
      const args = [process.execPath, PONG_BIN, 'watch', '--game', game, '--broker', broker, ...(raw ? ['--raw'] : [])];
      const pty = spawnInPty(args, SIZE);
      const reader = new FrameReader(SIZE.columns, SIZE.rows);
      pty.onData((chunk, at) => reader.push(chunk, at));
      const pid = await pty.pid;
      await waitFor(() => reader.frames.some((f) => courtRows(f.text) !== null) || null, 15_000, 'the court');
      await sleep(2000);
      results.push(await measureRender(raw ? 'watch --raw (bot vs bot)' : 'watch (bot vs bot)', pid, reader, seconds));
      pty.write('q');
      await Promise.race([pty.exited, sleep(3000)]);
      pty.kill();
    }
    return results;
  } finally {
    await stopAll();
  }
}
