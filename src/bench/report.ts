/**
 * A bench run as a document (the --json output and the saved .json) and as markdown tables
 * (the terminal output and the saved .md).
 */
import type { NetworkConditions } from '../bus/conditioned-bus.js';
import type { TransportName } from '../transports/transport.js';
import type { Spread } from './figures.js';
import type { FloorResult, MachineFloorResult, TransportResult } from './game-bench.js';
import type { MachineInfo } from './machine.js';
import { PAUSE_THRESHOLD_MS, type MachinePauses } from './machine-pauses.js';
import type { IdleRoomsResult } from './idle-rooms-bench.js';
import type { RenderResult } from './render/render-bench.js';
import type { BrowserRenderResult } from './render/browser-render-bench.js';
import type { ViewCost } from './render/view-cost.js';
import { stoppedAt, type ScaleResult } from './scale-bench.js';
import { TICK_COST_HOSTS, type TickCostResult } from './tick-cost-bench.js';

export interface BenchReport {
  kind: 'game' | 'scale' | 'render' | 'rooms';
  machine: MachineInfo;
  settings: {
    transports: TransportName[];
    games: number;
    durationS: number;
    /** Seconds played before each window (and, for the game bench, before each floor's). */
    warmupS?: number;
    /** Game and floor (scale: server and relay's climb) measured this many times per transport, in turn. */
    rounds?: number;
    brokerUrl?: string;
    network?: NetworkConditions;
  };
  /**
   * The game's frames over Node's bare TCP, measured at the start of each round (absent with
   * --no-machine-floor, and in older results).
   */
  machineFloors?: MachineFloorResult[];
  game?: TransportResult[];
  /** The fixed cost of a tick: the server idle, at 1 and at 20 games, beside a setInterval relay (absent with --no-tick-cost). */
  tickCost?: TickCostResult;
  scale?: ScaleResult[];
  render?: RenderResult;
  /** `pong watch` and `pong demo` at 60 fps (--render), beside the render bench's `pong play`. */
  views?: ViewCost[];
  /** The browser page's render cost (--render), or why it could not be measured. */
  browserRender?: BrowserRenderResult | { unavailable: string };
  rooms?: IdleRoomsResult;
}

const f = (value: number | null | undefined, digits = 3): string => (value === null || value === undefined ? '-' : value.toFixed(digits));
const x = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : `${value.toFixed(2)}x`);
const spread = (s: Spread) => `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)} / ${f(s.max)}`;
const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
const max = (values: number[]) => (values.length === 0 ? null : Math.max(...values));

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

/** `ws`, or `ws 2/3` when a transport was measured in several rounds. */
function roundName(r: { transport: TransportName; round: number }, results: ReadonlyArray<{ transport: TransportName }>): string {
  const rounds = results.filter((other) => other.transport === r.transport).length;
  return rounds > 1 ? `${r.transport} ${r.round}/${rounds}` : r.transport;
}

/** Transports measured in more than one round, in the order they first appear. */
function repeatedTransports(results: ReadonlyArray<{ transport: TransportName }>): TransportName[] {
  return [...new Set(results.map((r) => r.transport))].filter((t) => results.filter((r) => r.transport === t).length > 1);
}

/** A summary row per transport measured in several rounds: its name, its rounds, then `cells` of its results. */
function repeatedRows<R extends { transport: TransportName }>(results: readonly R[], cells: (mine: R[]) => string[]): string[][] {
  return repeatedTransports(results).map((transport) => {
    const mine = results.filter((r) => r.transport === transport);
    return [transport, String(mine.length), ...cells(mine)];
  });
}

