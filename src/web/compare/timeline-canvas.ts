/**
 * The frame timeline of `pong compare --plot`, drawn live on a canvas: a row per transport
 * with its one-way latency over the same frames, a black mark where it lost one, a shared
 * y axis, the legend on top. The series, names, colours and words come from
 * src/plots/timeline-series.ts, as the SVG's do, so the two pictures agree.
 *
 * Why a canvas and not Vega in the page: Vega and Vega-Lite bundle to 811 KiB of minified
 * script (282 KiB gzipped; the whole page is 471 KiB) for the browser to parse, and Vega
 * rebuilds its scene graph on every data change; a redraw here is a few thousand line
 * segments, a millisecond or two (median) on a loaded 2-vCPU machine, so the court beside it
 * keeps its frames. What the picture shows is also set on the canvas as data attributes
 * and its label, for tests and for screen readers.
 */
import { niceRange, niceTicks } from '../../plots/nice-ticks.js';
import { FONT, SIZES } from '../../plots/theme.js';
import { LOST_COLOUR, TIMELINE_TEXT, timelineSeries, type TimelineFrames, type TimelineSeries } from '../../plots/timeline-series.js';

/** What the last draw showed, as the page exposes it. */
export interface TimelineShown {
  /** Lanes with at least one frame received in the window: the lines drawn. */
  series: number;
  frames: number;
  /** Lost-frame marks drawn, over every lane (a lane that received nothing has a note instead). */
  lost: number;
  lanes: Array<{ name: string; label: string; colour: string; received: number; lost: number }>;
}

interface LegendItem {
  kind: 'title' | 'entry';
  label: string;
  colour: string;
  x: number;
  line: number;
}

const PAD = 12;
/** A legend line; on a narrow screen the legend takes two or more. */
const LEGEND_LINE = 26;
const LEGEND_GAP = 8;
const HEADER_HEIGHT = 26;
const ROW_GAP = 10;
/** The x axis's ticks and labels, above its title's lines. */
const X_TICKS_HEIGHT = 40;
const TITLE_LINE = 20;
const Y_TITLE_WIDTH = 26;
const TICK = 5;
const GRID = '#dddddd';
const FRAME_STROKE = '#888888';
const LABEL = '#222222';
const TEXT = '#000000';

export class TimelineCanvas {
  readonly #canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #windowS: number;

  constructor(canvas: HTMLCanvasElement, windowS: number) {
    const context = canvas.getContext('2d', { alpha: false });
    if (context === null) throw new Error('this browser gives no 2D canvas');
    this.#canvas = canvas;
    this.#context = context;
    this.#windowS = windowS;
  }

