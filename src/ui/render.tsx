/**
 * Entry point of the Ink UI for the CLI: mounts the game view on a terminal, tuned for a 60 Hz
 * view (see STYLE.md, "Ink at 60 fps"). The view draws from a SmoothedSource, which paces the
 * frames and smooths the ball; the court is painted on every display frame by a CourtLayer,
 * and Ink draws the text around it when that changes. Both write through terminalOut, as
 * synchronized updates on the alternate screen.
 */
// First: it must run before Ink (and chalk) is loaded.
import './colour-env.js';
import { render, type RenderOptions } from 'ink';
import type { ClientControls, ViewSource } from '../client/view-state.js';
import { SmoothedSource } from '../client/smoothing/smoothed-source.js';
import { CourtLayer } from './court-layer.js';
import { GameView } from './game-view.js';
import { terminalOut } from './terminal-out.js';
import type { ViewMode } from './text.js';

export interface RenderGameOptions {
  source: ViewSource;
  controls: ClientControls;
  mode: ViewMode;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Shown in the court's top wall. */
  title?: string;
  /** Draw the server's frames as they arrive, unsmoothed (for comparison). */
  raw?: boolean;
  /** Ring the terminal bell on every point. */
  bell?: boolean;
}

export interface GameUi {
  /** Resolves once the view is unmounted: by q / Ctrl-C, or by unmount(). */
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

/**
 * Ink's default 30 fps throttle halves a 60 Hz game. 120 lets every frame through while still
 * merging a ball frame and a paddle step that land within the same few milliseconds.
 */
export const RENDER_MAX_FPS = 120;
/**
 * Ink draws only the text around the court, when it changes; its throttle would only hold back
 * such a change by up to a throttle period: 1000 fps is no throttle in practice.
 */
const GAME_MAX_FPS = 1000;

/** What every full-screen view of pong asks of Ink, besides its streams and frame rate. */
export const TERMINAL_SCREEN_OPTIONS = {
  // q and Ctrl-C unmount the view before the session is closed, so the terminal is restored.
  exitOnCtrlC: false,
  patchConsole: false,
  // incrementalRendering stays off: in ink 6.7–6.8 every frame lands one line lower.
  incrementalRendering: false,
  // 'auto' asks the terminal and falls back to plain keys when it does not answer. Event
  // types give key release; all keys as escape codes makes letters report it too.
  kittyKeyboard: {
    mode: 'auto',
    flags: ['disambiguateEscapeCodes', 'reportEventTypes', 'reportAllKeysAsEscapeCodes'],
  },
} satisfies RenderOptions;

export function renderGame(options: RenderGameOptions): GameUi {
  const smoothed = new SmoothedSource(options.source, options.controls, { raw: options.raw ?? false }).start();
  const out = terminalOut(options.stdout ?? process.stdout);
  const court = new CourtLayer(smoothed);
  court.attach(out);
  out.setAfterFrame(() => court.fullPaint());
  const instance = render(
    <GameView
      source={smoothed}
      controls={smoothed}
      frames={smoothed}
      courtLayer={court}
      mode={options.mode}
      title={options.title ?? 'pong'}
      bell={options.bell ?? false}
    />,
    {
      stdout: out.stream,
      stdin: options.stdin ?? process.stdin,
      maxFps: GAME_MAX_FPS,
      ...TERMINAL_SCREEN_OPTIONS,
    },
  );
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    smoothed.stop();
    court.detach();
    out.setAfterFrame(null);
    out.restore();
  };
  void instance.waitUntilExit().then(restore, restore);
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => {
      instance.unmount();
      restore();
    },
  };
}
