/**
 * The plots drawn from known figures: each must show what it claims to, read off the SVG as
 * a person would read the picture: one line per transport in that transport's colour, the
 * legend naming each, the axes titled with their units, the frame counts and the caption.
 */
import { describe, expect, it } from 'vitest';
import type { Caption } from '../../src/plots/caption.js';
import { frameTimelineSpec, MOST_POINTS_DRAWN } from '../../src/plots/frame-timeline.js';
import { latencyDistributionSpec, logTicks, type DistributionCurve } from '../../src/plots/latency-distribution.js';
import { renderSvg } from '../../src/plots/render.js';
import { scaleClimbSpec, type ClimbSeries } from '../../src/plots/scale-climb.js';
import { NEUTRAL_COLOUR, transportColours, transportLabel } from '../../src/plots/theme.js';
import { fieldOf, marks, texts } from './svg.js';

const TRANSPORTS = ['mqtt', 'ws', 'socketio', 'webrtc'];
const caption: Caption = {
  run: 'a known run',
  machine: { cpus: 2, cpuModel: 'Test CPU 9000', node: 'v20.20.2', platform: 'linux', arch: 'x64' },
  date: new Date('2026-12-08T14:03:27Z'),
};

/** Renders, failing on any warning Vega-Lite or Vega gives about the spec. */
async function draw(spec: Parameters<typeof renderSvg>[0]): Promise<string> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (message) => warnings.push(message) });
  expect(warnings).toEqual([]);
  expect(svg.startsWith('<svg')).toBe(true);
  return svg;
}

function expectCaption(words: string[]): void {
  expect(words).toContain('a known run');
  expect(words).toContain('2026-12-08 14:03 UTC · 2 × Test CPU 9000 · Node v20.20.2 · linux/x64');
}

describe('one-way latency of every frame (pong compare --plot)', () => {
  const frames = 600;
  const times = Array.from({ length: frames }, (_, i) => i / 60);
  // WebRTC loses every 50th frame; the others lose none.
  const lanes = TRANSPORTS.map((name, t) => ({
    name,
    oneWay: times.map((_, i) => (name === 'webrtc' && i % 50 === 49 ? null : 1 + t + (i % 10) / 10)),
  }));

  it('draws a line per transport in its colour over the same frames, and marks each lost frame', async () => {
    const svg = await draw(frameTimelineSpec({ caption, seqFrom: 1001, times, lanes }));
    const lines = marks(svg, 'line mark');
    expect(lines.map((line) => fieldOf(line, 'transport'))).toEqual(TRANSPORTS.map(transportLabel));
    expect(lines.map((line) => line.stroke)).toEqual(transportColours(TRANSPORTS));
    const lost = marks(svg, 'rule mark');
    expect(lost).toHaveLength(12);
    for (const mark of lost) expect(mark.stroke).toBe(NEUTRAL_COLOUR);

    const words = texts(svg);
    for (const name of TRANSPORTS) expect(words).toContain(transportLabel(name));
    expect(words).toContain('lost frame');
    expect(words).toContain('one-way (ms)');
    expect(words).toContain('time (s, from the server sending the first frame)');
    expect(words).toContain('MQTT: no frame lost');
    expect(words).toContain('WebRTC: 12 of 600 frames lost');
    expect(words.some((w) => w.startsWith('600 frames (seq 1001–1600), the same frames on every line'))).toBe(true);
    expectCaption(words);
  });

  it('draws an hour of frames as runs of frames, and says so', async () => {
    const long = MOST_POINTS_DRAWN * 3;
    const manyTimes = Array.from({ length: long }, (_, i) => i / 60);
    const svg = await draw(frameTimelineSpec({ caption, seqFrom: 1, times: manyTimes, lanes: [{ name: 'ws', oneWay: manyTimes.map(() => 1) }] }));
    expect(texts(svg).some((w) => w.startsWith(`${long} frames (seq 1–${long}), the same frames on every line, each point the slowest of 3`))).toBe(true);
    // One point every three frames: a path of MOST_POINTS_DRAWN points.
    const path = svg.match(/aria-roledescription="line mark"[^>]*\sd="([^"]*)"/)?.[1] ?? svg.match(/\sd="([^"]*)"[^>]*aria-roledescription="line mark"/)?.[1];
    expect(path?.match(/[ML]/g)).toHaveLength(MOST_POINTS_DRAWN);
  });
});

