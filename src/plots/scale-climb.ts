/**
 * One transport's scale climb: as games are added, the round trip's p99 (top) and the host's
 * CPU (bottom), for pong's server and for the transport's bare relay, climbed side by side.
 * The p99 panel draws the limit a step must stay under, and every step is marked held or not,
 * so where each side broke, and what the same games cost each, read off one picture.
 */
import type { TopLevelSpec } from 'vega-lite';
import { captionLines, type Caption } from './caption.js';
import { logTicks } from './latency-distribution.js';
import { DASHES, NEUTRAL_COLOUR, PLOT_CONFIG, SIZES, transportColours, transportLabel } from './theme.js';

export interface ClimbStep {
  games: number;
  /** The step held: p99 under the limit, no frame lost, every client connected. */
  held: boolean;
  /** Round trip p99 (ms); null when the step gave no figure (no acks, a failed start). */
  p99: number | null;
  /** The host's CPU, ms per second (1000 is one core); null when not measured. */
  cpu: number | null;
}

export type ClimbRole = 'server' | 'relay';

export interface ClimbSeries {
  role: ClimbRole;
  /** Which climb of the run, from 1. */
  round: number;
  steps: readonly ClimbStep[];
}

export interface ScaleClimbChart {
  caption: Caption;
  transport: string;
  /** What the bare relay is, e.g. 'ws relay'. */
  relayLabel: string;
  /** The p99 a step must stay under (ms). */
  limitMs: number;
  series: readonly ClimbSeries[];
}

const HELD = 'held';
const NOT_HELD = 'not held';

interface Row {
  role: string;
  climb: string;
  games: number;
  p99: number | null;
  cpu: number | null;
  step: string;
}

export function scaleClimbSpec(chart: ScaleClimbChart): TopLevelSpec {
  const roles: Record<ClimbRole, string> = { server: 'pong server', relay: `bare relay (${chart.relayLabel})` };
  const values: Row[] = chart.series.flatMap((series) =>
    series.steps.map((step) => ({
      role: roles[series.role],
      climb: `${series.role} ${series.round}`,
      games: step.games,
      p99: step.p99 !== null && step.p99 > 0 ? step.p99 : null,
      cpu: step.cpu,
      step: step.held ? HELD : NOT_HELD,
    })),
  );
  const rounds = Math.max(1, ...chart.series.map((s) => s.round));
  const p99s = values.flatMap((v) => (v.p99 === null ? [] : [v.p99]));
  const yTicks = logTicks(Math.min(...p99s, chart.limitMs / 4), Math.max(...p99s, chart.limitMs * 1.25));
  const label = transportLabel(chart.transport);
  const roleDomain = [roles.server, roles.relay];
  const colour = {
    field: 'role',
    type: 'nominal' as const,
    title: label,
    scale: { domain: roleDomain, range: [transportColours([chart.transport])[0]!, NEUTRAL_COLOUR] },
    legend: { symbolType: 'stroke' },
  };
  const dash = { field: 'role', type: 'nominal' as const, title: label, scale: { domain: roleDomain, range: [DASHES.solid, DASHES.dashed] } };
  const shape = { field: 'step', type: 'nominal' as const, title: 'step', scale: { domain: [HELD, NOT_HELD], range: ['circle', 'cross'] } };
  // The steps climbed are the ticks: games come in the steps asked for, nothing between.
  const games = [...new Set(values.map((v) => v.games))].sort((a, b) => a - b);
  const x = {
    field: 'games',
    type: 'quantitative' as const,
    title: 'concurrent games (2 players each)',
    scale: { domain: [games[0] ?? 0, games.at(-1) ?? 1], nice: false, padding: 24 },
    axis: { values: games, format: 'd' },
  };
  const p99 = {
    field: 'p99',
    type: 'quantitative' as const,
    title: 'round trip p99 (ms, log scale)',
    scale: { type: 'log' as const, domain: [yTicks[0]!, yTicks.at(-1)!] },
    axis: { values: yTicks, format: '~g' },
  };
  const cpu = { field: 'cpu', type: 'quantitative' as const, title: 'host CPU (ms per s; 1000 = a core)', scale: { zero: true }, axis: { format: 'd' } };
  const line = { type: 'line' as const, strokeWidth: rounds > 1 ? 1.75 : SIZES.stroke };
  const point = { type: 'point' as const, filled: true, size: 90, opacity: 1 };
  const detail = { field: 'climb' };
  return {
    config: PLOT_CONFIG,
    title: {
      text: `${label}: games on one server, against a bare relay`,
      subtitle: [...captionLines(chart.caption), `a step holds when its p99 stays under ${chart.limitMs} ms with no frame lost${rounds > 1 ? ` · ${rounds} climbs, a line each` : ''}`],
    },
    data: { values },
    vconcat: [
      {
        width: SIZES.width - 260,
        height: 260,
        layer: [
          { mark: line, encoding: { x, y: p99, color: colour, strokeDash: dash, detail } },
          { mark: point, encoding: { x, y: p99, color: colour, shape, detail } },
          {
            data: { values: [{ limit: chart.limitMs, text: `limit: ${chart.limitMs} ms, one frame` }] },
            layer: [
              { mark: { type: 'rule', color: '#555555', strokeDash: DASHES.dotted, strokeWidth: 1.5 }, encoding: { y: { field: 'limit', type: 'quantitative' } } },
              {
                mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -4, fontSize: SIZES.label, color: '#333333' },
                encoding: { y: { field: 'limit', type: 'quantitative' }, x: { value: 0 }, text: { field: 'text' } },
              },
            ],
          },
        ],
      },
      {
        width: SIZES.width - 260,
        height: 200,
        layer: [
          { mark: line, encoding: { x, y: cpu, color: colour, strokeDash: dash, detail } },
          { mark: point, encoding: { x, y: cpu, color: colour, shape, detail } },
        ],
      },
    ],
    resolve: { scale: { x: 'shared' } },
  };
}