/** `median (min – max)` of the known values, each shown by `show`; '-' when none is known. */
function medianRange(values: ReadonlyArray<number | null>, show: (v: number | null) => string): string {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? '-' : `${show(median(known))} (${show(Math.min(...known))} – ${show(Math.max(...known))})`;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Per transport measured in several rounds: the median ratio to the floor and its range; and
 * the machine floor's round trip p99 over its rounds, where there were several.
 */
export function roundsTable(results: readonly TransportResult[], machineFloors: readonly MachineFloorResult[] = []): string | null {
  const rows = repeatedRows(results, (mine) => [
    medianRange(mine.map((r) => r.vsFloor.p50), x),
    medianRange(mine.map((r) => r.vsFloor.p99), x),
    medianRange(mine.map((r) => r.server.acks.roundTrip.p99), f),
  ]);
  if (rows.length === 0) return null;
  const machine = machineFloors.length > 1 ? [machineRoundsRow(machineFloors)] : [];
  return table(['transport', 'rounds', 'vs floor p50: median (range)', 'vs floor p99: median (range)', 'round trip p99 ms: median (range)'], [...rows, ...machine]);
}

function machineRoundsRow(machineFloors: readonly MachineFloorResult[]): string[] {
  const p99s = machineFloors.map((m) => ('error' in m ? null : m.server.acks.roundTrip.p99));
  return [MACHINE_ROW, String(machineFloors.length), '-', '-', medianRange(p99s, f)];
}

const MACHINE_ROW = 'tcp (machine)';

/** Rows in transport order, a transport's rounds together, though they were measured round by round. */
function byTransport(results: readonly TransportResult[]): TransportResult[] {
  const order = [...new Set(results.map((r) => r.transport))];
  return [...results].sort((a, b) => order.indexOf(a.transport) - order.indexOf(b.transport) || a.round - b.round);
}

/** A floor's row of the floors table: `name` first, then its figures or why it has none. */
function floorRow(name: string, floor: FloorResult | { error: string }): string[] {
  if ('error' in floor) return [name, `(${floor.error})`, '-', '-', '-', '-', '-', '-'];
  const { server, clients, label } = floor;
  return [
    name,
    label,
    spread(server.acks.roundTrip),
    `${f(server.acks.oneWay.p50)} / ${f(server.acks.oneWay.p99)}`,
    `${server.acks.framesLost} of ${server.acks.expected}`,
    f(server.usage.cpuMsPerS, 1),
    f(mean(clients.map((c) => c.usage.cpuMsPerS)), 1),
    f(server.tickError.p99),
  ];
}

/** The machine floors, when measured, are the floors table's first rows: what every floor stands on. */
export function gameTables(measured: readonly TransportResult[], machineFloors: readonly MachineFloorResult[] = []): string {
  const results = byTransport(measured);
  const latency = table(
    ['transport', 'round trip p50 / p95 / p99 / max ms', 'floor p50 / p99 ms', 'vs floor p50 / p99', 'one-way p50 / p99 ms', 'jitter ms', 'frames lost'],
    results.map((r) => {
      const floor = 'error' in r.floor ? null : r.floor;
      return [
        roundName(r, results),
        spread(r.server.acks.roundTrip),
        floor ? `${f(floor.server.acks.roundTrip.p50)} / ${f(floor.server.acks.roundTrip.p99)}` : `(${'error' in r.floor ? r.floor.error : ''})`,
        `${x(r.vsFloor.p50)} / ${x(r.vsFloor.p99)}`,
        `${f(r.server.acks.oneWay.p50)} / ${f(r.server.acks.oneWay.p99)}`,
        f(r.server.acks.jitter),
        `${r.server.acks.framesLost} of ${r.server.acks.expected}`,
      ];
    }),
  );
  const cost = table(
    ['transport', 'B/frame in / out', 'server CPU ms/s', 'client CPU ms/s', 'peak RSS server / client MB', 'tick error p50 / p99 / max ms', 'clock error / bound ms'],
    results.map((r) => {
      const clients = r.clients;
      return [
        roundName(r, results),
        `${f(mean(clients.flatMap((c) => (c.bytesInPerFrame === null ? [] : [c.bytesInPerFrame]))), 1)} / ${f(mean(clients.flatMap((c) => (c.bytesOutPerFrame === null ? [] : [c.bytesOutPerFrame]))), 1)}`,
        f(r.server.usage.cpuMsPerS, 1),
        f(mean(clients.map((c) => c.usage.cpuMsPerS)), 1),
        `${f(r.server.usage.peakRssMb, 0)} / ${f(max(clients.map((c) => c.usage.peakRssMb)), 0)}`,
        `${f(r.server.tickError.p50)} / ${f(r.server.tickError.p99)} / ${f(r.server.tickError.max)}`,
        `${f(r.server.acks.offsetError)} / ${f(r.server.acks.offsetBound)}`,
      ];
    }),
  );
  const floors = table(
    ['floor', 'bare libraries', 'round trip p50 / p95 / p99 / max ms', 'one-way p50 / p99 ms', 'frames lost', 'relay CPU ms/s', 'client CPU ms/s', 'tick error p99 ms'],
    [
      ...machineFloors.map((m) => floorRow(machineFloors.length > 1 ? `${MACHINE_ROW} ${m.round}/${machineFloors.length}` : MACHINE_ROW, m)),
      ...results.map((r) => floorRow(roundName(r, results), r.floor)),
    ],
  );
  const rounds = roundsTable(results, machineFloors);
  return [latency, cost, floors, ...(rounds !== null ? [rounds] : [])].join('\n\n');
}

export function scaleTable(results: readonly ScaleResult[]): string {
  const main = table(
    ['transport', 'pong server: games sustained', 'bare relay: games sustained', 'server / relay', 'server stopped at', 'relay stopped at', 'server CPU ms/s / load CPU ms/s at max', 'CPU server / relay at the largest step both held'],
    results.map((r) => {
      const stop = (series: ScaleResult['server']) => {
        const stopped = stoppedAt(series);
        return stopped !== undefined ? `${stopped.games}: ${stopped.reason ?? ''}` : 'all steps held';
      };
      const best = [...r.server.steps].reverse().find((s) => s.sustained);
      return [
        roundName(r, results),
        String(r.server.sustained),
        String(r.relay.sustained),
        x(r.ratio),
        stop(r.server),
        stop(r.relay),
        best ? `${f(best.host?.usage.cpuMsPerS, 0)} / ${f(best.load?.usage.cpuMsPerS, 0)}` : '-',
        r.cpu ? `${f(r.cpu.server, 0)} / ${f(r.cpu.relay, 0)} ms/s at ${r.cpu.games}: ${x(r.cpu.ratio)}` : '-',
      ];
    }),
  );
  const rounds = scaleRoundsTable(results);
  return rounds === null ? main : `${main}\n\n${rounds}`;
}

/** Per transport climbed in several rounds: the median of each figure and its range. */
export function scaleRoundsTable(results: readonly ScaleResult[]): string | null {
  const games = (v: number | null) => (v === null ? '-' : String(v));
  const rows = repeatedRows(results, (mine) => [
    medianRange(mine.map((r) => r.server.sustained), games),
    medianRange(mine.map((r) => r.relay.sustained), games),
    medianRange(mine.map((r) => r.ratio), x),
    medianRange(mine.map((r) => r.cpu?.ratio ?? null), x),
  ]);
  if (rows.length === 0) return null;
  return table(
    ['transport', 'rounds', 'server sustained: median (range)', 'relay sustained: median (range)', 'server / relay: median (range)', 'CPU server / relay: median (range)'],
    rows,
  );
}

/** What was run: the header's second line, and the plots' caption. */
export function settingsLine(report: BenchReport): string {
  const s = report.settings;
  const network = s.network ? `, network delay ${s.network.delayMs} ms ± ${s.network.jitterMs} ms, loss ${s.network.lossPct}%` : '';
  return `${s.transports.join(', ')} · ${report.kind === 'game' ? `${s.games} game${s.games === 1 ? '' : 's'} · ` : ''}${s.durationS} s measured${report.kind === 'scale' ? ' per step' : ''}${s.warmupS !== undefined ? ` after ${s.warmupS} s of warm-up` : ''}${s.rounds !== undefined && s.rounds > 1 ? ` · ${s.rounds} rounds of ${report.kind === 'scale' ? 'server and relay side by side' : 'game and floor'}, in ABBA order` : ''}${s.brokerUrl ? ` · broker ${s.brokerUrl}` : ''}${network}`;
}

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `pong bench (${report.kind}) · ${m.date} · ${m.cpus} × ${m.cpuModel} · Node ${m.node} · load average ${m.loadAverage}${m.pauses ? ` · ${pausesLine(m.pauses)}` : ''}`,
    settingsLine(report),
    '',
  ];
  if (report.game) lines.push(gameTables(report.game, report.machineFloors));
  if (report.tickCost) lines.push('', tickCostTable(report.tickCost));
  if (report.scale) lines.push(scaleTable(report.scale));
  if (report.render) lines.push(renderTable(report.render));
  if (report.views) lines.push('', viewsTable(report.views));
  if (report.browserRender) lines.push('', browserRenderTable(report.browserRender));
  if (report.rooms) lines.push(roomsTable(report.rooms));
  return `${lines.join('\n')}\n`;
}

