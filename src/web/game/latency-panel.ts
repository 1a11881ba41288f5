/**
 * This page's latency figures, as the terminal shows them and computed by the same code: the
 * session's FrameLatency (one-way per frame, from the server's clock offset), the terminal's
 * wording (ui/text.ts) and sparkline (ui/sparkline.ts). Refreshed four times a second, not per
 * frame: figures are unreadable at 60 Hz, and a DOM write per frame would only cost time.
 */
import type { ViewSource } from '../../client/view-state.js';
import type { LatencySnapshot } from '../../metrics/frame-latency.js';
import { sparkline } from '../../ui/sparkline.js';
import { formatMs, latencyItems } from '../../ui/text.js';
import { h, setText } from '../dom.js';

export const PANEL_REFRESH_MS = 250;
const SPARK_CELLS = 48;

export class LatencyPanel {
  readonly element: HTMLElement;
  private readonly figures: HTMLElement;
  private readonly spark: HTMLElement;
  private readonly timer: ReturnType<typeof setInterval>;
  private shown: unknown = null;

  constructor(private readonly source: ViewSource) {
    this.figures = h('div', { class: 'figures', 'data-figures': '' });
    this.spark = h('div', { class: 'spark', 'data-spark': '' });
    this.element = h('section', { class: 'panel', 'aria-label': 'latency' }, this.figures, this.spark);
    this.refresh();
    this.timer = setInterval(() => this.refresh(), PANEL_REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private refresh(): void {
    const state = this.source.getState();
    if (this.shown === state.latency && this.figures.childElementCount > 0) return;
    this.shown = state.latency;
    const items = ['one-way ms', ...latencyItems(state.latency, state.serverStats)];
    this.figures.replaceChildren(...items.map((item) => h('span', {}, item)));
    setText(this.spark, sparkRow(state.latency));
  }
}

/** The recent frames' one-way latencies as the terminal's sparkline, with their range. */
export function sparkRow(latency: LatencySnapshot): string {
  const recent = latency.recent.filter((v) => Number.isFinite(v));
  if (recent.length === 0) return 'no ball frames yet';
  const approx = !latency.offsetKnown;
  return `${sparkline(recent, SPARK_CELLS)} ${formatMs(Math.min(...recent), approx)}–${formatMs(Math.max(...recent), approx)} ms`;
}
