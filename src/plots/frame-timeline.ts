/**
 * Every frame's one-way latency over time, one row per transport, the same frames in every
 * row, and each frame a transport never received marked where it would have been. Under
 * loss this is the picture of each protocol's answer: a TCP transport's line climbs to a
 * retransmit's 200 ms and falls back as the frames held behind it arrive at once (head-of-line
 * blocking), while WebRTC's unreliable channel loses the frame and carries on.
 */
import type { TopLevelSpec } from 'vega-lite';
import { captionLines, type Caption } from './caption.js';
import { PLOT_CONFIG, SIZES } from './theme.js';
import { LOST_COLOUR, TIMELINE_TEXT, timelineSeries, type TimelineFrames, type TimelineLane } from './timeline-series.js';

export type { TimelineLane } from './timeline-series.js';

export interface FrameTimelineChart extends TimelineFrames {
  caption: Caption;
  /** What a lost frame is here, for the caption. Default: a frame that transport never received. */
  lostMeaning?: string;
}

/** Past this many frames a lane (a minute at 60 Hz), each point is the slowest of a run of frames. */
export const MOST_POINTS_DRAWN = 3600;

const LOST = TIMELINE_TEXT.lost;

interface Point {
  lane: string;
  /** The row's header: the lane and what it lost. */
  row: string;
  /** 'frame': a point of the line; 'lost': a frame this lane never received. */
  kind: 'frame' | 'lost';
  t: number;
  ms: number | null;
}

/** A run of `every` frames as one point: its slowest frame, null if the lane lost one of them. */
function bucketed(chart: FrameTimelineChart, lane: TimelineLane, label: string, row: string, every: number): { points: Point[]; lost: Point[] } {
  const points: Point[] = [];
  const lost: Point[] = [];
  for (let start = 0; start < chart.times.length; start += every) {
    let slowest: number | null = null;
    let lostAt: number | null = null;
    for (let i = start; i < Math.min(chart.times.length, start + every); i++) {
      const value = lane.oneWay[i] ?? null;
      if (value === null) lostAt ??= chart.times[i]!;
      else slowest = Math.max(slowest ?? 0, value);
    }
    const t = chart.times[start]!;
    if (lostAt !== null) lost.push({ lane: label, row, kind: 'lost', t: lostAt, ms: null });
    // A lost frame breaks the line: no line is drawn across a frame this lane never had.
    const ms = every === 1 && lostAt !== null ? null : slowest;
    points.push({ lane: label, row, kind: 'frame', t, ms: ms === null ? null : Math.max(0, ms) });
  }
  return { points, lost };
}

export function frameTimelineSpec(chart: FrameTimelineChart): TopLevelSpec {
  const frames = chart.times.length;
  const every = Math.max(1, Math.ceil(frames / MOST_POINTS_DRAWN));
  const series = timelineSeries(chart);
  const labels = series.map((s) => s.label);
  const rows = series.map((s) => s.header);
  const points: Point[] = [];
  const lost: Point[] = [];
  chart.lanes.forEach((lane, i) => {
    const drawn = bucketed(chart, lane, labels[i]!, rows[i]!, every);
    points.push(...drawn.points);
    lost.push(...drawn.lost);
  });
  const seqTo = chart.seqFrom + frames - 1;
  const colourScale = { domain: [...labels, LOST], range: [...series.map((s) => s.colour), LOST_COLOUR] };
  const legend = { symbolType: 'stroke', symbolStrokeWidth: 3 };
  const x = {
    field: 't',
    type: 'quantitative' as const,
    title: TIMELINE_TEXT.x,
    scale: { domain: [0, Math.max(chart.times.at(-1) ?? 0, 1e-3)], nice: false },
  };
  const rowHeight = chart.lanes.length > 2 ? 120 : 180;
  return {
    config: PLOT_CONFIG,
    title: {
      text: TIMELINE_TEXT.title,
      subtitle: [
        ...captionLines(chart.caption),
        `${frames} frames (seq ${chart.seqFrom}–${seqTo}), the same frames on every line${every > 1 ? `, each point the slowest of ${every}` : ''}; a black mark: ${chart.lostMeaning ?? 'a frame that transport never received'}`,
      ],
    },
    data: { values: [...points, ...lost] },
    facet: { row: { field: 'row', type: 'nominal', sort: rows, title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
    spec: {
      width: SIZES.width - 240,
      height: rowHeight,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'frame'" }],
          mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear' },
          encoding: {
            x,
            y: { field: 'ms', type: 'quantitative', title: TIMELINE_TEXT.y, scale: { zero: true } },
            color: { field: 'lane', type: 'nominal', title: TIMELINE_TEXT.legend, scale: colourScale, legend },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'lost'" }],
          mark: { type: 'rule', strokeWidth: 1, opacity: 0.6 },
          encoding: { x, color: { datum: LOST, type: 'nominal', title: TIMELINE_TEXT.legend, scale: colourScale, legend } },
        },
      ],
    },
    resolve: { scale: { y: 'shared', x: 'shared' } },
  };
}