  /** Draws `frames` (already cut to the window), or an empty plot saying `waiting` when null. */
  draw(frames: TimelineFrames | null, names: readonly string[], waiting: string): TimelineShown {
    const lanes = frames?.lanes ?? names.map((name) => ({ name, oneWay: [] }));
    const shown: TimelineFrames = frames ?? { seqFrom: 0, times: [], lanes };
    const series = timelineSeries(shown);
    const rowPlot = lanes.length > 2 ? 64 : 100;
    const c = this.#context;
    const cssWidth = this.#canvas.clientWidth || 800;
    const legend = this.#legendLayout(series, cssWidth);
    const legendHeight = legend.lines * LEGEND_LINE + LEGEND_GAP;
    const xTitle = this.#wrapped(TIMELINE_TEXT.x, cssWidth - 2 * PAD);
    const height = PAD * 2 + legendHeight + lanes.length * (HEADER_HEIGHT + rowPlot + ROW_GAP) + X_TICKS_HEIGHT + xTitle.length * TITLE_LINE - 8;
    const width = this.#fit(cssWidth, height);
    c.fillStyle = 'white';
    c.fillRect(0, 0, width, height);

    const newest = shown.times.at(-1) ?? 0;
    const x0 = Math.max(0, newest - this.#windowS);
    const x1 = Math.max(this.#windowS, newest);
    const yTicks = niceTicks(largest(shown), 2);
    c.font = `${SIZES.label}px ${FONT}`;
    const labelWidth = Math.max(...yTicks.values.map((v) => c.measureText(String(v)).width));
    const left = PAD + Y_TITLE_WIDTH + labelWidth + TICK + 4;
    const right = width - PAD - 8;
    const xOf = (t: number): number => left + ((t - x0) / (x1 - x0)) * (right - left);

    this.#legend(legend.items);
    let top = PAD + legendHeight;
    const rowsTop = top;
    series.forEach((s, i) => {
      c.font = `bold ${SIZES.label}px ${FONT}`;
      c.fillStyle = TEXT;
      c.textAlign = 'left';
      c.textBaseline = 'alphabetic';
      c.fillText(frames === null ? `${s.label}: ${waiting}` : s.header, left, top + HEADER_HEIGHT - 8);
      const box = { top: top + HEADER_HEIGHT, bottom: top + HEADER_HEIGHT + rowPlot };
      const yOf = (ms: number): number => box.bottom - (Math.max(0, ms) / yTicks.max) * rowPlot;
      this.#grid(yTicks.values, yOf, left, right);
      // The frame under the line: a transport at a millisecond runs along the bottom edge.
      this.#frame(left, right, box.top, box.bottom);
      // A transport that received none of these frames (not connected, or stalled) gets a note,
      // not a solid block of marks that reads as a rendering fault.
      if (s.frames > 0 && s.lost === s.frames) this.#note('no frame received: its status is in the table above', box, left, right);
      else this.#lane(shown.times, lanes[i]!.oneWay, s.colour, xOf, yOf, box, left, right);
      top = box.bottom + ROW_GAP;
    });
    // A tick every second where there is room, fewer on a phone.
    this.#xAxis(niceRange(x0, x1, Math.max(2, Math.floor((right - left) / 60))), xOf, top - ROW_GAP, xTitle, { middle: (left + right) / 2, width });
    this.#yTitle(rowsTop, top - ROW_GAP);

    return {
      series: series.filter((s) => s.lost < s.frames).length,
      frames: shown.times.length,
      lost: series.reduce((sum, s) => sum + (s.lost < s.frames ? s.lost : 0), 0),
      lanes: series.map((s) => ({ name: s.name, label: s.label, colour: s.colour, received: s.frames - s.lost, lost: s.lost })),
    };
  }

  /** Sizes the drawing buffer to the canvas's CSS width and `height`, at the device's pixel ratio. */
  #fit(width: number, height: number): number {
    const ratio = window.devicePixelRatio || 1;
    if (this.#canvas.style.height !== `${height}px`) this.#canvas.style.height = `${height}px`;
    const [w, h] = [Math.round(width * ratio), Math.round(height * ratio)];
    if (this.#canvas.width !== w || this.#canvas.height !== h) {
      this.#canvas.width = w;
      this.#canvas.height = h;
    }
    this.#context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return width;
  }

  /**
   * On top: "transport", a stroke and a name per transport, then the lost mark, on as many
   * lines as the width needs (a phone takes two), never cut off.
   */
  #legendLayout(series: readonly TimelineSeries[], width: number): { lines: number; items: LegendItem[] } {
    const c = this.#context;
    c.font = `bold ${SIZES.axisTitle}px ${FONT}`;
    const items: LegendItem[] = [{ kind: 'title', label: TIMELINE_TEXT.legend, colour: TEXT, x: PAD, line: 0 }];
    let x = PAD + c.measureText(TIMELINE_TEXT.legend).width + 18;
    let line = 0;
    c.font = `${SIZES.label}px ${FONT}`;
    for (const entry of [...series.map((s) => ({ label: s.label, colour: s.colour })), { label: TIMELINE_TEXT.lost, colour: LOST_COLOUR }]) {
      const itemWidth = 28 + c.measureText(entry.label).width;
      if (x + itemWidth > width - PAD && x > PAD) {
        line += 1;
        x = PAD;
      }
      items.push({ kind: 'entry', ...entry, x, line });
      x += itemWidth + 22;
    }
    return { lines: line + 1, items };
  }

  #legend(items: readonly LegendItem[]): void {
    const c = this.#context;
    c.textBaseline = 'middle';
    c.textAlign = 'left';
    for (const item of items) {
      const y = PAD + item.line * LEGEND_LINE + LEGEND_LINE / 2 - 4;
      if (item.kind === 'title') {
        c.font = `bold ${SIZES.axisTitle}px ${FONT}`;
        c.fillStyle = TEXT;
        c.fillText(item.label, item.x, y);
        continue;
      }
      c.strokeStyle = item.colour;
      c.lineWidth = 3;
      c.beginPath();
      c.moveTo(item.x, y);
      c.lineTo(item.x + 22, y);
      c.stroke();
      c.font = `${SIZES.label}px ${FONT}`;
      c.fillStyle = LABEL;
      c.fillText(item.label, item.x + 28, y);
    }
  }

