/**
 * The series both timelines draw (the SVG and the browser's canvas): each transport's label,
 * colour and row header from the frames alone, lost frames counted as the picture marks them.
 */
import { describe, expect, it } from 'vitest';
import { NEUTRAL_COLOUR, transportColours, transportLabel } from '../../src/plots/theme.js';
import { LOST_COLOUR, timelineSeries } from '../../src/plots/timeline-series.js';

describe('timelineSeries', () => {
  it('names, colours and counts each lane as the legend and the row headers show them', () => {
    const series = timelineSeries({
      seqFrom: 1,
      times: [0, 0.1, 0.2, 0.3],
      lanes: [
        { name: 'webrtc', oneWay: [1, null, 2, null] },
        { name: 'ws', oneWay: [1, 1, 1, 1] },
        { name: 'custom', oneWay: [1, 1, 1] },
      ],
    });
    expect(series.map((s) => s.label)).toEqual([transportLabel('webrtc'), transportLabel('ws'), 'custom']);
    expect(series.map((s) => s.colour)).toEqual(transportColours(['webrtc', 'ws', 'custom']));
    expect(series.map((s) => s.header)).toEqual(['WebRTC: 2 of 4 frames lost', 'WebSocket (ws): no frame lost', 'custom: 1 of 4 frames lost']);
    expect(series.map((s) => [s.frames, s.lost])).toEqual([[4, 2], [4, 0], [4, 1]]);
    expect(LOST_COLOUR).toBe(NEUTRAL_COLOUR);
  });
});
