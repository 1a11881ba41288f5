/**
 * `pong bench --duration 2 --warmup 1 --json` end to end, through the real binary: every figure for every
 * transport is present and sane. Values are checked for sense (ordered percentiles, nothing
 * negative, bytes and CPU above zero), never for speed: the machine may be busy.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';
import type { Spread } from '../../src/bench/figures.js';
import type { TickCostRow } from '../../src/bench/tick-cost-bench.js';
import { transportLabel } from '../../src/plots/theme.js';
import { killAll, runPong } from '../helpers/cli.js';
import { fieldOf, marks, texts } from '../plots/svg.js';

const out = mkdtempSync(join(tmpdir(), 'pong-bench-'));

afterAll(async () => {
  await killAll();
  rmSync(out, { recursive: true, force: true });
});

function expectSpread(spread: Spread): void {
  const values = [spread.min, spread.p50, spread.p95, spread.p99, spread.max];
  for (const value of values) {
    expect(value).not.toBeNull();
    expect(value).toBeGreaterThanOrEqual(0);
  }
  for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
}

describe('pong bench --json', () => {
  it('measures every figure for every transport, and saves the run', { timeout: 300_000 }, async () => {
    const bench = runPong(['bench', '--duration', '2', '--warmup', '1', '--json', '--no-tick-cost', '--out', out]);
    const code = await bench.exited;
    const text = bench.output();
    expect(code, text).toBe(0);
    const report = JSON.parse(text.slice(text.indexOf('{\n'))) as BenchReport;

    expect(report.kind).toBe('game');
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.cpuModel.length).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(report.machine.date))).toBe(false);
    const pauses = report.machine.pauses!;
    expect(pauses.probeMs).toBeGreaterThanOrEqual(3000);
    expect(pauses.pausedPct).toBeGreaterThanOrEqual(0);
    expect(pauses.pausedPct).toBeLessThanOrEqual(100);
    expect(pauses.longestMs).toBeLessThanOrEqual(pauses.pausedMs);
    expect(report.game!.map((r) => r.transport)).toEqual(['mqtt', 'ws', 'socketio', 'webrtc']);

    // The machine floor, measured first in the round: the game's shape over bare TCP, every frame acked.
    expect(report.machineFloors!.map((m) => m.round)).toEqual([1]);
    const machine = report.machineFloors![0]!;
    expect('error' in machine, JSON.stringify(machine)).toBe(false);
    if (!('error' in machine)) {
      expect(machine.label).toBe("Node's net, no library");
      expect(machine.server.acks.clients).toBe(2);
      expect(machine.server.acks.expected).toBeGreaterThan(2 * 60);
      expect(machine.server.acks.acked).toBeGreaterThan(0);
      expectSpread(machine.server.acks.roundTrip);
      expectSpread(machine.server.acks.oneWay);
      expect(machine.server.tickError.ticks).toBeGreaterThan(60);
      expect(machine.clients).toHaveLength(2);
      for (const client of machine.clients) expect(client.frames).toBeGreaterThan(60);
    }

    for (const result of report.game!) {
      const { acks, usage, tickError } = result.server;
      expect(acks.clients, result.transport).toBe(2);
      // About 120 frames each in 2 s at 60 Hz, whatever the load.
      expect(acks.expected).toBeGreaterThan(2 * 60);
      expect(acks.acked).toBeGreaterThan(0);
      expect(acks.framesLost).toBe(acks.expected - acks.acked);
      expectSpread(acks.roundTrip);
      expectSpread(acks.oneWay);
      // One-way is part of the round trip.
      expect(acks.oneWay.p50!).toBeLessThanOrEqual(acks.roundTrip.p50!);
      expect(acks.jitter).toBeGreaterThanOrEqual(0);
      expect(acks.offsetError).toBeGreaterThanOrEqual(0);
      expect(acks.offsetBound).toBeGreaterThan(0);
      expect(usage.cpuMsPerS).toBeGreaterThan(0);
      expect(usage.peakRssMb).toBeGreaterThan(10);
      expect(tickError.ticks).toBeGreaterThan(60);
      for (const value of [tickError.p50, tickError.p99, tickError.max]) expect(value).toBeGreaterThanOrEqual(0);
      expect(tickError.p99!).toBeGreaterThanOrEqual(tickError.p50!);

      expect(result.clients).toHaveLength(2);
      for (const client of result.clients) {
        expect(client.frames).toBeGreaterThan(0);
        // At least the ball frame's JSON (~100 bytes) in, the ack's (~60) out.
        expect(client.bytesInPerFrame).toBeGreaterThan(60);
        expect(client.bytesOutPerFrame).toBeGreaterThan(30);
        expect(client.usage.cpuMsPerS).toBeGreaterThan(0);
        expect(client.usage.peakRssMb).toBeGreaterThan(10);
      }

      expect('error' in result.floor, JSON.stringify(result.floor)).toBe(false);
      if ('error' in result.floor) continue;
      // The floor has the game's shape: two clients per game, every frame acked by both.
      const floor = result.floor.server.acks;
      expect(floor.clients, `${result.transport} floor`).toBe(2);
      expect(floor.expected).toBeGreaterThan(2 * 60);
      expect(floor.acked).toBeGreaterThan(0);
      expectSpread(floor.roundTrip);
      expectSpread(floor.oneWay);
      expect(result.floor.server.usage.cpuMsPerS).toBeGreaterThan(0);
      expect(result.floor.clients).toHaveLength(2);
      for (const client of result.floor.clients) {
        expect(client.frames).toBeGreaterThan(60);
        expect(client.usage.cpuMsPerS).toBeGreaterThan(0);
      }
      expect(result.vsFloor.p50).toBeGreaterThan(0);
      expect(result.vsFloor.p99).toBeGreaterThan(0);
    }

    const saved = readdirSync(out);
    expect(saved.filter((name) => name.endsWith('-game.json'))).toHaveLength(1);
    expect(saved.filter((name) => name.endsWith('-game.md'))).toHaveLength(1);

    // Beside the tables, the round trip's distribution: per transport its game and its floor,
    // and the machine floor in every panel.
    const plots = saved.filter((name) => name.endsWith('-game-round-trip.svg'));
    expect(plots).toHaveLength(1);
    const lines = marks(readFileSync(join(out, plots[0]!), 'utf8'), 'line mark');
    for (const transport of report.game!.map((r) => r.transport)) {
      const mine = lines.filter((line) => fieldOf(line, 'transport') === transportLabel(transport));
      expect(mine.map((line) => fieldOf(line, 'through')).sort(), transport).toEqual(['bare library (floor)', 'pong']);
    }
    expect(lines.filter((line) => fieldOf(line, 'transport') === 'machine floor')).toHaveLength(4);
    for (const result of report.game!) expect(result.server.acks.roundTripCurve.at(-1)).toEqual({ p: 100, ms: result.server.acks.roundTrip.max });
  });
});

describe('pong bench --no-machine-floor, and the fixed cost of a tick', () => {
  it('measures the transports alone, with no machine row; then the server idle, at 1 and at 20 games beside the setInterval relay', { timeout: 240_000 }, async () => {
    const tickOut = mkdtempSync(join(tmpdir(), 'pong-bench-tick-'));
    try {
      const bench = runPong(['bench', '-t', 'ws', '--duration', '1', '--warmup', '0', '--no-machine-floor', '--out', tickOut]);
      const code = await bench.exited;
      const text = bench.output();
      expect(code, text).toBe(0);
      expect(text).toContain('| ws | ws relay, ws clients |');
      expect(text).not.toContain('tcp (machine)');
      expect(text).not.toContain('bench tcp floor');

      // The table's rows, as printed: idle, 1 and 20 games, each with pong beside the setInterval relay.
      expect(text).toContain('The fixed cost of a tick');
      expect(text).toContain('| games | pong server (ws) CPU ms/s | TCP relay, setInterval CPU ms/s | TCP relay, scheduler CPU ms/s | pong / setInterval |');
      for (const games of ['idle', '1', '20']) expect(text).toMatch(new RegExp(`^\\| ${games} \\| \\d+\\.\\d \\| \\d+\\.\\d \\| `, 'm'));

      const json = readdirSync(tickOut).find((name) => name.endsWith('-game.json'))!;
      const report = JSON.parse(readFileSync(join(tickOut, json), 'utf8')) as BenchReport;
      const tick = report.tickCost!;
      expect(tick.transport).toBe('ws');
      expect(tick.rows.map((row) => row.games)).toEqual([0, 1, 20]);
      for (const window of tick.windows) expect(window.report, `${window.host} ${window.games}: ${window.error}`).not.toBeNull();
      const [idle, one, twenty] = tick.rows as [TickCostRow, TickCostRow, TickCostRow];
      // Idle, pong's server schedules nothing: not one tick. The setInterval relay ticks regardless.
      expect(idle.ticksPerS.pong).toBe(0);
      expect(idle.tickErrorP99.pong).toBeNull();
      expect(idle.ticksPerS['setInterval floor']).toBeGreaterThan(0);
      for (const row of [one, twenty]) {
        for (const host of ['pong', 'setInterval floor', 'scheduler floor'] as const) {
          expect(row.cpuMsPerS[host], `${host} ${row.games}`).toBeGreaterThan(0);
          expect(row.tickErrorP99[host], `${host} ${row.games}`).toBeGreaterThanOrEqual(0);
          expect(row.ticksPerS[host], `${host} ${row.games}`).toBeGreaterThan(0);
        }
        expect(row.pongVsSetInterval).toBeGreaterThan(0);
      }
      // Every game's frames reached the load generator and came back acked.
      const twentyPong = tick.windows.find((w) => w.host === 'pong' && w.games === 20)!.report!;
      expect(twentyPong.acks.clients).toBe(40);
    } finally {
      rmSync(tickOut, { recursive: true, force: true });
    }
  });
});

describe('pong bench --rounds', () => {
  it('goes round by round: the machine floor, then each transport in ABBA order, and reports each round', { timeout: 180_000 }, async () => {
    const bench = runPong(['bench', '-t', 'mqtt,ws', '--rounds', '2', '--duration', '1', '--warmup', '0', '--json', '--no-tick-cost', '--out', out]);
    const code = await bench.exited;
    const text = bench.output();
    expect(code, text).toBe(0);
    // What was measured, in order, from the progress lines.
    const order = [...text.matchAll(/^bench (.+?) \(round (\d) of 2\): measuring/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(order).toEqual(['tcp floor 1', 'mqtt 1', 'mqtt floor 1', 'ws 1', 'ws floor 1', 'tcp floor 2', 'mqtt floor 2', 'mqtt 2', 'ws floor 2', 'ws 2']);
    const report = JSON.parse(text.slice(text.indexOf('{\n'))) as BenchReport;
    expect(report.machineFloors!.map((m) => [m.round, 'error' in m])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(report.game!.map((r) => `${r.transport} ${r.round}`)).toEqual(['mqtt 1', 'ws 1', 'mqtt 2', 'ws 2']);
    for (const result of report.game!) expect(result.server.acks.acked, `${result.transport} ${result.round}`).toBeGreaterThan(0);
  });
});

describe('pong bench --scale --halvings', () => {
  it('refuses a count it cannot use, in one line, before anything runs', async () => {
    const bench = runPong(['bench', '--scale', '--halvings', '11']);
    expect(await bench.exited).toBe(2);
    expect(bench.output().trim().split('\n').at(-1)).toMatch(/invalid --halvings '11': expected 0 to 10/);
  });
});

describe('pong bench --scale --json', () => {
  it('climbs every transport with pong server and bare relay side by side, profiling the measured second', { timeout: 300_000 }, async () => {
    const profiles = join(out, 'profiles');
    // One step and no halvings (test/bench/scale-rounds.test.ts has them): a step that failed
    // on a busy machine would otherwise be followed by one at 1 game.
    const bench = runPong(['bench', '--scale', '--steps', '2', '--halvings', '0', '--duration', '1', '--warmup', '1', '--json', '--out', out, '--profile', profiles]);
    const code = await bench.exited;
    const text = bench.output();
    expect(code, text).toBe(0);
    const report = JSON.parse(text.slice(text.indexOf('{\n'))) as BenchReport;
    expect(report.kind).toBe('scale');
    expect(report.scale!.map((r) => [r.transport, r.round])).toEqual([
      ['mqtt', 1],
      ['ws', 1],
      ['socketio', 1],
      ['webrtc', 1],
    ]);
    for (const result of report.scale!) {
      for (const role of ['server', 'relay'] as const) {
        const what = `${result.transport} ${role}`;
        const [step, ...more] = result[role].steps;
        expect(more, what).toEqual([]);
        expect(step!.games, what).toBe(2);
        // Both hosts were loaded by the same generator: two acking players per game.
        expect(step!.failedClients, what).toBe(0);
        expect(step!.host?.acks.clients, what).toBe(4);
        expect(step!.host?.acks.acked, what).toBeGreaterThan(0);
        expect(step!.load?.frames, what).toBeGreaterThan(0);
        expect(result[role].sustained, what).toBe(step!.sustained ? 2 : 0);
      }
      if (result.relay.sustained > 0) expect(result.ratio).toBe(result.server.sustained / result.relay.sustained);
      // CPU side by side wherever the one step held on both sides.
      if (result.server.sustained > 0 && result.relay.sustained > 0) {
        expect(result.cpu, result.transport).toMatchObject({ games: 2 });
        expect(result.cpu!.server).toBe(result.server.steps[0]!.host!.usage.cpuMsPerS);
        expect(result.cpu!.relay).toBe(result.relay.steps[0]!.host!.usage.cpuMsPerS);
        expect(result.cpu!.ratio).toBeGreaterThan(0);
      } else {
        expect(result.cpu, result.transport).toBeNull();
      }
    }
    expect(readdirSync(out).filter((name) => name.endsWith('-scale.json'))).toHaveLength(1);
    // A climb chart per transport beside the tables: server and relay, p99 and CPU.
    for (const transport of ['mqtt', 'ws', 'socketio', 'webrtc']) {
      const [plot, ...more] = readdirSync(out).filter((name) => name.endsWith(`-scale-${transport}.svg`));
      expect(more, transport).toEqual([]);
      const svg = readFileSync(join(out, plot!), 'utf8');
      expect(texts(svg), transport).toContain(`${transportLabel(transport)}: games on one server, against a bare relay`);
      expect(marks(svg, 'point').length, transport).toBeGreaterThanOrEqual(2);
    }

    // One profile per host and per load generator of every step, each of the measured second
    // alone: a whole-life profile would also span start-up, connects and the 1 s warm-up.
    const written = readdirSync(profiles).sort();
    for (const transport of ['mqtt', 'ws', 'socketio', 'webrtc']) {
      for (const prefix of [`scale-server-${transport}-2-`, `scale-relay-${transport}-2-`, `scale-load-${transport}-for-server-2-`, `scale-load-${transport}-for-relay-2-`]) {
        // Two when the step was not held and so measured again.
        const count = written.filter((name) => name.startsWith(prefix) && name.endsWith('.cpuprofile')).length;
        expect(count, prefix).toBeGreaterThanOrEqual(1);
        expect(count, prefix).toBeLessThanOrEqual(2);
      }
    }
    for (const name of written) {
      const profile = JSON.parse(readFileSync(join(profiles, name), 'utf8')) as { nodes: unknown[]; samples: number[]; startTime: number; endTime: number };
      const spanS = (profile.endTime - profile.startTime) / 1e6;
      expect(spanS, name).toBeGreaterThanOrEqual(0.9);
      expect(spanS, name).toBeLessThan(2);
      expect(profile.nodes.length, name).toBeGreaterThan(1);
      expect(profile.samples.length, name).toBeGreaterThan(0);
    }
  });
});
