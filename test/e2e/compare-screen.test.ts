/**
 * The compare screen in a real terminal: tmux runs `pong compare`, which starts its own game;
 * every registered transport gets a row of live figures, and q hands the terminal back.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { transportNames } from '../../src/transports/registry.js';
import { requireBinary } from '../helpers/binaries.js';
import { PONG_BIN } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';

let tmux: TmuxSession | null = null;
afterEach(() => {
  tmux?.kill();
  tmux = null;
});

function childrenOf(game: string): string[] {
  try {
    const lines = execFileSync('pgrep', ['-af', game], { encoding: 'utf8' }).trim().split('\n');
    return lines.filter((line) => /pong\.js (serve|bot)|observer-process/.test(line));
  } catch {
    return [];
  }
}

/** A transport's figures line: name, status, then last / p50 / p95 / p99 / max in ms (from 100 ms on, without decimals). */
const figuresRow = (name: string): RegExp => new RegExp(`^${name}\\s+connected(\\s+\\d+(\\.\\d+)?){5}\\s`, 'm');

it('pong compare shows every transport\'s figures side by side in 100 x 30, and q exits 0', async (context) => {
  if (!requireBinary('tmux')) return context.skip();
  const game = `cmpscreen${process.pid}`;
  tmux = new TmuxSession(`node ${PONG_BIN} compare --game ${game}`, { width: 100, height: 30 });

  const screen = await tmux.waitForScreen(
    // Ready once every row has figures and the sparklines a little history.
    (s) =>
      transportNames.every((name) => figuresRow(name).test(s)) &&
      /same frames: [1-9]\d* of seq/.test(s) &&
      /[▁▂▃▄▅▆▇█]{10,}/.test(s),
    30_000,
  );
  expect(screen).toMatch(/transport\s+status\s+last\s+p50\s+p95\s+p99\s+max\s+jitter\s+frames\s+lost\s+B\/frame\s+rtt p50\s+rtt p99/);
  expect(screen).toMatch(/ the game /);
  expect(screen).toMatch(/[▁▂▃▄▅▆▇█]{10,}/);
  expect(screen).toMatch(/q quit/);
  expect(screen).not.toMatch(/Terminal too small/);

  tmux.sendKeys('q');
  await tmux.waitForScreen((s) => /\[exited \d+\]/.test(s), 15_000);
  expect(tmux.exitCode()).toBe(0);
  // The server, bots and observers are stopped with it (give a loaded machine a moment).
  const deadline = Date.now() + 5000;
  while (childrenOf(game).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(childrenOf(game)).toEqual([]);
}, 60_000);
