/**
 * A Vega-Lite spec to an SVG document, in Node with no browser and no DOM: Vega-Lite compiles
 * the spec to Vega, and a Vega View with no renderer ('none') lays the scene out and writes it
 * as SVG text. Vega and Vega-Lite load on the first plot only: every other command (playing
 * above all) starts without them.
 *
 * Why not Observable Plot: it builds its SVG as DOM nodes, so in Node it needs a DOM (jsdom or
 * linkedom) beside it and a serialisation step, and it measures no text either; Vega renders
 * to a string with nothing else, and a Vega-Lite spec is plain data, which a browser page
 * can hand to Vega as it is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LoggerInterface } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { itemTextWidth, type TextItem } from './text-width.js';

/** vega-scenegraph's text measuring, which vega exports but its typings leave out. */
interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

export interface RenderOptions {
  /** Told every warning Vega-Lite or Vega gives about the spec; by default they are dropped. */
  onWarning?: (message: string) => void;
}

export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  (vega as unknown as { textMetrics: TextMetrics }).textMetrics.width = itemTextWidth;
  const logger = warningsTo(options.onWarning);
  const { spec: compiled } = vegaLite.compile(spec, { logger });
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A logger that hands warnings and errors on as one line each, and drops the rest. */
function warningsTo(onWarning: ((message: string) => void) | undefined): LoggerInterface {
  let level = 0;
  const tell = (args: readonly unknown[]): void => onWarning?.(args.map(String).join(' '));
  const logger: LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: unknown[]) {
      tell(args);
      return this;
    },
    warn(...args: unknown[]) {
      tell(args);
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
  return logger;
}

/** Renders `spec` into `file` (its directory made if missing); resolves with the SVG's length. */
export async function writeSvg(file: string, spec: TopLevelSpec, options: RenderOptions = {}): Promise<number> {
  const svg = await renderSvg(spec, options);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, svg);
  return svg.length;
}
