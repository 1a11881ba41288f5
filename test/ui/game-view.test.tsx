import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { GameView } from '../../src/ui/game-view.js';
import { FakeSource, latency, recordingControls, viewState } from './fake-source.js';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const ESC = '\u001B';

afterEach(() => cleanup());

function mount(source: FakeSource, mode: 'play' | 'watch' = 'play', keyClock?: () => number, latencyRefreshMs = 250) {
  const controls = recordingControls();
  const ui = render(
    <GameView
      source={source}
      controls={controls}
      mode={mode}
      title="pong"
      latencyRefreshMs={latencyRefreshMs}
      keyClock={keyClock}
    />,
  );
  return { ...ui, controls, frame: () => ui.lastFrame() ?? '' };
}

/** Renders land asynchronously (React schedules them): poll until the screen shows it. */
const eventually = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 2000, interval: 5 });
/** The court's rows of play, whatever margin centres the view. */
const courtRows = (frame: string): string[] => frame.split('\n').map((l) => l.trimStart()).filter((l) => l.startsWith('│'));
/** The frame as a person reads it, line breaks from wrapping folded into spaces. */
const prose = (frame: string): string => frame.replace(/\s*\n\s*/g, ' ');

/** ink-testing-library's stdout is 100 columns and has no rows: give it a real terminal's size. */
function resize(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { configurable: true, get: () => columns });
  Object.defineProperty(stdout, 'rows', { configurable: true, get: () => rows });
  stdout.emit('resize');
}

describe('GameView', () => {
  it('shows the score, the court, the connection and the help line', async () => {
    const ui = mount(new FakeSource(viewState()));
    await eventually(() => expect(ui.frame()).toContain('P1 (you)   3 : 2   P2'));
    const frame = ui.frame();
    expect(frame).toContain('▄▄ pong ▄');
    expect(frame).toMatch(/[▀▄█]/);
    expect(frame).toMatch(/[\u2801-\u28ff]/);
    expect(frame).toContain('Playing');
    expect(frame).toContain('game demo · P1 · mqtt connected');
    expect(frame).toContain('↑↓ w/s move · space serve · ? help · q quit');
  });

  it('fits an 80 x 24 terminal with a line to spare', async () => {
    const ui = mount(new FakeSource(viewState()));
    resize(ui.stdout, 80, 24);
    await eventually(() => expect(ui.frame().split('\n')).toContain('▄▄ pong ' + '▄'.repeat(80 - 8)));
    const lines = ui.frame().split('\n');
    expect(lines.length).toBeLessThan(24);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    // 78 x 11 cells: two columns per unit would need 80 + 2.
    expect(courtRows(ui.frame())).toHaveLength(11);
  });

  it('says who is awaited, who serves and who won', async () => {
    const source = new FakeSource(
      viewState({ state: { status: 'waiting', p1Score: 0, p2Score: 0, servingPlayer: null, timestamp: 1, players: { p1: true, p2: false } } }),
    );
    const ui = mount(source);
    await eventually(() => expect(ui.frame()).toContain('Waiting for player 2'));

    source.set({ state: { status: 'playing', p1Score: 0, p2Score: 0, servingPlayer: 1, timestamp: 2 } });
    await eventually(() => expect(ui.frame()).toContain('P1 to serve — space'));

    source.set({ state: { status: 'ended', p1Score: 11, p2Score: 7, servingPlayer: null, winner: 1, timestamp: 3 } });
    await eventually(() => expect(ui.frame()).toContain('P1 wins 11–7 — r to restart'));
    expect(ui.frame()).toContain('11 : 7');
  });

  it('shows a reconnecting connection with its reason and the transport', async () => {
    const ui = mount(
      new FakeSource(
        viewState({ role: { kind: 'spectator' }, transport: 'webrtc', connection: 'reconnecting', connectionDetail: 'ICE failed' }),
      ),
      'watch',
    );
    await eventually(() => expect(ui.frame()).toContain('game demo · spectator · webrtc reconnecting… (ICE failed)'));
    expect(ui.frame()).toContain('watching — ? help · q quit');
  });

  it('shows the latency figures, approximate until the offset is known, and the server round trip', async () => {
    const figures = { frames: 500, last: 1.25, p50: 1.1, p95: 2.04, p99: 3.5, jitter: 0.31, framesLost: 2 };
    const source = new FakeSource(viewState({ latency: latency({ ...figures, recent: [1, 2, 3, 4, 8] }) }));
    const ui = mount(source, 'play', undefined, 800);
    await eventually(() => expect(ui.frame()).toContain('last ~1.25  p50 ~1.10  p95 ~2.04  p99 ~3.50'));
    let frame = ui.frame();
    expect(frame).toContain('jitter 0.31  lost 2');
    expect(frame).toMatch(/▁▂▃▄█ ~1\.00–~8\.00 ms/);

    const rtt = { last: 1, min: 0.5, mean: 1, p50: 0.9, p95: 1.8, p99: 2.2, max: 3 };
    const framesBefore = ui.frames.length;
    source.set({
      ball: { x: 10, y: 3, dx: 0.5, dy: 0.5, timestamp: 2, seq: 2 },
      latency: latency({ ...figures, offsetKnown: true }),
      serverStats: { samples: 500, rtt, jitter: 0.1, offset: 0.2, framesLost: 0 },
    });
    // The court follows the frame at once; the panel only on its next sample.
    await eventually(() => expect(ui.frames.length).toBeGreaterThan(framesBefore));
    expect(ui.frame()).toContain('last ~1.25');
    await eventually(() => expect(ui.frame()).toContain('last 1.25  p50 1.10  p95 2.04  p99 3.50'));
    frame = ui.frame();
    expect(frame).toContain('server rtt p50 0.90 p99 2.20');
    expect(frame).toContain('no ball frames yet');
  });

  it('asks for a bigger terminal when the court does not fit, and recovers', async () => {
    const ui = mount(new FakeSource(viewState()));
    resize(ui.stdout, 40, 12);
    await eventually(() =>
      expect(prose(ui.frame())).toContain('Terminal too small: need at least 44x17, have 40x12 — enlarge it'),
    );
    expect(ui.frame()).not.toContain('┌');
    resize(ui.stdout, 44, 17);
    await eventually(() => expect(ui.frame()).not.toContain('too small'));
    expect(ui.frame().split('\n')).toHaveLength(16);
  });
});