  #grid(values: readonly number[], yOf: (ms: number) => number, left: number, right: number): void {
    const c = this.#context;
    c.lineWidth = 1;
    c.font = `${SIZES.label}px ${FONT}`;
    c.textAlign = 'right';
    c.textBaseline = 'middle';
    for (const value of values) {
      const y = Math.round(yOf(value)) + 0.5;
      c.strokeStyle = GRID;
      c.beginPath();
      c.moveTo(left, y);
      c.lineTo(right, y);
      c.stroke();
      c.strokeStyle = FRAME_STROKE;
      c.beginPath();
      c.moveTo(left - TICK, y);
      c.lineTo(left, y);
      c.stroke();
      c.fillStyle = LABEL;
      c.fillText(String(value), left - TICK - 3, y);
    }
  }

  /** The lane's line, broken where it lost a frame, and a black mark at each lost frame. */
  #lane(
    times: readonly number[],
    oneWay: ReadonlyArray<number | null>,
    colour: string,
    xOf: (t: number) => number,
    yOf: (ms: number) => number,
    box: { top: number; bottom: number },
    left: number,
    right: number,
  ): void {
    const c = this.#context;
    c.save();
    c.beginPath();
    c.rect(left, box.top - 1, right - left, box.bottom - box.top + 2);
    c.clip();
    c.globalAlpha = 0.6;
    c.strokeStyle = LOST_COLOUR;
    c.lineWidth = 1.5;
    c.beginPath();
    for (let i = 0; i < times.length; i++) {
      if ((oneWay[i] ?? null) !== null) continue;
      const x = xOf(times[i]!);
      c.moveTo(x, box.top);
      c.lineTo(x, box.bottom);
    }
    c.stroke();
    c.globalAlpha = 1;
    c.strokeStyle = colour;
    c.lineWidth = 1.5;
    c.lineJoin = 'round';
    c.beginPath();
    let pen = false;
    for (let i = 0; i < times.length; i++) {
      const value = oneWay[i] ?? null;
      if (value === null) {
        pen = false;
        continue;
      }
      const [x, y] = [xOf(times[i]!), yOf(value)];
      if (pen) c.lineTo(x, y);
      else c.moveTo(x, y);
      pen = true;
    }
    c.stroke();
    c.restore();
  }

  #note(text: string, box: { top: number; bottom: number }, left: number, right: number): void {
    const c = this.#context;
    c.font = `${SIZES.label}px ${FONT}`;
    c.fillStyle = LABEL;
    c.textAlign = 'center';
    c.textBaseline = 'middle';
    c.fillText(text, (left + right) / 2, (box.top + box.bottom) / 2);
  }

  #frame(left: number, right: number, top: number, bottom: number): void {
    const c = this.#context;
    c.strokeStyle = FRAME_STROKE;
    c.lineWidth = 1;
    c.strokeRect(Math.round(left) + 0.5, Math.round(top) + 0.5, Math.round(right - left), Math.round(bottom - top));
  }

  /** The x title in lines that fit `width` (one on a wide screen, two on a phone). */
  #wrapped(text: string, width: number): string[] {
    const c = this.#context;
    c.font = `bold ${SIZES.axisTitle}px ${FONT}`;
    const lines: string[] = [];
    for (const word of text.split(' ')) {
      const last = lines.at(-1);
      if (last !== undefined && c.measureText(`${last} ${word}`).width <= width) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines;
  }

  #xAxis(values: readonly number[], xOf: (t: number) => number, bottom: number, title: readonly string[], at: { middle: number; width: number }): void {
    const c = this.#context;
    c.font = `${SIZES.label}px ${FONT}`;
    c.textAlign = 'center';
    c.textBaseline = 'top';
    c.strokeStyle = FRAME_STROKE;
    c.lineWidth = 1;
    for (const value of values) {
      const x = Math.round(xOf(value)) + 0.5;
      c.beginPath();
      c.moveTo(x, bottom);
      c.lineTo(x, bottom + TICK);
      c.stroke();
      c.fillStyle = LABEL;
      c.fillText(String(value), x, bottom + TICK + 2);
    }
    c.font = `bold ${SIZES.axisTitle}px ${FONT}`;
    c.fillStyle = TEXT;
    // Centred under the plot, unless that would push its widest line off the canvas.
    const half = Math.max(...title.map((line) => c.measureText(line).width)) / 2;
    const middle = Math.min(Math.max(at.middle, PAD + half), at.width - PAD - half);
    title.forEach((line, i) => c.fillText(line, middle, bottom + X_TICKS_HEIGHT - 6 + i * TITLE_LINE));
  }

  /** Once, beside every row: the rows share their y scale. */
  #yTitle(top: number, bottom: number): void {
    const c = this.#context;
    c.save();
    c.translate(PAD + SIZES.axisTitle / 2 + 2, (top + bottom) / 2);
    c.rotate(-Math.PI / 2);
    c.font = `bold ${SIZES.axisTitle}px ${FONT}`;
    c.fillStyle = TEXT;
    c.textAlign = 'center';
    c.textBaseline = 'middle';
    c.fillText(TIMELINE_TEXT.y, 0, 0);
    c.restore();
  }
}

/** The slowest frame drawn, over every lane. */
function largest(frames: TimelineFrames): number {
  let max = 0;
  for (const lane of frames.lanes) for (const value of lane.oneWay) if (value !== null && value > max) max = value;
  return max;
}