/**
 * One row per game count: each host's CPU, and pong's over the setInterval relay's; then each
 * host's tick error p99 (against the 60 Hz grid), interval error p99 (|tick interval − period|)
 * and ticks per second. Medians over rounds.
 */
export function tickCostTable(r: TickCostResult): string {
  const hostName = (host: string) => (host === 'pong' ? `pong server (${r.transport})` : `TCP relay, ${host.replace(' floor', '')}`);
  const rounds = r.rounds > 1 ? `, medians of ${r.rounds} rounds` : '';
  const byHost = (values: Record<string, number | null>, digits: number) => TICK_COST_HOSTS.map((host) => f(values[host], digits)).join(' / ');
  const rows = r.rows.map((row) => [
    row.games === 0 ? 'idle' : String(row.games),
    ...TICK_COST_HOSTS.map((host) => f(row.cpuMsPerS[host], 1)),
    x(row.pongVsSetInterval),
    byHost(row.tickErrorP99, 3),
    byHost(row.intervalErrorP99, 3),
    byHost(row.ticksPerS, 2),
  ]);
  const failed = r.windows.filter((w) => w.report === null).map((w) => `${w.host}, ${w.games} games, round ${w.round}: ${w.error ?? 'failed'}`);
  const hosts = TICK_COST_HOSTS.map(hostName).join(' / ');
  return [
    `The fixed cost of a tick: host CPU ms/s${rounds}; every host with games driven by one load generator; idle: no game (pong keeps one room waiting)`,
    '',
    table(
      ['games', `${hostName('pong')} CPU ms/s`, `${hostName('setInterval floor')} CPU ms/s`, `${hostName('scheduler floor')} CPU ms/s`, 'pong / setInterval', 'tick error p99 ms', 'interval error p99 ms', 'ticks/s'],
      rows,
    ),
    '',
    `tick error: |tick − its 60 Hz grid point|; interval error: |time between ticks − 16.667 ms|; each as ${hosts}`,
    ...failed.map((line) => `not measured: ${line}`),
  ].join('\n');
}

