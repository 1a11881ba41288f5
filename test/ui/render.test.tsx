import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { renderGame } from '../../src/ui/render.js';
import { BSU, ESU } from '../../src/ui/terminal-out.js';
import { VirtualTerminal } from '../helpers/virtual-terminal.js';
import { FakeSource, recordingControls, viewState } from './fake-source.js';

/**
 * A stand-in terminal: a TTY-looking pair of streams of a given size; what is written goes to
 * a VirtualTerminal, so tests read the screen a person would see, and is kept write by write.
 */
function terminal(columns: number, rows: number) {
  const stdout = Object.assign(new PassThrough(), { columns, rows, isTTY: true }) as unknown as NodeJS.WriteStream;
  const writes: string[] = [];
  let screen = new VirtualTerminal(columns, rows);
  (stdout as unknown as PassThrough).on('data', (chunk: Buffer) => {
    writes.push(chunk.toString());
    screen.write(chunk.toString());
  });
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: () => stdin,
    ref: () => stdin,
    unref: () => stdin,
  }) as unknown as NodeJS.ReadStream;
  const resize = (c: number, r: number): void => {
    Object.assign(stdout, { columns: c, rows: r });
    // A real terminal keeps what it shows, but cut or padded to the new size: a fresh one
    // with the old text would be kinder than reality, so start blank and garbled.
    screen = new VirtualTerminal(c, r);
    screen.write('#'.repeat(c * r));
    stdout.emit('resize');
  };
  return { stdout, stdin, writes, resize, output: () => writes.join(''), screen: () => screen.text() };
}

/** The court on screen: from its top wall to its bottom wall, margins removed. */
function court(screen: string): string[] {
  const lines = screen.split('\n');
  const top = lines.findIndex((line) => /^\s*▄▄/.test(line));
  const bottom = lines.findIndex((line, i) => i > top && /^\s*▀▀/.test(line));
  return top < 0 || bottom < 0 ? [] : lines.slice(top, bottom + 1).map((line) => line.trim());
}

describe('renderGame', () => {
  it('draws the game on the given terminal and ends when q is pressed', async () => {
    const term = terminal(80, 24);
    const controls = recordingControls();
    const ui = renderGame({ source: new FakeSource(viewState()), controls, mode: 'play', stdout: term.stdout, stdin: term.stdin, title: 'pong test' });
    await vi.waitFor(() => expect(term.screen()).toContain('▄▄ pong test ▄'), { timeout: 2000 });
    expect(term.screen()).toContain('P1 (you)   3 : 2   P2');
    // The court painted into the room Ink left for it: walls, goal lines, paddles, the ball.
    const rows = court(term.screen());
    expect(rows).toHaveLength(13);
    expect(rows.slice(1, -1).every((row) => /^│.*│$/.test(row) && [...row].length === 80)).toBe(true);
    expect(rows.join('\n')).toMatch(/[\u2801-\u28ff]/);
    expect(term.screen()).toContain('↑↓ w/s move');

    term.stdin.write('q');
    await ui.waitUntilExit();
    expect(controls.quits).toBe(1);
  });

  it('draws on the alternate screen in synchronized updates, shorter than the terminal', async () => {
    const term = terminal(80, 24);
    const ui = renderGame({ source: new FakeSource(viewState()), controls: recordingControls(), mode: 'play', stdout: term.stdout, stdin: term.stdin });
    await vi.waitFor(() => expect(term.screen()).toContain('▄▄ pong ▄'), { timeout: 2000 });
    expect(term.writes[0]).toBe('\u001B[?1049h\u001B[H\u001B[2J');
    const updates = term.writes.filter((w) => w.startsWith(BSU));
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) expect(update.endsWith(ESU)).toBe(true);
    expect(term.screen().trimEnd().split('\n').length).toBeLessThan(24);
    ui.unmount();
    await ui.waitUntilExit();
    expect(term.writes.at(-1)).toBe('\u001B[?1049l');
  });

  it('redraws cleanly, centred, when the terminal is resized', async () => {
    const term = terminal(100, 30);
    const ui = renderGame({ source: new FakeSource(viewState()), controls: recordingControls(), mode: 'play', stdout: term.stdout, stdin: term.stdin });
    await vi.waitFor(() => expect(court(term.screen()).length).toBeGreaterThan(8), { timeout: 2000 });
    for (const [columns, rows] of [
      [60, 20],
      [120, 30],
      [120, 31],
    ] as const) {
      term.resize(columns, rows);
      // Whatever the order writes arrive in, the screen settles on a clean, centred court.
      await vi.waitFor(
        () => {
          const screen = term.screen();
          expect(screen).not.toContain('#');
          const drawn = court(screen);
          expect(drawn.length).toBeGreaterThan(8);
          const width = [...drawn[0]!].length;
          expect(width).toBeLessThanOrEqual(columns);
          expect(drawn.every((row) => [...row].length === width)).toBe(true);
          const line = screen.split('\n').find((l) => l.includes('▄▄ pong'))!;
          const left = line.length - line.trimStart().length;
          expect(Math.abs(columns - width - 2 * left)).toBeLessThanOrEqual(1);
          expect(screen).toMatch(new RegExp(`^ {${left}}↑↓ w/s move`, 'm'));
          expect(screen.trimEnd().split('\n').length).toBeLessThan(rows);
        },
        { timeout: 2000 },
      );
    }
    ui.unmount();
  });

  it('can be unmounted by its owner', async () => {
    const term = terminal(100, 30);
    const ui = renderGame({ source: new FakeSource(viewState()), controls: recordingControls(), mode: 'watch', stdout: term.stdout, stdin: term.stdin });
    await vi.waitFor(() => expect(term.screen()).toContain('watching — ? help · q quit'), { timeout: 2000 });
    ui.unmount();
    await ui.waitUntilExit();
  });
});
