/**
 * The compare page's live frame timeline: the compare engine's newest settled frames (its
 * FrameTimeline, kept for the last seconds only) cut to a rolling window and redrawn a few
 * times a second, once a second for a reader who asked for reduced motion. Frames appear
 * half a second late: a frame is drawn once the window has judged it received or lost.
 */
import type { Comparison } from '../../compare/comparison.js';
import { lastSeconds, timelineFrames } from '../../compare/frame-timeline.js';
import { lostMeaning } from '../../compare/frame-window.js';
import { TIMELINE_TEXT } from '../../plots/timeline-series.js';
import { h } from '../dom.js';
import { TimelineCanvas, type TimelineShown } from './timeline-canvas.js';

/** Seconds of frames drawn. */
export const TIMELINE_WINDOW_S = 10;
/** Frames the engine keeps for it: the window and a second more, so the cut never runs short. */
export const TIMELINE_KEEP_FRAMES = (TIMELINE_WINDOW_S + 1) * 60;
const REDRAW_MS = 250;
/** With prefers-reduced-motion: the picture moves once a second rather than gliding. */
const REDUCED_REDRAW_MS = 1000;
const COSTS_KEPT = 20;

export interface LiveTimeline {
  element: HTMLElement;
  stop(): void;
}

export function liveTimeline(comparison: Comparison, names: readonly string[]): LiveTimeline {
  const canvas = h('canvas', {
    class: 'timeline',
    role: 'img',
    'data-timeline': '',
    'data-x-title': TIMELINE_TEXT.x,
    'data-y-title': TIMELINE_TEXT.y,
  });
  const element = h(
    'section',
    { class: 'timeline-panel' },
    h('h2', {}, TIMELINE_TEXT.title),
    canvas,
    h('p', { class: 'muted' }, `the last ${TIMELINE_WINDOW_S} s, the same frames on every line; a black mark: ${lostMeaning()}`),
  );
  const picture = new TimelineCanvas(canvas, TIMELINE_WINDOW_S);
  let draws = 0;
  let frame = 0;

  /** The last draws' costs (ms), for their median: one slow draw on a busy machine says little. */
  const costs: number[] = [];
  const draw = (): void => {
    frame = 0;
    const started = performance.now();
    const data = comparison.timeline();
    const frames = data === null ? null : lastSeconds(timelineFrames(data), TIMELINE_WINDOW_S);
    const shown = picture.draw(frames, names, 'waiting for every transport’s clock offset…');
    draws += 1;
    // Its cost, from the data through the drawing: what it takes from the court's frames.
    costs.push(performance.now() - started);
    if (costs.length > COSTS_KEPT) costs.shift();
    expose(canvas, shown, draws, median(costs));
  };
  // Drawn in an animation frame: never twice in one display frame, never while the tab is hidden.
  const request = (): void => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };

  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  let timer: ReturnType<typeof setInterval> | undefined;
  const pace = (): void => {
    clearInterval(timer);
    const every = reducedMotion.matches ? REDUCED_REDRAW_MS : REDRAW_MS;
    canvas.setAttribute('data-redraw-ms', String(every));
    timer = setInterval(request, every);
    request();
  };
  reducedMotion.addEventListener('change', pace);
  window.addEventListener('resize', request);
  pace();

  return {
    element,
    stop() {
      clearInterval(timer);
      if (frame !== 0) cancelAnimationFrame(frame);
      reducedMotion.removeEventListener('change', pace);
      window.removeEventListener('resize', request);
    },
  };
}

/** What the picture shows, for tests and screen readers: the canvas itself says nothing. */
function expose(canvas: HTMLCanvasElement, shown: TimelineShown, draws: number, drawMs: number): void {
  const set = (name: string, value: string): void => {
    if (canvas.getAttribute(name) !== value) canvas.setAttribute(name, value);
  };
  set('data-series', String(shown.series));
  set('data-frames-drawn', String(shown.frames));
  set('data-lost', String(shown.lost));
  set('data-legend', [...shown.lanes.map((lane) => lane.label), TIMELINE_TEXT.lost].join(' | '));
  set('data-lanes', JSON.stringify(shown.lanes));
  set('data-draws', String(draws));
  set('data-draw-ms', drawMs.toFixed(1));
  set(
    'aria-label',
    `${TIMELINE_TEXT.title}, the last ${TIMELINE_WINDOW_S} s: ${shown.lanes.map((lane) => `${lane.label}: ${lane.received} frames received, ${lane.lost} lost`).join('; ')}`,
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
