/**
 * The game as a person uses it: tmux runs `pong play` against a server with a bot opponent,
 * send-keys moves the paddle, capture-pane shows the court, the score and the latency panel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, PONG_BIN, runPong, startPongServe } from '../helpers/cli.js';
import { requireBinary } from '../helpers/binaries.js';
import { TmuxSession } from '../helpers/tmux.js';

let tmux: TmuxSession | null = null;
afterEach(async () => {
  tmux?.kill();
  tmux = null;
  await killAll();
});

/**
 * Row (from the top of the court) where player 1's paddle starts: the paddle is the pair of
 * half-block cells just inside the left goal line ("│  ██"); the ball is braille, never a block.
 */
function leftPaddleTop(screen: string): number {
  const lines = screen.split('\n');
  const top = lines.findIndex((line) => /^\s*▄▄/.test(line));
  const bottom = lines.findIndex((line, i) => i > top && /^\s*▀▀/.test(line));
  if (top < 0 || bottom < 0) return -1;
  for (let row = top + 1; row < bottom; row++) {
    const line = lines[row]!;
    const border = line.indexOf('│');
    if (/^(██|▄▄|▀▀)$/.test(line.slice(border + 3, border + 5))) return row - top - 1;
  }
  return -1;
}

describe('the terminal UI', () => {
  it('shows the court, score and latency; the arrow keys move the paddle; q quits', async (context) => {
    if (!requireBinary('tmux')) return context.skip();
    const gameId = 'tui';
    const server = await startPongServe(['--transport', 'mqtt', '--game', gameId]);
    runPong(['bot', '--player', '2', '--game', gameId, '--broker', server.mqttUrl!, '--forever']);
    tmux = new TmuxSession(`node ${PONG_BIN} play --player 1 --game ${gameId} --broker ${server.mqttUrl}`, { width: 100, height: 40 });

    // Ready once the panel has figures and the sparkline a few seconds' history.
    const first = await tmux.waitForScreen(
      (screen) => /one-way ms.*p50 \d+\.\d+/.test(screen) && /▄▄ pong ▄/.test(screen) && /[▁▂▃▄▅▆▇█]{5,}/.test(screen),
    );
    expect(first).toMatch(/P1 \(you\)\s+0 : 0\s+P2/);
    expect(first).toMatch(/game tui · P1 · mqtt connected/);
    expect(first).toMatch(/lost \d+/);
    const before = leftPaddleTop(first);
    expect(before).toBeGreaterThan(2);

    // Tapped repeatedly, as a person would: each press moves the paddle at once.
    for (let i = 0; i < 8; i++) tmux.sendKeys('Up');
    const moved = await tmux.waitForScreen((screen) => {
      const now = leftPaddleTop(screen);
      return now >= 0 && now < before;
    });
    expect(leftPaddleTop(moved)).toBeLessThan(before);

    for (let i = 0; i < 12; i++) tmux.sendKeys('s');
    const down = await tmux.waitForScreen((screen) => leftPaddleTop(screen) > leftPaddleTop(moved));
    expect(leftPaddleTop(down)).toBeGreaterThan(leftPaddleTop(moved));

    tmux.sendKeys('q');
    // The program exits cleanly and hands the terminal back to the shell that ran it.
    await tmux.waitForScreen((screen) => /\[exited \d+\]/.test(screen), 10_000);
    expect(tmux.exitCode()).toBe(0);
  }, 60_000);

  it('pong watch shows the same game without controls', async (context) => {
    if (!requireBinary('tmux')) return context.skip();
    const gameId = 'tui-watch';
    const server = await startPongServe(['--transport', 'ws', '--game', gameId]);
    runPong(['bot', '--player', '1', '--game', gameId, '-t', 'ws', '--server', server.httpUrl!, '--forever']);
    runPong(['bot', '--player', '2', '--game', gameId, '-t', 'ws', '--server', server.httpUrl!, '--forever']);
    tmux = new TmuxSession(`node ${PONG_BIN} watch --game ${gameId} -t ws --server ${server.httpUrl}`, { width: 100, height: 40 });
    const screen = await tmux.waitForScreen((s) => /spectator · ws connected/.test(s) && /p50 \d+\.\d+/.test(s));
    expect(screen).toMatch(/watching — \? help · q quit/);
    expect(screen).toMatch(/▄▄ pong ▄/);
    // Ctrl-C exits as cleanly as q.
    tmux.sendKeys('C-c');
    await tmux.waitForScreen((s) => /\[exited \d+\]/.test(s), 10_000);
    expect(tmux.exitCode()).toBe(0);
  }, 60_000);

  it('a terminal too small gets a message, not a garbled court', async (context) => {
    if (!requireBinary('tmux')) return context.skip();
    const gameId = 'tui-small';
    const server = await startPongServe(['--transport', 'mqtt', '--game', gameId]);
    tmux = new TmuxSession(`node ${PONG_BIN} watch --game ${gameId} --broker ${server.mqttUrl}`, { width: 30, height: 10 });
    const screen = await tmux.waitForScreen((s) => /Terminal too small/.test(s));
    expect(screen).not.toMatch(/▄▄ pong ▄/);
    tmux.resize(100, 40);
    await tmux.waitForScreen((s) => /▄▄ pong ▄/.test(s) && !/Terminal too small/.test(s));
  }, 60_000);
});
