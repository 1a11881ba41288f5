/**
 * The compare screen's text on a stand-in terminal: every transport's row with its figures,
 * the table within 100 columns, the whole screen within 100 x 30, and a message instead of a
 * garbled screen when the terminal is smaller than that needs.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { ClientViewState } from '../../src/client/view-state.js';
import type { ComparisonSnapshot, TransportFigures } from '../../src/compare/snapshot.js';
import { FrameLatency } from '../../src/metrics/frame-latency.js';
import type { TransportName } from '../../src/transports/transport.js';
import { figuresLine, headerLine, sparkLine, TABLE_WIDTH } from '../../src/ui/compare/columns.js';
import { compareMinimum } from '../../src/ui/compare/layout.js';
import { renderCompare } from '../../src/ui/compare/render.js';

function figures(name: TransportName, overrides: Partial<TransportFigures> = {}): TransportFigures {
  return {
    name,
    status: 'connected',
    offsetKnown: true,
    frames: 600,
    framesLost: 2,
    oneWay: { last: 0.61, min: 0.2, mean: 0.7, p50: 0.55, p95: 0.9, p99: 1.234, max: 12.5 },
    negative: 0,
    jitter: 0.08,
    bytesPerFrame: 142.25,
    rtt: { p50: 1.1, p99: 2 },
    recent: [0.5, 0.6, 2, 0.4],
    seqFrom: 100,
    seqTo: 699,
    ...overrides,
  };
}

const NAMES: TransportName[] = ['mqtt', 'ws', 'socketio', 'webrtc'];
const snapshot: ComparisonSnapshot = { gameId: 'demo', measuring: true, seqFrom: 100, seqTo: 699, sameFrames: 598, transports: NAMES.map((n) => figures(n)) };

const courtState: ClientViewState = {
  gameId: 'demo',
  role: { kind: 'spectator' },
  transport: 'mqtt',
  connection: 'connected',
  ball: { x: 20, y: 6, dx: 0.5, dy: 0, timestamp: 1, seq: 1 },
  paddles: { p1: 4, p2: 4 },
  state: { status: 'playing', p1Score: 3, p2Score: 2, servingPlayer: null, timestamp: 1 },
  latency: FrameLatency.empty(),
  serverStats: null,
};

function terminal(columns: number, rows: number) {
  const stdout = Object.assign(new PassThrough(), { columns, rows, isTTY: true }) as unknown as NodeJS.WriteStream;
  let written = '';
  (stdout as unknown as PassThrough).on('data', (chunk: Buffer) => (written += chunk.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin }) as unknown as NodeJS.ReadStream;
  return { stdout, stdin, output: () => written };
}

function mount(columns: number, rows: number) {
  const term = terminal(columns, rows);
  const quits = { count: 0 };
  const ui = renderCompare({
    comparison: { snapshot: () => snapshot, subscribe: () => () => {} },
    court: { getState: () => courtState, subscribe: () => () => {} },
    controls: { movePaddleTo: () => {}, serve: () => {}, restart: () => {}, quit: () => (quits.count += 1) },
    player: null,
    transports: NAMES.length,
    where: 'test',
    stdout: term.stdout,
    stdin: term.stdin,
  });
  return { term, ui, quits };
}

describe('the compare table', () => {
  it('lines up every figure under its header, within 100 columns', () => {
    expect(TABLE_WIDTH).toBeLessThanOrEqual(100);
    expect(headerLine()).toHaveLength(TABLE_WIDTH);
    const line = figuresLine(figures('socketio'));
    expect(line).toHaveLength(TABLE_WIDTH);
    expect(line).toMatch(/^socketio\s+connected\s+0\.61\s+0\.55\s+0\.90\s+1\.23\s+12\.5\s+0\.08\s+600\s+2\s+142\.3\s+1\.10\s+2\.00$/);
    expect(sparkLine(figures('ws'), 100).length).toBeLessThanOrEqual(100);
  });

  it('says why a row has no figures', () => {
    expect(sparkLine(figures('webrtc', { status: 'failed', detail: 'ICE failed', recent: [] }), 100)).toMatch(/ICE failed/);
    expect(figuresLine(figures('ws', { offsetKnown: false }))).toMatch(/syncing/);
  });

  it('fits four transports in 100 x 30', () => {
    const need = compareMinimum(4);
    expect(need.columns).toBeLessThanOrEqual(100);
    expect(need.rows).toBeLessThanOrEqual(30);
  });
});

describe('the compare screen', () => {
  it('shows the court and a row of figures per transport, and q quits', async () => {
    const { term, ui, quits } = mount(100, 30);
    await vi.waitFor(() => expect(term.output()).toContain('the game'), { timeout: 2000 });
    for (const name of NAMES) expect(term.output()).toMatch(new RegExp(`${name}\\s+connected\\s+0\\.61`));
    expect(term.output()).toContain('same frames: 598 of seq 100–699');
    term.stdin.write('q');
    await ui.waitUntilExit();
    expect(quits.count).toBe(1);
  });

  it('asks for a bigger terminal below its minimum', async () => {
    const { term, ui } = mount(80, 20);
    await vi.waitFor(() => expect(term.output()).toMatch(/Terminal too small/), { timeout: 2000 });
    expect(term.output()).not.toContain('┌');
    ui.unmount();
    await ui.waitUntilExit();
  });
});
