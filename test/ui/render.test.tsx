import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { renderGame } from '../../src/ui/render.js';
import { FakeSource, recordingControls, viewState } from './fake-source.js';

/** A stand-in terminal: a TTY-looking pair of streams of a given size that record the output. */
function terminal(columns: number, rows: number) {
  const stdout = Object.assign(new PassThrough(), { columns, rows, isTTY: true }) as unknown as NodeJS.WriteStream;
  let written = '';
  (stdout as unknown as PassThrough).on('data', (chunk: Buffer) => (written += chunk.toString()));
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: () => stdin,
    ref: () => stdin,
    unref: () => stdin,
  }) as unknown as NodeJS.ReadStream;
  return { stdout, stdin, output: () => written };
}

describe('renderGame', () => {
  it('draws the game on the given terminal and ends when q is pressed', async () => {
    const term = terminal(80, 24);
    const controls = recordingControls();
    const ui = renderGame({ source: new FakeSource(viewState()), controls, mode: 'play', stdout: term.stdout, stdin: term.stdin, title: 'pong test' });
    await vi.waitFor(() => expect(term.output()).toContain('┌─ pong test ─'), { timeout: 2000 });
    expect(term.output()).toContain('P1 (you)   3 : 2   P2');

    term.stdin.write('q');
    await ui.waitUntilExit();
    expect(controls.quits).toBe(1);
  });

  it('can be unmounted by its owner', async () => {
    const term = terminal(100, 30);
    const ui = renderGame({ source: new FakeSource(viewState()), controls: recordingControls(), mode: 'watch', stdout: term.stdout, stdin: term.stdin });
    await vi.waitFor(() => expect(term.output()).toContain('watching — q quit'), { timeout: 2000 });
    ui.unmount();
    await ui.waitUntilExit();
  });
});
