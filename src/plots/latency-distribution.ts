/**
 * The distribution of per-frame round trips as percentile curves, one panel per transport:
 * the game's curve, its bare library's (the floor) and the machine's (the same frames over
 * Node's bare TCP), drawn on the same axes. The percentile axis is logarithmic in "one frame
 * in N" (50 % is 1 in 2, 99 % 1 in 100, 99.9 % 1 in 1000), so the tail, where transports
 * differ, gets as much room as the median; the latency axis is logarithmic too, so 0.5 ms and
 * 50 ms both read.
 */
import type { TopLevelSpec } from 'vega-lite';
import { captionLines, type Caption } from './caption.js';
import { DASHES, NEUTRAL_COLOUR, PLOT_CONFIG, SIZES, transportColours, transportLabel } from './theme.js';

/** The round trip (ms) at or below which `p` percent of the frames lie. */
export interface PercentilePoint {
  p: number;
  ms: number;
}

export type CurveKind = 'game' | 'floor' | 'machine';

export interface DistributionCurve {
  /** The transport whose panel it is drawn in (the machine's curve is drawn in every panel). */
  transport: string;
  kind: CurveKind;
  /** Which round of the run, from 1: a transport measured in several rounds has a curve each. */
  round: number;
  /** Round trips the curve is made of. */
  frames: number;
  points: readonly PercentilePoint[];
}

export interface DistributionChart {
  caption: Caption;
  /** Panels in this order, one per transport. */
  transports: readonly string[];
  /** The machine floor's curves (kind 'machine'; their transport is ignored). */
  machine: readonly DistributionCurve[];
  curves: readonly DistributionCurve[];
}

export const KIND_LABELS: Readonly<Record<CurveKind, string>> = {
  game: 'pong',
  floor: 'bare library (floor)',
  machine: 'bare TCP, no library',
};

const MACHINE_SERIES = 'machine floor';

/** Axis ticks: 1 in N frames, labelled as the percentile they stand for. */
const ONE_IN_TICKS = [2, 10, 100, 1000, 10_000, 100_000];

/**
 * Ticks for a log scale of latencies, 1, 2 and 5 in every decade, from the last at or below
 * `low` to the first at or above `high`: the first and last make the axis's domain.
 */
export function logTicks(low: number, high: number): number[] {
  const all: number[] = [];
  for (let decade = Math.floor(Math.log10(low)) - 1; decade <= Math.ceil(Math.log10(high)); decade++) {
    for (const step of [1, 2, 5]) all.push(Number((step * 10 ** decade).toPrecision(1)));
  }
  const first = all.findLastIndex((tick) => tick <= low);
  const last = all.findIndex((tick) => tick >= high);
  return all.slice(Math.max(0, first), last === -1 ? all.length : last + 1);
}

/** 1 in N: the frame rank a percentile stands for (p = 100 is drawn at the curve's last frame). */
function oneIn(p: number, frames: number): number {
  return p >= 100 ? Math.max(1, frames) : Math.min(Math.max(1, frames), 100 / (100 - p));
}

interface Row {
  panel: string;
  series: string;
  kind: string;
  curve: string;
  oneIn: number;
  ms: number;
}

function rows(panel: string, curve: DistributionCurve, series: string, id: string): Row[] {
  return curve.points
    .filter((point) => point.ms > 0 && Number.isFinite(point.ms))
    .map((point) => ({
      panel,
      series,
      kind: KIND_LABELS[curve.kind],
      curve: id,
      oneIn: oneIn(point.p, curve.frames),
      ms: point.ms,
    }));
}

export function latencyDistributionSpec(chart: DistributionChart): TopLevelSpec {
  const panels = chart.transports.map(transportLabel);
  const values: Row[] = [];
  chart.transports.forEach((transport, i) => {
    const panel = panels[i]!;
    for (const curve of chart.curves.filter((c) => c.transport === transport)) {
      values.push(...rows(panel, curve, panel, `${curve.kind} ${curve.round}`));
    }
    for (const curve of chart.machine) values.push(...rows(panel, curve, MACHINE_SERIES, `machine ${curve.round}`));
  });
  const all = [...chart.curves, ...chart.machine];
  const frames = all.map((c) => c.frames);
  const maxFrames = Math.max(2, ...frames);
  const rounds = Math.max(1, ...all.map((c) => c.round));
  const kinds = (['game', 'floor', 'machine'] as const).filter((kind) => all.some((c) => c.kind === kind)).map((kind) => KIND_LABELS[kind]);
  const dashes = kinds.map((label) => (label === KIND_LABELS.game ? DASHES.solid : label === KIND_LABELS.floor ? DASHES.dashed : DASHES.dotted));
  const seriesDomain = [...panels, ...(chart.machine.length > 0 ? [MACHINE_SERIES] : [])];
  const seriesRange = [...transportColours(chart.transports), ...(chart.machine.length > 0 ? [NEUTRAL_COLOUR] : [])];
  const framesText = frames.length === 0 ? 'no frames' : Math.min(...frames) === Math.max(...frames) ? `${frames[0]} round trips a curve` : `${Math.min(...frames)}–${Math.max(...frames)} round trips a curve`;
  const ms = values.map((v) => v.ms);
  const yTicks = ms.length === 0 ? [1] : logTicks(Math.min(...ms), Math.max(...ms));
  const columns = panels.length > 1 ? 2 : 1;
  const panelWidth = columns === 2 ? 400 : SIZES.width - 150;
  return {
    config: PLOT_CONFIG,
    title: {
      text: 'Round trip of every frame: each transport against its bare library and the machine',
      subtitle: [...captionLines(chart.caption), `${framesText}${rounds > 1 ? ` · ${rounds} rounds, a curve each` : ''}`],
    },
    data: { values },
    facet: { field: 'panel', type: 'nominal', sort: panels, title: null },
    columns,
    spec: {
      width: panelWidth,
      height: 280,
      mark: { type: 'line', strokeWidth: rounds > 1 ? 1.75 : SIZES.stroke },
      encoding: {
        x: {
          field: 'oneIn',
          type: 'quantitative',
          title: 'percentile of frames (log scale)',
          scale: { type: 'log', domain: [1, maxFrames], nice: false },
          axis: { values: ONE_IN_TICKS.filter((t) => t <= maxFrames), labelExpr: "format(100 - 100 / datum.value, '.4~') + '%'", grid: true },
        },
        y: { field: 'ms', type: 'quantitative', title: 'round trip (ms, log scale)', scale: { type: 'log', domain: [yTicks[0]!, yTicks.at(-1)!] }, axis: { values: yTicks, format: '~g' } },
        color: { field: 'series', type: 'nominal', title: 'transport', scale: { domain: seriesDomain, range: seriesRange } },
        strokeDash: { field: 'kind', type: 'nominal', title: 'through', scale: { domain: kinds, range: dashes }, legend: { symbolStrokeColor: NEUTRAL_COLOUR } },
        detail: { field: 'curve' },
        order: { field: 'oneIn', type: 'quantitative' },
      },
    },
    resolve: { scale: { y: 'shared', x: 'shared' } },
  };
}
