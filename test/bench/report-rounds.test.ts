/**
 * `pong bench --rounds N`: game and floor measured N times per transport. The tables must name
 * each round's row, and the summary must give the median ratio and its range, since that is
 * the figure to quote on a machine whose single runs move by ±0.3.
 */
import { describe, expect, it } from 'vitest';
import type { AckFigures, ClientReport, HostReport, Spread } from '../../src/bench/figures.js';
import type { TransportResult } from '../../src/bench/game-bench.js';
import { gameTables, roundsTable } from '../../src/bench/report.js';
import type { TransportName } from '../../src/transports/transport.js';

const spread = (p50: number, p99: number): Spread => ({ min: p50 / 2, p50, p95: (p50 + p99) / 2, p99, max: p99 * 2 });

function host(p50: number, p99: number): HostReport {
  const acks: AckFigures = {
    clients: 2,
    expected: 1200,
    acked: 1200,
    framesLost: 0,
    roundTrip: spread(p50, p99),
    roundTripCurve: [],
    oneWay: spread(p50 / 2, p99 / 2),
    jitter: 0.1,
    offsetError: 0.02,
    offsetBound: 0.1,
  };
  return { usage: { cpuMsPerS: 80, peakRssMb: 90 }, tickError: { ticks: 600, p50: 0, p99: 0.5, max: 1 }, acks };
}

const client: ClientReport = { usage: { cpuMsPerS: 40, peakRssMb: 88 }, frames: 600, bytesInPerFrame: 180, bytesOutPerFrame: 130 };

function result(transport: TransportName, round: number, game: [number, number], floor: [number, number]): TransportResult {
  return {
    transport,
    round,
    games: 1,
    server: host(...game),
    clients: [client, client],
    floor: { label: 'bare', server: host(...floor), clients: [client, client] },
    vsFloor: { p50: Math.round((game[0] / floor[0]) * 100) / 100, p99: Math.round((game[1] / floor[1]) * 100) / 100 },
  };
}

describe('bench rounds', () => {
  it('summarises each transport measured in several rounds by its median ratio and range', () => {
    const results = [
      result('ws', 1, [0.6, 2.4], [0.5, 1.2]), // 1.20x / 2.00x
      result('ws', 2, [0.7, 3.0], [0.5, 1.0]), // 1.40x / 3.00x
      result('ws', 3, [0.5, 2.0], [0.5, 1.6]), // 1.00x / 1.25x
      result('mqtt', 1, [0.9, 3.0], [0.6, 2.0]),
    ];
    const table = roundsTable(results)!;
    const rows = table.split('\n');
    // Only ws had several rounds; mqtt's one ratio is in the main table already.
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe('| ws | 3 | 1.20x (1.00x – 1.40x) | 2.00x (1.25x – 3.00x) | 2.400 (2.000 – 3.000) |');
  });

  it('gives no summary when every transport ran once, and names rows by round when one ran more', () => {
    expect(roundsTable([result('ws', 1, [0.6, 2], [0.5, 1]), result('mqtt', 1, [0.9, 3], [0.6, 2])])).toBeNull();
    const text = gameTables([result('ws', 1, [0.6, 2.4], [0.5, 1.2]), result('ws', 2, [0.8, 2.0], [0.5, 1.0]), result('mqtt', 1, [0.9, 3], [0.6, 2])]);
    expect(text).toContain('| ws 1/2 | 0.600 / 1.500 / 2.400 / 4.800 | 0.500 / 1.200 | 1.20x / 2.00x |');
    expect(text).toContain('| ws 2/2 | 0.800 / 1.400 / 2.000 / 4.000 | 0.500 / 1.000 | 1.60x / 2.00x |');
    expect(text).toContain('| mqtt | 0.900 /');
    expect(text).toContain('| ws | 2 | 1.40x (1.20x – 1.60x) | 2.00x (2.00x – 2.00x) |');
    // No machine floor measured: the floors table has the transports' rows alone.
    expect(text).not.toContain('tcp (machine)');
  });

  it('puts the machine floor first in the floors table, or why it could not be measured', () => {
    const machine = { label: "Node's net, no library", server: host(0.4, 1.8), clients: [client, client], round: 1 };
    const text = gameTables([result('ws', 1, [0.6, 2.4], [0.5, 1.2])], [machine]);
    const floorRows = text.split('\n\n')[2]!.split('\n');
    expect(floorRows[2]).toBe("| tcp (machine) | Node's net, no library | 0.400 / 1.100 / 1.800 / 3.600 | 0.200 / 0.900 | 0 of 1200 | 80.0 | 40.0 | 0.500 |");
    expect(floorRows[3]).toMatch(/^\| ws \| bare \| 0\.500 \//);
    const failed = gameTables([result('ws', 1, [0.6, 2.4], [0.5, 1.2])], [{ error: 'tcp floor relay exited', round: 1 }]);
    expect(failed).toContain('| tcp (machine) | (tcp floor relay exited) | - |');
  });

  it('measured round by round, shows each transport\'s rounds together, the machine floor\'s first, with its p99 over the rounds', () => {
    const machine = (round: number, p99: number) => ({ label: "Node's net, no library", server: host(0.4, p99), clients: [client, client], round });
    // In the order runGameBench measures them: every transport's round 1, then every round 2.
    const measured = [result('mqtt', 1, [0.9, 3], [0.6, 2]), result('ws', 1, [0.6, 2.4], [0.5, 1.2]), result('mqtt', 2, [0.8, 3], [0.6, 2]), result('ws', 2, [0.7, 2.0], [0.5, 1.0])];
    const [latency, , floors, rounds] = gameTables(measured, [machine(1, 1.5), machine(2, 2.5)]).split('\n\n');
    expect(latency!.split('\n').slice(2).map((row) => row.split(' | ')[0])).toEqual(['| mqtt 1/2', '| mqtt 2/2', '| ws 1/2', '| ws 2/2']);
    expect(floors!.split('\n').slice(2).map((row) => row.split(' | ')[0])).toEqual(['| tcp (machine) 1/2', '| tcp (machine) 2/2', '| mqtt 1/2', '| mqtt 2/2', '| ws 1/2', '| ws 2/2']);
    expect(rounds!.split('\n').at(-1)).toBe('| tcp (machine) | 2 | - | - | 2.000 (1.500 – 2.500) |');
  });
});
