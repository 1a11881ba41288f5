/**
 * The feel of the game in a real terminal: `pong demo` (you against the bot) in tmux, with the
 * new flags; the court is drawn in blocks and braille, answers the keys, shows its help on `?`
 * and is redrawn cleanly, centred, when the terminal is resized mid-game.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PONG_BIN } from '../helpers/cli.js';
import { requireBinary } from '../helpers/binaries.js';
import { TmuxSession } from '../helpers/tmux.js';

let tmux: TmuxSession | null = null;
afterEach(() => {
  tmux?.kill();
  tmux = null;
});

/** The court as drawn: from its top wall to its bottom wall, margins removed. */
function court(screen: string): string[] {
  const lines = screen.split('\n');
  const top = lines.findIndex((line) => /^\s*▄▄/.test(line));
  const bottom = lines.findIndex((line, i) => i > top && /^\s*▀▀/.test(line));
  return top < 0 || bottom < 0 ? [] : lines.slice(top, bottom + 1).map((line) => line.trim());
}

/** Row of the top of P1's paddle: two block cells just inside the left goal line. */
function paddleTop(screen: string): number {
  return court(screen).findIndex((line) => /^│ {1,3}(██|▄▄)/.test(line));
}

/** A clean court: one top and one bottom wall, and every row between them the same width. */
function wellFormed(rows: string[]): boolean {
  if (rows.length < 8) return false;
  const width = [...rows[0]!].length;
  return rows.every((row, i) => [...row].length === width && (i === 0 || i === rows.length - 1 || /^│.*│$/.test(row)));
}

describe('the game in a terminal', () => {
  it('draws the court, answers the keys, shows help on ? and survives a resize', async (context) => {
    if (!requireBinary('tmux')) return context.skip();
    tmux = new TmuxSession(`node ${PONG_BIN} demo --port 0 --mqtt-port 0 --game feel --level easy --bell`, { width: 100, height: 40 });
    const first = await tmux.waitForScreen((s) => wellFormed(court(s)) && /P1 \(you\)/.test(s) && paddleTop(s) >= 0);
    // Blocks for the walls and the paddles, braille for the ball (once it is in play).
    expect(court(first)[0]).toMatch(/^▄▄ watch: mosquitto_sub/);
    await tmux.waitForScreen((s) => /[\u2801-\u28ff]/.test(court(s).join('\n')));

    tmux.sendKeys('?');
    const help = await tmux.waitForScreen((s) => s.includes('move (hold to glide)'));
    expect(help).toContain('close this help');
    expect(wellFormed(court(help))).toBe(true);
    tmux.sendKeys('?');
    await tmux.waitForScreen((s) => !s.includes('move (hold to glide)'));

    const before = paddleTop(await tmux.waitForScreen((s) => paddleTop(s) >= 0));
    const direction = before > 4 ? 'Up' : 'Down';
    for (let i = 0; i < 6; i++) tmux.sendKeys(direction);
    await tmux.waitForScreen((s) => {
      const now = paddleTop(s);
      return now >= 0 && (direction === 'Up' ? now < before : now > before);
    });

    // Smaller mid-game: a smaller court, centred, with nothing left over from the big one.
    tmux.resize(70, 25);
    // tmux may capture between the clear and the redraw; what counts is the screen it settles on.
    const topWalls = (s: string) => s.split('\n').filter((line) => /^\s*▄▄/.test(line)).length;
    const small = await tmux.waitForScreen(
      (s) => wellFormed(court(s)) && [...court(s)[0]!].length <= 70 && s.split('\n').length <= 26 && topWalls(s) === 1,
    );
    const rows = court(small);
    expect(rows.length).toBeLessThan(20);
    expect(topWalls(small)).toBe(1);
    // Bigger again: the court grows back.
    tmux.resize(100, 40);
    await tmux.waitForScreen((s) => wellFormed(court(s)) && [...court(s)[0]!].length > 90);

    tmux.sendKeys('q');
    await tmux.waitForScreen((s) => /\[exited \d+\]/.test(s), 10_000);
    expect(tmux.exitCode()).toBe(0);
  }, 90_000);

  it('--raw draws the unsmoothed frames on the same court', async (context) => {
    if (!requireBinary('tmux')) return context.skip();
    // The comparison mode: the same view, the frames as they arrive; Ctrl-C quits.
    tmux = new TmuxSession(`node ${PONG_BIN} demo --port 0 --mqtt-port 0 --game feel-raw --raw`, { width: 90, height: 30 });
    const screen = await tmux.waitForScreen((s) => wellFormed(court(s)) && /↑↓ w\/s move/.test(s));
    expect(screen).toMatch(/P1 \(you\)/);
    tmux.sendKeys('C-c');
    await tmux.waitForScreen((s) => /\[exited \d+\]/.test(s), 10_000);
    expect(tmux.exitCode()).toBe(0);
  }, 60_000);
});
