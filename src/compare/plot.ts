/**
 * `pong compare --plot`: the window's frames as a picture, every frame's one-way latency over
 * time, a line per transport (src/plots/frame-timeline.ts), captioned with the run's
 * conditions, the machine and the date.
 */
import type { FrameTimelineChart } from '../plots/frame-timeline.js';
import { frameTimelineSpec } from '../plots/frame-timeline.js';
import { writeSvg } from '../plots/render.js';
import type { NetworkConditions } from '../bus/conditioned-bus.js';
import { timelineFrames, type TimelineData } from './frame-timeline.js';
import { lostMeaning } from './frame-window.js';
import type { CompareReport } from './report.js';

export interface TimelinePlotRun {
  durationS: number;
  /** The conditions the compare's own server simulated, if any. */
  network?: NetworkConditions;
  machine: CompareReport['machine'];
  /** When the measuring started. */
  date: Date;
}

export function conditionsText(network: NetworkConditions | undefined): string {
  if (network === undefined) return 'no simulated network conditions';
  const parts = [
    ...(network.delayMs > 0 || network.jitterMs > 0 ? [`delay ${network.delayMs} ms ± ${network.jitterMs} ms`] : []),
    ...(network.lossPct > 0 ? [`${network.lossPct}% of messages lost`] : []),
  ];
  return `simulated at the server, each way: ${parts.join(', ')}`;
}

export function timelineChart(timeline: TimelineData, run: TimelinePlotRun): FrameTimelineChart {
  return {
    caption: { run: `pong compare · ${run.durationS} s measured · ${conditionsText(run.network)}`, machine: run.machine, date: run.date },
    ...timelineFrames(timeline),
    lostMeaning: lostMeaning(),
  };
}

/** Draws the timeline into `file`. */
export async function writeTimelinePlot(file: string, timeline: TimelineData, run: TimelinePlotRun): Promise<void> {
  await writeSvg(file, frameTimelineSpec(timelineChart(timeline, run)));
}
