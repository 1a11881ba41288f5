/**
 * `pong bench --scale`: server and relay climb the same steps side by side, taking turns to go
 * first (ABBA), each stopping at its first step not held; with --rounds the climb is repeated
 * and the tables give each round and the median. A server/relay ratio is only worth quoting if
 * neither side ran in the other's better minutes.
 */
import { describe, expect, it } from 'vitest';
import { scaleRoundsTable, scaleTable } from '../../src/bench/report.js';
import type { HostReport } from '../../src/bench/figures.js';
import { climb, cpuAtCommonStep, stoppedAt, type ScaleResult, type ScaleRole, type ScaleSeries, type ScaleStep } from '../../src/bench/scale-bench.js';

/** A fake measurement: each role holds up to its limit; the calls are recorded in order. */
function holdsUpTo(limits: Record<ScaleRole, number>) {
  const calls: string[] = [];
  const measure = async (role: ScaleRole, games: number): Promise<ScaleStep> => {
    calls.push(`${role} ${games}`);
    const sustained = games <= limits[role];
    return { games, sustained, ...(sustained ? {} : { reason: `p99 20 ms > 16 ms` }), failedClients: 0, host: null, load: null };
  };
  return { calls, measure };
}

describe('scale climb', () => {
  it('measures each step for both before the next, alternating who goes first', async () => {
    const { calls, measure } = holdsUpTo({ server: 1000, relay: 1000 });
    const series = await climb([100, 200, 300, 400], 1, measure);
    expect(calls).toEqual(['server 100', 'relay 100', 'relay 200', 'server 200', 'server 300', 'relay 300', 'relay 400', 'server 400']);
    expect([series.server.sustained, series.relay.sustained]).toEqual([400, 400]);
  });

  it('starts with the other on the next round', async () => {
    const { calls, measure } = holdsUpTo({ server: 1000, relay: 1000 });
    await climb([100, 200], 2, measure);
    expect(calls).toEqual(['relay 100', 'server 100', 'server 200', 'relay 200']);
  });

  it('stops each side at its first step not held, and the other climbs on alone', async () => {
    const { calls, measure } = holdsUpTo({ server: 150, relay: 300 });
    const series = await climb([100, 200, 300, 400, 500], 1, measure);
    expect(calls).toEqual(['server 100', 'relay 100', 'relay 200', 'server 200', 'relay 300', 'relay 400']);
    expect(series.server).toMatchObject({ sustained: 100, steps: [{ games: 100, sustained: true }, { games: 200, sustained: false }] });
    expect(series.relay.sustained).toBe(300);
    expect(series.relay.steps.at(-1)).toMatchObject({ games: 400, sustained: false, reason: 'p99 20 ms > 16 ms' });
  });

  it('then halves each side\'s gap between what it held and where it stopped, taking turns, so 100 and 199 games differ', async () => {
    const { calls, measure } = holdsUpTo({ server: 160, relay: 230 });
    const series = await climb([100, 200, 300], 1, measure, 3);
    expect(calls).toEqual([
      ...['server 100', 'relay 100', 'relay 200', 'server 200', 'relay 300'],
      // the halvings take turns too: the server first on round 1's first
      ...['server 150', 'relay 250', 'relay 225', 'server 175', 'server 163', 'relay 238'],
    ]);
    expect([series.server.sustained, series.relay.sustained]).toEqual([150, 225]);
    expect(series.server.steps.map((step) => step.games)).toEqual([100, 150, 163, 175, 200]);
    expect(stoppedAt(series.server)?.games).toBe(163);
    expect(stoppedAt(series.relay)?.games).toBe(238);
  });

  it('leaves a side that held every step as it is', async () => {
    const { calls, measure } = holdsUpTo({ server: 150, relay: 1000 });
    const series = await climb([100, 200], 2, measure, 2);
    expect(calls).toEqual(['relay 100', 'server 100', 'server 200', 'relay 200', 'server 150', 'server 175']);
    expect(series.relay.sustained).toBe(200);
    expect(stoppedAt(series.relay)).toBeUndefined();
    expect(series.server.sustained).toBe(150);
  });

  it('gives 0 for a side that does not hold even the first step', async () => {
    const { calls, measure } = holdsUpTo({ server: 50, relay: 50 });
    const series = await climb([100, 200], 1, measure);
    expect(calls).toEqual(['server 100', 'relay 100']);
    expect([series.server.sustained, series.relay.sustained]).toEqual([0, 0]);
  });
});