describe('GameView polish', () => {
  it('opens and closes the help over the court on ?', async () => {
    const ui = mount(new FakeSource(viewState()));
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    ui.stdin.write('?');
    await eventually(() => expect(ui.frame()).toContain('move (hold to glide)'));
    expect(ui.frame()).toContain('r           play again, after a game');
    // Still the court's size: the layout does not jump.
    expect(courtRows(ui.frame()).length).toBeGreaterThan(5);
    ui.stdin.write('?');
    await eventually(() => expect(ui.frame()).not.toContain('move (hold to glide)'));
  });

  it('flashes the walls and the score on a point, and rings the bell when asked', async () => {
    const source = new FakeSource(viewState({ state: { status: 'playing', p1Score: 0, p2Score: 0, servingPlayer: null, timestamp: 1 } }));
    const controls = recordingControls();
    const ui = render(<GameView source={source} controls={controls} mode="play" bell colour={false} />);
    await eventually(() => expect(ui.lastFrame()).toContain('0 : 0'));
    source.set({ state: { status: 'playing', p1Score: 1, p2Score: 0, servingPlayer: 2, timestamp: 2 } });
    await eventually(() => expect(ui.lastFrame()).toContain('█'.repeat(40)));
    expect(ui.frames).toContain('\u0007');
    // Gone after the flash.
    await eventually(() => expect(ui.lastFrame()).not.toContain('█'.repeat(40)));
  });

  it('counts down to an automatic serve', async () => {
    const now = 50_000;
    const source = new FakeSource(
      viewState({ state: { status: 'playing', p1Score: 0, p2Score: 1, servingPlayer: 1, autoServeAt: now + 2500, timestamp: 1 } }),
    );
    const ui = render(<GameView source={source} controls={recordingControls()} mode="play" wallClock={() => now} />);
    await eventually(() => expect(ui.lastFrame()).toContain('space to serve · 3'));
  });

  it('ends on the result with the match statistics and how to play again', async () => {
    const source = new FakeSource(viewState({ latency: latency({ mean: 2.5, offsetKnown: true }) }));
    const ui = mount(source);
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    source.set({ state: { status: 'ended', p1Score: 9, p2Score: 11, servingPlayer: null, winner: 2, timestamp: 9 } });
    await eventually(() => expect(ui.frame()).toContain('P2 wins 11–9'));
    expect(ui.frame()).toContain('rallies 1 · longest 0 hits');
    expect(ui.frame()).toContain('average latency 2.50 ms');
    expect(ui.frame()).toContain('r to play again · q to quit');
    ui.stdin.write('r');
    expect(ui.controls.restarts).toBe(1);
  });
});