/** The machine's own pauses, as the header states them. */
export function pausesLine(p: MachinePauses): string {
  return `machine paused ${f(p.pausedPct, 1)}% of a ${f(p.probeMs / 1000, 0)} s probe (${p.pauses} pauses over ${PAUSE_THRESHOLD_MS} ms, longest ${f(p.longestMs, 1)} ms)`;
}

export function renderTable(r: RenderResult): string {
  return table(
    ['frames drawn /s in motion', 'frames drawn /s overall', 'paused s', 'CPU ms/s', `CPU ms/s, first ${r.warmupS} s`, 'bytes / frame', 'key-to-screen p50 / p95 / max ms', 'keys'],
    [[f(r.framesPerSecondInMotion, 1), f(r.framesPerSecond, 1), f(r.pausedS, 1), f(r.cpuMsPerS, 1), f(r.warmupCpuMsPerS, 1), f(r.bytesPerFrame, 0), `${f(r.keyToScreen.p50, 1)} / ${f(r.keyToScreen.p95, 1)} / ${f(r.keyToScreen.max, 1)}`, `${r.keysSeen} of ${r.keysSent}`]],
  );
}

/** `pong watch` and `pong demo`: CPU at 60 fps (1000 ms/s is one core). */
export function viewsTable(views: readonly ViewCost[]): string {
  return table(
    ['view', 'frames drawn /s', 'CPU ms/s', 'CPU ms/s over the warm-up', 'peak RSS MB'],
    views.map((v) => [`\`${v.command}\``, f(v.framesPerSecond, 1), f(v.cpuMsPerS, 1), f(v.warmupCpuMsPerS, 1), f(v.peakRssMb, 1)]),
  );
}

/** The browser page in headless Chromium: frames drawn, and the main thread's time per frame. */
export function browserRenderTable(r: BrowserRenderResult | { unavailable: string }): string {
  if ('unavailable' in r) return `Browser: not measured (${r.unavailable}).`;
  return [
    `Browser (${r.chromium}, headless, the page over ws):`,
    '',
    table(
      ['frames drawn /s', 'display frames /s', 'main-thread ms / frame drawn', 'of which script ms', 'draw p50 / p95 / max ms', `warm-up s`],
      [[f(r.framesPerSecond, 1), f(r.displayFramesPerSecond, 1), f(r.mainThreadMsPerFrame, 2), f(r.scriptMsPerFrame, 2), `${f(r.draw.p50, 2)} / ${f(r.draw.p95, 2)} / ${f(r.draw.max, 2)}`, String(r.warmupS)]],
    ),
  ].join('\n');
}

/** The live game measured alone and beside the idle rooms, one row each, and the server's extra CPU. */
export function roomsTable(r: IdleRoomsResult): string {
  const line = (label: string, w: IdleRoomsResult['alone']) => [
    label,
    String(w.roomsOpen),
    f(w.framesPerS, 1),
    String(w.framesLost),
    f(w.server.cpuMsPerS, 1),
    f(w.tickErrorP99),
    f(w.server.peakRssMb, 1),
  ];
  return [
    table(
      ['server', 'rooms open', 'live frames/s at a subscriber', 'frames lost', 'server CPU ms/s', 'tick error p99 ms', 'server peak RSS MB'],
      [line('the live game alone', r.alone), line(`+ ${r.rooms} idle rooms`, r.withRooms)],
    ),
    '',
    `Server CPU with the idle rooms: ${r.extraCpuPct === null ? '-' : `${r.extraCpuPct >= 0 ? '+' : ''}${r.extraCpuPct.toFixed(1)} %`} of the live game's alone.`,
  ].join('\n');
}
