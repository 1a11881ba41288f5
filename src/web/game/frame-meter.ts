/**
 * The page's own frame meter, shown with `&fps` in the address: frames drawn per second and
 * the time each draw takes, as a line under the court, and as `window.pongFrameMeter` for
 * `pong bench --render`, which reads it (with Chromium's own main-thread figures) while playing.
 */
import { h, setText } from '../dom.js';

const RECENT = 600;
const SHOW_EVERY_MS = 500;

export interface FrameMeterReading {
  draws: number;
  drawMs: number;
  /** The last draws' durations, ms, oldest first. */
  recent: number[];
}

export class FrameMeter {
  readonly element = h('p', { class: 'muted', 'data-frame-meter': '' });
  private draws = 0;
  private drawMs = 0;
  private readonly recent: number[] = [];
  private shownAt = performance.now();
  private shownDraws = 0;
  private shownMs = 0;

  /** Runs one draw and counts it. */
  measure(draw: () => void): void {
    const start = performance.now();
    draw();
    const end = performance.now();
    const ms = end - start;
    this.draws += 1;
    this.drawMs += ms;
    this.recent.push(ms);
    if (this.recent.length > RECENT) this.recent.shift();
    if (end - this.shownAt >= SHOW_EVERY_MS) this.show(end);
  }

  read(): FrameMeterReading {
    return { draws: this.draws, drawMs: this.drawMs, recent: [...this.recent] };
  }

  private show(now: number): void {
    const frames = this.draws - this.shownDraws;
    const perSecond = (frames * 1000) / (now - this.shownAt);
    const perDraw = frames > 0 ? (this.drawMs - this.shownMs) / frames : 0;
    setText(this.element, `${perSecond.toFixed(0)} frames drawn/s · ${perDraw.toFixed(2)} ms per draw`);
    this.shownAt = now;
    this.shownDraws = this.draws;
    this.shownMs = this.drawMs;
  }
}

declare global {
  interface Window {
    pongFrameMeter?: FrameMeter;
  }
}