describe('GameView keys', () => {
  it('moves the own paddle one unit on an arrow tap and draws it there at once', async () => {
    let now = 0;
    const ui = mount(new FakeSource(viewState({ paddles: { p1: 4, p2: 9 } })), 'play', () => now);
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    const p1Rows = (): string =>
      courtRows(ui.frame())
        .map((l) => [...l][3])
        .join('');
    const before = p1Rows();
    ui.stdin.write(`${ESC}[A`);
    expect(ui.controls.moves).toEqual([3]);
    await eventually(() => expect(p1Rows()).not.toBe(before));
    // Drawn two pixels (one unit) higher: the paddle's first inked row moved up.
    expect(p1Rows().search(/[▀▄█]/)).toBeLessThan(before.search(/[▀▄█]/));
    // Another key ends the first one's hold (only the last key auto-repeats) and steps from
    // where the paddle was put, not from the session's older position.
    now = 100;
    ui.stdin.write('s');
    expect(ui.controls.moves).toEqual([3, 4]);
  });

  it('glides while a key auto-repeats and stops when the repeats stop', async () => {
    // Key time is faked; the animation timer is real and reads it.
    let now = 0;
    const source = new FakeSource(viewState({ role: { kind: 'player', player: 2 }, paddles: { p1: 0, p2: 9 } }));
    const ui = mount(source, 'play', () => now);
    await eventually(() => expect(ui.frame()).toContain('P2 (you)'));
    ui.stdin.write('w'); // the press: one step
    expect(ui.controls.moves).toEqual([8]);
    for (now = 20; now <= 140; now += 30) {
      ui.stdin.write('w'); // auto-repeat: from 20 ms on the paddle glides
      await tick(20);
    }
    now = 2000;
    // Repeats stopped at 140 ms, so the hold ended at 240: 220 ms of gliding, 80 of them
    // accelerating, is 1.6 + 5.6 units, from 8 to 0.8.
    await eventually(() => expect(ui.controls.moves.at(-1)).toBe(0.8));
    const moves = ui.controls.moves;
    for (let i = 1; i < moves.length; i++) expect(moves[i]).toBeLessThan(moves[i - 1] ?? Infinity);
    await tick(100);
    expect(ui.controls.moves.at(-1)).toBe(0.8);
    // Drawn where the player put it, although the session still says 9.
    expect(courtRows(ui.frame()).slice(0, 4).some((row) => /█ *│$/.test(row))).toBe(true);
  });

  it('with kitty key events, glides from the press and stops at the release', async () => {
    let now = 0;
    const source = new FakeSource(viewState({ paddles: { p1: 9, p2: 0 } }));
    const ui = mount(source, 'play', () => now);
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    ui.stdin.write(`${ESC}[A`); // an unmodified press comes without an event type: one step
    expect(ui.controls.moves).toEqual([8]);
    now = 400;
    ui.stdin.write(`${ESC}[1;1:2A`); // repeat: the terminal reports event types
    now = 500;
    ui.stdin.write(`${ESC}[1;1:3A`); // release after 100 ms of gliding: 2.4 units
    expect(ui.controls.moves.at(-1)).toBe(5.6);
    now = 5000;
    await tick(60);
    expect(ui.controls.moves.at(-1)).toBe(5.6);

    // From now on a press steps and glides at once until its release (the session has caught up).
    source.set({ paddles: { p1: 4.6, p2: 0 } });
    now = 6000;
    ui.stdin.write(`${ESC}[B`);
    expect(ui.controls.moves.at(-1)).toBe(5.6);
    now = 6100;
    ui.stdin.write(`${ESC}[1;1:3B`);
    expect(ui.controls.moves.at(-1)).toBe(8);
  });

  it('serves on space, restarts on r and quits on q', async () => {
    const ui = mount(new FakeSource(viewState()));
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    ui.stdin.write(' ');
    ui.stdin.write('r');
    expect(ui.controls.serves).toBe(1);
    expect(ui.controls.restarts).toBe(1);
    expect(ui.controls.quits).toBe(0);
    ui.stdin.write('q');
    expect(ui.controls.quits).toBe(1);
    expect(ui.controls.moves).toEqual([]);
  });

  it('quits on Ctrl-C', async () => {
    const ui = mount(new FakeSource(viewState()));
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    ui.stdin.write('\u0003');
    expect(ui.controls.quits).toBe(1);
  });

  it('ignores kitty repeats and releases of action keys', async () => {
    const ui = mount(new FakeSource(viewState()));
    await eventually(() => expect(ui.frame()).toContain('Playing'));
    ui.stdin.write(`${ESC}[32u`); // space press
    ui.stdin.write(`${ESC}[32;1:2u`); // repeat
    ui.stdin.write(`${ESC}[32;1:3u`); // release
    ui.stdin.write(`${ESC}[114;1:3u`); // release of r
    expect(ui.controls.serves).toBe(1);
    expect(ui.controls.restarts).toBe(0);
  });

  it('gives a watcher no controls but q', async () => {
    const ui = mount(new FakeSource(viewState({ role: { kind: 'spectator' } })), 'watch');
    await eventually(() => expect(ui.frame()).toContain('watching — ? help · q quit'));
    for (const key of [`${ESC}[A`, 'w', 's', ' ', 'r']) ui.stdin.write(key);
    await tick(50);
    expect(ui.controls).toMatchObject({ moves: [], serves: 0, restarts: 0, quits: 0 });
    ui.stdin.write('q');
    expect(ui.controls.quits).toBe(1);
  });
});