function result(transport: ScaleResult['transport'], round: number, server: number, relay: number): ScaleResult {
  const step = (games: number): ScaleStep => ({ games, sustained: true, failedClients: 0, host: null, load: null });
  return {
    transport,
    round,
    server: { sustained: server, steps: [step(server)] },
    relay: { sustained: relay, steps: [step(relay)] },
    ratio: relay > 0 ? Math.round((server / relay) * 100) / 100 : null,
    cpu: null,
  };
}

/** A step that held or not, its host having used `cpuMsPerS`; only the CPU is read. */
function measured(games: number, sustained: boolean, cpuMsPerS: number): ScaleStep {
  const host = { usage: { cpuMsPerS, peakRssMb: 100 } } as unknown as HostReport;
  return { games, sustained, failedClients: 0, host, load: null };
}

function series(...steps: ScaleStep[]): ScaleSeries {
  return { sustained: Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.games)), steps };
}

describe('scale rounds in the report', () => {
  it('names each round and summarises a transport climbed several times by its medians and range', () => {
    const results = [result('ws', 1, 200, 300), result('ws', 2, 250, 300), result('ws', 3, 150, 250), result('mqtt', 1, 150, 150)];
    const rows = scaleTable(results).split('\n');
    expect(rows.slice(2, 6).map((r) => r.split(' | ')[0])).toEqual(['| ws 1/3', '| ws 2/3', '| ws 3/3', '| mqtt']);
    const summary = scaleRoundsTable(results)!.split('\n');
    expect(summary).toHaveLength(3);
    expect(summary[2]).toBe('| ws | 3 | 200 (150 – 250) | 300 (250 – 300) | 0.67x (0.60x – 0.83x) | - |');
  });

  it('compares server and relay CPU at the largest step both held, and gives its median over rounds', () => {
    const server = series(measured(100, true, 600), measured(150, true, 750), measured(200, false, 990));
    const relay = series(measured(100, true, 480), measured(150, true, 500), measured(200, true, 640), measured(250, false, 900));
    const cpu = cpuAtCommonStep(server, relay);
    expect(cpu).toEqual({ games: 150, server: 750, relay: 500, ratio: 1.5 });
    const rounds: ScaleResult[] = [
      { ...result('ws', 1, 150, 200), cpu },
      { ...result('ws', 2, 100, 150), cpu: { games: 100, server: 650, relay: 500, ratio: 1.3 } },
      { ...result('ws', 3, 0, 100), cpu: null },
    ];
    const rows = scaleTable(rounds).split('\n');
    expect(rows[2]).toContain('| 750 / 500 ms/s at 150: 1.50x |');
    expect(rows[4]!.endsWith('| - |')).toBe(true);
    expect(scaleRoundsTable(rounds)!.split('\n')[2]).toBe('| ws | 3 | 100 (0 – 150) | 150 (100 – 200) | 0.67x (0.00x – 0.75x) | 1.40x (1.30x – 1.50x) |');
  });

  it('has no CPU comparison when no step held on both sides', () => {
    expect(cpuAtCommonStep(series(measured(100, false, 900)), series(measured(100, true, 500)))).toBeNull();
    expect(cpuAtCommonStep(series(), series())).toBeNull();
  });

  it('has no summary when every transport was climbed once', () => {
    expect(scaleRoundsTable([result('ws', 1, 200, 300)])).toBeNull();
    expect(scaleTable([result('ws', 1, 200, 300)])).not.toContain('median');
  });
});