describe('round trip distribution (pong bench)', () => {
  const points = (scale: number) => [0, 50, 90, 99, 99.9, 100].map((p) => ({ p, ms: scale * (0.3 + p / 50) }));
  const curves: DistributionCurve[] = TRANSPORTS.flatMap((transport, i) => [
    { transport, kind: 'game' as const, round: 1, frames: 1200, points: points(1 + i / 10) },
    { transport, kind: 'floor' as const, round: 1, frames: 1198, points: points(0.9) },
  ]);
  const machine: DistributionCurve[] = [{ transport: 'tcp', kind: 'machine', round: 1, frames: 1200, points: points(0.7) }];

  it('draws per transport its game, its floor and the machine floor, named in the legend', async () => {
    const svg = await draw(latencyDistributionSpec({ caption, transports: TRANSPORTS, curves, machine }));
    const lines = marks(svg, 'line mark');
    // A panel per transport, three curves in each: game, floor, machine.
    expect(lines).toHaveLength(TRANSPORTS.length * 3);
    for (const [i, name] of TRANSPORTS.entries()) {
      const mine = lines.filter((line) => fieldOf(line, 'transport') === transportLabel(name));
      expect(mine.map((line) => fieldOf(line, 'through')).sort()).toEqual(['bare library (floor)', 'pong']);
      for (const line of mine) expect(line.stroke).toBe(transportColours(TRANSPORTS)[i]);
    }
    const machineLines = lines.filter((line) => fieldOf(line, 'transport') === 'machine floor');
    expect(machineLines).toHaveLength(TRANSPORTS.length);
    for (const line of machineLines) expect(line.stroke).toBe(NEUTRAL_COLOUR);

    const words = texts(svg);
    for (const name of TRANSPORTS) expect(words.filter((w) => w === transportLabel(name))).toHaveLength(2); // panel header and legend
    expect(words).toContain('machine floor');
    expect(words).toContain('round trip (ms, log scale)');
    expect(words).toContain('percentile of frames (log scale)');
    for (const label of ['50%', '90%', '99%', '99.9%']) expect(words).toContain(label);
    expect(words).toContain('1198–1200 round trips a curve');
    expectCaption(words);
  });
});

describe('scale climb (pong bench --scale)', () => {
  const steps = (limit: number, cpuPerGame: number) =>
    [50, 100, 150, 200].filter((games) => games <= limit).map((games) => ({ games, held: games < limit, p99: games / 10, cpu: games * cpuPerGame }));
  const series: ClimbSeries[] = [
    { role: 'server', round: 1, steps: steps(150, 4) },
    { role: 'relay', round: 1, steps: steps(200, 3) },
  ];

  it('draws p99 and CPU against games for the server and the bare relay, with the limit and each step held or not', async () => {
    const svg = await draw(scaleClimbSpec({ caption, transport: 'ws', relayLabel: 'ws', limitMs: 16, series }));
    const lines = marks(svg, 'line mark');
    // Server and relay, in the p99 panel and in the CPU panel.
    expect(lines.map((line) => fieldOf(line, transportLabel('ws'))).sort()).toEqual(['bare relay (ws)', 'bare relay (ws)', 'pong server', 'pong server']);
    const points = marks(svg, 'point');
    expect(points).toHaveLength(2 * (3 + 4));
    expect(points.filter((p) => fieldOf(p, 'step') === 'not held')).toHaveLength(2 * 2);
    const words = texts(svg);
    expect(words).toContain('WebSocket (ws): games on one server, against a bare relay');
    expect(words).toContain('round trip p99 (ms, log scale)');
    expect(words).toContain('host CPU (ms per s; 1000 = a core)');
    expect(words).toContain('concurrent games (2 players each)');
    expect(words).toContain('limit: 16 ms, one frame');
    for (const label of ['pong server', 'bare relay (ws)', 'held', 'not held']) expect(words).toContain(label);
    expectCaption(words);
  });
});

describe('log ticks', () => {
  it('are 1, 2 and 5 per decade, from at or below the lowest value to at or above the highest', () => {
    expect(logTicks(0.3, 12)).toEqual([0.2, 0.5, 1, 2, 5, 10, 20]);
    expect(logTicks(1, 1)).toEqual([1]);
    expect(logTicks(4, 16)).toEqual([2, 5, 10, 20]);
  });
});
