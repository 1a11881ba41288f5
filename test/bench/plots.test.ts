/**
 * A bench run's plots come from its report: a game run's distribution has a panel per
 * transport with its game's and its floor's curves and the machine floor's; a scale run has
 * a chart per transport. Drawn from known figures and read back from the SVG.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AckFigures, HostReport } from '../../src/bench/figures.js';
import type { TransportResult } from '../../src/bench/game-bench.js';
import type { BenchReport } from '../../src/bench/report.js';
import { saveResults } from '../../src/bench/results.js';
import type { ScaleResult } from '../../src/bench/scale-bench.js';
import type { TransportName } from '../../src/transports/transport.js';
import { transportLabel } from '../../src/plots/theme.js';
import { fieldOf, marks, texts } from '../plots/svg.js';

const out = mkdtempSync(join(tmpdir(), 'pong-plots-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const TRANSPORTS: TransportName[] = ['mqtt', 'ws', 'socketio', 'webrtc'];
const machine = { cpus: 2, cpuModel: 'Test CPU 9000', memoryGb: 24, node: 'v20.20.2', platform: 'linux', arch: 'x64', loadAverage: 0.1, date: '2026-12-08T14:03:27.123Z' };

function host(scale: number, acked = 1200): HostReport {
  const curve = [0, 50, 90, 99, 99.9].map((p) => ({ p, ms: scale * (0.3 + p / 50) }));
  const spread = { min: curve[0]!.ms, p50: curve[1]!.ms, p95: curve[2]!.ms, p99: curve[3]!.ms, max: curve[4]!.ms };
  const acks: AckFigures = { clients: 2, expected: 1200, acked, framesLost: 1200 - acked, roundTrip: spread, roundTripCurve: curve, oneWay: spread, jitter: 0.1, offsetError: 0, offsetBound: 0.1 };
  return { usage: { cpuMsPerS: 80 * scale, peakRssMb: 90 }, tickError: { ticks: 600, p50: 0, p99: 0.5, max: 1 }, acks };
}

const client = { usage: { cpuMsPerS: 40, peakRssMb: 88 }, frames: 600, bytesInPerFrame: 180, bytesOutPerFrame: 130 };

function game(transport: TransportName, round: number): TransportResult {
  return {
    transport,
    round,
    games: 1,
    server: host(1.2),
    clients: [client, client],
    floor: { label: 'bare', server: host(1, 1199), clients: [client, client] },
    vsFloor: { p50: 1.2, p99: 1.2 },
  };
}

describe('pong bench plots', () => {
  it('a game run: per transport its rounds of game and floor, and the machine floor, beside the tables', async () => {
    const report: BenchReport = {
      kind: 'game',
      machine,
      settings: { transports: TRANSPORTS, games: 1, durationS: 10, warmupS: 20, rounds: 2 },
      machineFloors: [1, 2].map((round) => ({ label: "Node's net, no library", server: host(0.8), clients: [client, client], round })),
      game: [1, 2].flatMap((round) => TRANSPORTS.map((t) => game(t, round))),
    };
    const saved = await saveResults(report, out);
    expect(saved.plots).toEqual([join(out, '2026-12-08T14-03-27-123Z-game-round-trip.svg')]);
    expect(readdirSync(out).filter((name) => name.startsWith('2026-12-08T14-03-27-123Z-game'))).toHaveLength(3);
    const svg = readFileSync(saved.plots[0]!, 'utf8');
    const lines = marks(svg, 'line mark');
    // 4 panels × (2 rounds × game and floor + 2 machine floors).
    expect(lines).toHaveLength(4 * 6);
    for (const name of TRANSPORTS) {
      const mine = lines.filter((line) => fieldOf(line, 'transport') === transportLabel(name));
      expect(mine.map((line) => fieldOf(line, 'curve')).sort()).toEqual(['floor 1', 'floor 2', 'game 1', 'game 2']);
    }
    const words = texts(svg);
    expect(words).toContain('pong bench · mqtt, ws, socketio, webrtc · 1 game · 10 s measured after 20 s of warm-up · 2 rounds of game and floor, in ABBA order');
    expect(words).toContain('2026-12-08 14:03 UTC · 2 × Test CPU 9000 · 24 GB · Node v20.20.2 · linux/x64');
    expect(words).toContain('load average 0.1 at the start');
    expect(words).toContain('1199–1200 round trips a curve · 2 rounds, a curve each');
  });

  it('a scale run: a chart per transport, server and relay', async () => {
    const step = (games: number, sustained: boolean, scale: number) => ({ games, sustained, failedClients: 0, host: host(scale), load: client });
    const scale: ScaleResult[] = ['ws', 'webrtc'].map((transport) => ({
      transport: transport as TransportName,
      round: 1,
      server: { sustained: 50, steps: [step(50, true, 2), step(100, false, 4)] },
      relay: { sustained: 100, steps: [step(50, true, 1), step(100, true, 2)] },
      ratio: 0.5,
      cpu: { games: 50, server: 160, relay: 80, ratio: 2 },
    }));
    const report: BenchReport = { kind: 'scale', machine: { ...machine, date: '2026-12-08T15:00:00.000Z' }, settings: { transports: ['ws', 'webrtc'], games: 1, durationS: 5, warmupS: 2, rounds: 1 }, scale };
    const saved = await saveResults(report, out);
    expect(saved.plots.map((file) => file.slice(out.length + 1))).toEqual(['2026-12-08T15-00-00-000Z-scale-ws.svg', '2026-12-08T15-00-00-000Z-scale-webrtc.svg']);
    const svg = readFileSync(saved.plots[1]!, 'utf8');
    expect(texts(svg)).toContain('WebRTC: games on one server, against a bare relay');
    expect(texts(svg)).toContain('bare relay (node-datachannel)');
    expect(marks(svg, 'point').filter((p) => fieldOf(p, 'step') === 'not held')).toHaveLength(2);
  });

  it('a render run has no plot', async () => {
    const report: BenchReport = { kind: 'render', machine: { ...machine, date: '2026-12-08T16:00:00.000Z' }, settings: { transports: ['ws'], games: 1, durationS: 5 } };
    expect((await saveResults(report, out)).plots).toEqual([]);
  });
});
