/**
 * `pong bench --scale`: server and relay climb the same steps side by side, taking turns to go
 * first (ABBA), each stopping at its first step not held; with --rounds the climb is repeated
 * and the tables give each round and the median. A server/relay ratio is only worth quoting if
 * neither side ran in the other's better minutes.
 */
import { describe, expect, it } from 'vitest';
import { scaleRoundsTable, scaleTable } from '../../src/bench/report.js';
import { climb, type ScaleResult, type ScaleRole, type ScaleStep } from '../../src/bench/scale-bench.js';

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
  };
}

describe('scale rounds in the report', () => {
  it('names each round and summarises a transport climbed several times by its medians and range', () => {
    const results = [result('ws', 1, 200, 300), result('ws', 2, 250, 300), result('ws', 3, 150, 250), result('mqtt', 1, 150, 150)];
    const rows = scaleTable(results).split('\n');
    expect(rows.slice(2, 6).map((r) => r.split(' | ')[0])).toEqual(['| ws 1/3', '| ws 2/3', '| ws 3/3', '| mqtt']);
    const summary = scaleRoundsTable(results)!.split('\n');
    expect(summary).toHaveLength(3);
    expect(summary[2]).toBe('| ws | 3 | 200 (150 – 250) | 300 (250 – 300) | 0.67x (0.60x – 0.83x) |');
  });

  it('has no summary when every transport was climbed once', () => {
    expect(scaleRoundsTable([result('ws', 1, 200, 300)])).toBeNull();
    expect(scaleTable([result('ws', 1, 200, 300)])).not.toContain('median');
  });
});
