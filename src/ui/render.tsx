/**
 * Entry point of the Ink UI for the CLI: mounts the game view on a terminal, tuned for a 60 Hz
 * view (see STYLE.md, "Ink at 60 fps").
 */
import { render } from 'ink';
import type { ClientControls, ViewSource } from '../client/view-state.js';
import { GameView } from './game-view.js';
import type { ViewMode } from './text.js';

export interface RenderGameOptions {
  source: ViewSource;
  controls: ClientControls;
  mode: ViewMode;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Shown in the court's top border. */
  title?: string;
}

export interface GameUi {
  /** Resolves once the view is unmounted: by q / Ctrl-C, or by unmount(). */
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

/**
 * Ink's default 30 fps throttle halves a 60 Hz game; 120 lets every frame through while still
 * merging a ball frame and a paddle step that land within the same few milliseconds.
 */
export const RENDER_MAX_FPS = 120;

export function renderGame(options: RenderGameOptions): GameUi {
  const instance = render(
    <GameView source={options.source} controls={options.controls} mode={options.mode} title={options.title ?? 'pong'} />,
    {
      stdout: options.stdout ?? process.stdout,
      stdin: options.stdin ?? process.stdin,
      maxFps: RENDER_MAX_FPS,
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
    },
  );
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => instance.unmount(),
  };
}
