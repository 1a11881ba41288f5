/**
 * What the frame timeline shows, whoever draws it: the SVG of `pong compare --plot` (Vega-Lite,
 * in Node) and the browser's compare page (a canvas, live). Both take their series, names,
 * colours, row headers and axis titles from here, so the two pictures say the same thing in
 * the same words and the same colours. Plain data and arithmetic: it builds for the browser.
 */
import { NEUTRAL_COLOUR, transportColours, transportLabel } from './theme.js';

export interface TimelineLane {
  /** The transport, by its CLI name. */
  name: string;
  /** One-way latency (ms) of each frame, in frame order; null: this transport never received it. */
  oneWay: ReadonlyArray<number | null>;
}

/** The frames a timeline draws: the same frames on every lane. */
export interface TimelineFrames {
  /** Sequence number of the first frame. */
  seqFrom: number;
  /** Each frame's send time, seconds from the first frame's; as long as every lane. */
  times: readonly number[];
  lanes: readonly TimelineLane[];
}

/** The words on the picture. */
export const TIMELINE_TEXT = {
  title: 'One-way latency of every frame, per transport',
  x: 'time (s, from the server sending the first frame)',
  y: 'one-way (ms)',
  legend: 'transport',
  lost: 'lost frame',
} as const;

/** A lost frame's mark: black, whatever the transport. */
export const LOST_COLOUR = NEUTRAL_COLOUR;

export interface TimelineSeries {
  name: string;
  /** The transport's name in the legend. */
  label: string;
  colour: string;
  /** Frames drawn, and how many of them this lane never received. */
  frames: number;
  lost: number;
  /** The lane's row header: its name and what it lost. */
  header: string;
}

export function timelineSeries(frames: TimelineFrames): TimelineSeries[] {
  const count = frames.times.length;
  const colours = transportColours(frames.lanes.map((lane) => lane.name));
  return frames.lanes.map((lane, i) => {
    const label = transportLabel(lane.name);
    let lost = 0;
    for (let f = 0; f < count; f++) if ((lane.oneWay[f] ?? null) === null) lost += 1;
    return { name: lane.name, label, colour: colours[i]!, frames: count, lost, header: `${label}: ${lost === 0 ? 'no frame lost' : `${lost} of ${count} frames lost`}` };
  });
}
