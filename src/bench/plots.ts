/**
 * A bench run's pictures, saved beside its tables: for a game run, the round trip's
 * distribution per transport against its floor and the machine floor; for a scale run, one
 * climb chart per transport (p99 and CPU against games, server and bare relay). A render run
 * has no picture: its one row of figures says it all.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Caption } from '../plots/caption.js';
import { latencyDistributionSpec, type CurveKind, type DistributionCurve } from '../plots/latency-distribution.js';
import { writeSvg } from '../plots/render.js';
import { scaleClimbSpec, type ClimbSeries } from '../plots/scale-climb.js';
import type { FloorResult, MachineFloorResult, Measured } from './game-bench.js';
import { pausesLine, settingsLine, type BenchReport } from './report.js';
import { SCALE_P99_LIMIT_MS, type ScaleResult, type ScaleSeries } from './scale-bench.js';

export interface BenchPlot {
  /** What the file name ends in, after the run's own: `round-trip`, or the transport's name. */
  suffix: string;
  spec: TopLevelSpec;
}

function caption(report: BenchReport): Caption {
  const m = report.machine;
  return {
    run: `pong bench${report.kind === 'scale' ? ' --scale' : ''} · ${settingsLine(report)}`,
    machine: m,
    date: new Date(m.date),
    note: `load average ${m.loadAverage} at the start${m.pauses ? ` · ${pausesLine(m.pauses)}` : ''}`,
  };
}

function curve(transport: string, kind: CurveKind, round: number, measured: Measured | FloorResult | { error: string }): DistributionCurve[] {
  if ('error' in measured) return [];
  const acks = measured.server.acks;
  // Results saved before the curve was kept have none: they are drawn without that line.
  const points = acks.roundTripCurve ?? [];
  return points.length === 0 ? [] : [{ transport, kind, round, frames: acks.acked, points }];
}

function distribution(report: BenchReport): BenchPlot[] {
  const results = report.game ?? [];
  const transports = [...new Set(results.map((r) => r.transport))];
  const curves = results.flatMap((r) => [...curve(r.transport, 'game', r.round, r), ...curve(r.transport, 'floor', r.round, r.floor)]);
  const machine = (report.machineFloors ?? []).flatMap((m: MachineFloorResult) => curve('tcp', 'machine', m.round, m));
  if (curves.length === 0) return [];
  return [{ suffix: 'round-trip', spec: latencyDistributionSpec({ caption: caption(report), transports, curves, machine }) }];
}

/** What each transport's bare relay is, in the scale bench (src/bench/relays/). */
function relayLabel(transport: string, brokerUrl: string | undefined): string {
  switch (transport) {
    case 'mqtt':
      return brokerUrl !== undefined ? 'the external broker' : 'Aedes';
    case 'socketio':
      return 'Socket.io rooms';
    case 'webrtc':
      return 'node-datachannel';
    default:
      return transport;
  }
}

function climb(role: 'server' | 'relay', round: number, series: ScaleSeries): ClimbSeries {
  return {
    role,
    round,
    steps: series.steps.map((step) => ({
      games: step.games,
      held: step.sustained,
      p99: step.host?.acks.roundTrip.p99 ?? null,
      cpu: step.host?.usage.cpuMsPerS ?? null,
    })),
  };
}

function climbs(report: BenchReport): BenchPlot[] {
  const results: readonly ScaleResult[] = report.scale ?? [];
  const transports = [...new Set(results.map((r) => r.transport))];
  return transports.map((transport) => {
    const mine = results.filter((r) => r.transport === transport);
    const series = mine.flatMap((r) => [climb('server', r.round, r.server), climb('relay', r.round, r.relay)]);
    return {
      suffix: transport,
      spec: scaleClimbSpec({ caption: caption(report), transport, relayLabel: relayLabel(transport, report.settings.brokerUrl), limitMs: SCALE_P99_LIMIT_MS, series }),
    };
  });
}

export function benchPlots(report: BenchReport): BenchPlot[] {
  switch (report.kind) {
    case 'game':
      return distribution(report);
    case 'scale':
      return climbs(report);
    case 'render':
    case 'rooms':
      return [];
  }
}

/** Writes the run's plots as `<base>-<suffix>.svg`; resolves with the files written. */
export async function saveBenchPlots(report: BenchReport, base: string): Promise<string[]> {
  const files: string[] = [];
  for (const plot of benchPlots(report)) {
    const file = `${base}-${plot.suffix}.svg`;
    await writeSvg(file, plot.spec);
    files.push(file);
  }
  return files;
}
